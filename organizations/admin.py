"""Django admin for the unit tree. The tree changes only through organizations.services: a move
made here is the portal's units_move (UnitChange, placements, lineage); creating, dissolving,
merging and splitting are the portal's own pages, linked from here."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaign_portal.admin_tools import (
    NoRevertMixin,
    PortalHistoryAdmin,
    PortalModelAdmin,
    PortalTabularInline,
    ReadOnlyAdminMixin,
)
from campaign_portal.exceptions import PortalError
from campaign_portal.forms import CleanTextMixin
from campaign_portal.phones import MobilePhoneFormMixin
from campaign_portal.xlsx import xlsx_response

from . import area_io, services
from .forms import UnitForm, UnitsMoveForm, XlsxUploadForm
from .models import AdministrativeArea, Membership, Unit, UnitChange, UnitCoverage, UnitPlacement, User
from .views import xlsx_import_run

MEMBERSHIP_END_FIELDS = ["ended_on", "end_reason"]


class MembershipInline(PortalTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = MEMBERSHIP_END_FIELDS


class FoldedSearchMixin:
    """Searches the folded search_text column as the portal does (campaign_portal.search): "kim lien"
    finds "Kim Liên", terms at word starts ("anh" never finds "Thanh Xuân"), the code typed exactly."""

    def get_search_results(self, request, queryset, search_term):
        from campaign_portal.search import ranked_search

        if not search_term.strip():
            return queryset, False
        return ranked_search(queryset, search_term, order=("sort_key",)), False


@admin.register(Unit)
class UnitAdmin(FoldedSearchMixin, PortalHistoryAdmin):
    form = UnitForm
    change_form_template = "organizations/admin/unit_change_form.html"
    change_list_template = "organizations/admin/portal_link_change_list.html"
    list_display = ["name", "code", "kind", "abbreviation", "lineage", "active_from", "dissolved_on"]
    list_filter = ["kind", "dissolved_on"]
    search_fields = ["search_text", "code"]
    ordering = ["path"]
    readonly_fields = ["code", "kind", "parent", "lineage", "active_from", "dissolved_on"]
    fieldsets = [
        (_("Vị trí trong cây (chỉ đổi qua Chuyển đơn vị, Sáp nhập, Chia tách, Giải thể)"), {"fields": readonly_fields}),
        (_("Thông tin"), {"fields": UnitForm.Meta.fields}),
    ]
    inlines = [MembershipInline]
    actions = ["move_units"]

    def has_add_permission(self, request):
        return False  # a unit is created on the portal's page, by unit_create (placement, UnitChange)

    def has_delete_permission(self, request, obj=None):
        return False  # dissolved units stay readable; history must stay true

    @admin.display(description=_("đơn vị cấp trên"))
    def parent(self, obj):
        parent = Unit.objects.get_parent(obj) if obj.depth > 1 else None
        return f"{parent.name} ({parent.code})" if parent else "—"

    def save_model(self, request, obj, form, change):
        # unit_update records a rename as a UnitChange; the place in the tree is not in the form.
        services.unit_update(
            unit=Unit.objects.get(pk=obj.pk),
            by=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "portal_link": (
                reverse("organizations:unit_tree"),
                gettext("Thêm, sáp nhập, chia tách, giải thể: trên cây đơn vị"),
            ),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        move = self.admin_site.admin_view(self.move_view)
        return [path("move/", move, name="organizations_unit_move"), *super().get_urls()]

    @admin.action(description=_("Chuyển đơn vị đã chọn sang đơn vị cấp trên khác"))
    def move_units(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('admin:organizations_unit_move')}?ids={ids}")

    def move_view(self, request):
        """The portal's move (organizations.services.units_move) with its effective date."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
        units = list(Unit.objects.filter(pk__in=ids).order_by("path"))
        form = UnitsMoveForm(request.POST or None, user=request.user)
        if request.method == "POST" and units and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.units_move(
                        units=units,
                        new_parent=data["new_parent"],
                        effective_on=data["effective_on"],
                        by=request.user,
                        note=data["note"],
                    )
            except PortalError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                self.message_user(
                    request,
                    gettext("Đã chuyển %(n)s đơn vị sang %(parent)s.")
                    % {"n": len(units), "parent": data["new_parent"].name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:organizations_unit_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "units": units,
            "form": form,
            "title": gettext("Chuyển đơn vị"),
        }
        return render(request, "organizations/admin/unit_move.html", context)


@admin.register(User)
class UserAdmin(NoRevertMixin, BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Thông tin", {"fields": ["full_name", "phone", "position", "language"]}),
        ("Quyền", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]
    inlines = [MembershipInline]
    actions = ["unlock_logins"]

    @admin.action(description=_("Mở khóa đăng nhập (xóa các lần nhập sai mật khẩu)"), permissions=["change"])
    def unlock_logins(self, request, queryset):
        for user in queryset:
            services.user_unlock(user=user, by=request.user)
        self.message_user(
            request,
            ngettext(
                "Đã mở khóa đăng nhập cho %(n)d tài khoản.", "Đã mở khóa đăng nhập cho %(n)d tài khoản.", len(queryset)
            )
            % {"n": len(queryset)},
            messages.SUCCESS,
        )

    # Django's user forms, with the portal's text cleaning (full name, phone, position).
    # The phone is stored as the normalised Vietnamese mobile (+84…) Zalo and SMS are sent to.
    form = type("UserChangeForm", (MobilePhoneFormMixin, CleanTextMixin, UserChangeForm), {})
    add_form = type("UserCreationForm", (CleanTextMixin, AdminUserCreationForm), {})


@admin.register(Membership)
class MembershipAdmin(PortalHistoryAdmin):
    list_display = ["user", "unit", "role", "is_active", "ended_on", "end_reason"]
    list_filter = ["role", "is_active", "end_reason"]
    autocomplete_fields = ["user", "unit"]
    search_fields = ["user__email", "user__full_name", "unit__code"]
    readonly_fields = MEMBERSHIP_END_FIELDS


@admin.register(UnitChange)
class UnitChangeAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ["effective_on", "kind", "unit", "old_parent", "new_parent", "by"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in UnitChange._meta.fields]


@admin.register(UnitPlacement)
class UnitPlacementAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ["unit", "parent", "lineage", "valid_from", "valid_to"]
    list_filter = ["valid_to"]
    search_fields = ["unit__code", "lineage"]
    readonly_fields = ["unit", "parent", "lineage", "valid_from", "valid_to"]


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(FoldedSearchMixin, PortalModelAdmin):
    list_display = ["code", "name", "kind", "province_code", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["search_text", "code"]
    change_list_template = "admin/organizations/administrativearea/change_list.html"

    def has_delete_permission(self, request, obj=None):
        return False  # coverage and documents refer to it; an area that ends gets its end date instead

    def get_urls(self):
        own = [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name="organizations_administrativearea_import"
            ),
            path(
                "export.xlsx",
                self.admin_site.admin_view(self.export_view),
                name="organizations_administrativearea_export",
            ),
        ]
        return own + super().get_urls()

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return xlsx_response(area_io.areas_export_xlsx(), filename="dia-ban.xlsx")

    def import_view(self, request):
        """The official list as XLSX: every row checked first; one bad row and nothing is imported."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = XlsxUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = xlsx_import_run(
                request,
                form,
                lambda data: area_io.areas_import_xlsx(data=data, by=request.user),
                lambda r: _("Đã nhập: %(c)s địa bàn mới, %(u)s cập nhật, %(n)s không đổi, %(s)s dòng tỉnh khác bỏ qua.")
                % {"c": r.created, "u": r.updated, "n": r.unchanged, "s": r.skipped},
            )
            if result is not None and not result.errors:
                return redirect("admin:organizations_administrativearea_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "result": result,
            "title": _("Nhập danh sách địa bàn từ XLSX"),
        }
        return TemplateResponse(request, "admin/organizations/administrativearea/import.html", context)


@admin.register(UnitCoverage)
class UnitCoverageAdmin(FoldedSearchMixin, PortalModelAdmin):
    """Read-only: coverage changes through unit_coverage_set (the unit page), which keeps the history."""

    list_display = ["unit", "area", "valid_from", "valid_to", "created_by"]
    list_filter = ["valid_to"]
    search_fields = ["unit__code", "unit__search_text", "area__search_text", "area__code"]
    readonly_fields = ["unit", "area", "valid_from", "valid_to", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
