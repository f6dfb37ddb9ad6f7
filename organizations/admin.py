from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from . import area_io
from .forms import XlsxUploadForm
from .models import AdministrativeArea, Membership, Unit, UnitChange, UnitCoverage, UnitPlacement, User
from .views import xlsx_import_run


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Unit, exclude=["lineage", "search_text", "sort_key"])
    list_display = ["name", "code", "kind", "abbreviation", "dissolved_on"]
    list_filter = ["kind", "dissolved_on"]
    search_fields = ["search_text", "code"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # dissolved units stay readable; history must stay true

    def get_search_results(self, request, queryset, search_term):
        from campaign_portal.text import fold

        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
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


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["user", "unit"]
    search_fields = ["user__email", "user__full_name", "unit__code"]


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ["effective_on", "kind", "unit", "old_parent", "new_parent", "by"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in UnitChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitPlacement)
class UnitPlacementAdmin(admin.ModelAdmin):
    list_display = ["unit", "parent", "lineage", "valid_from", "valid_to"]
    readonly_fields = ["unit", "parent", "lineage", "valid_from", "valid_to"]


class FoldedSearchMixin:
    """Searches the folded search_text columns: "kim lien" finds "Kim Liên"."""

    def get_search_results(self, request, queryset, search_term):
        from campaign_portal.text import fold

        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(AdministrativeArea)
class AdministrativeAreaAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province_code", "valid_from", "valid_to"]
    list_filter = ["kind", "valid_to"]
    search_fields = ["search_text", "code"]
    change_list_template = "admin/organizations/administrativearea/change_list.html"

    def has_delete_permission(self, request, obj=None):
        return False  # coverage and documents refer to it; an area that ends gets its end date instead

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="organizations_administrativearea_import"),
            path("export.xlsx", self.admin_site.admin_view(self.export_view),
                 name="organizations_administrativearea_export"),
        ]
        return own + super().get_urls()

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(area_io.areas_export_xlsx(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="dia-ban.xlsx"'
        return response

    def import_view(self, request):
        """The official list as XLSX: every row checked first; one bad row and nothing is imported."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = XlsxUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = xlsx_import_run(
                request, form, lambda data: area_io.areas_import_xlsx(data=data, by=request.user),
                lambda r: _("Đã nhập: %(c)s địa bàn mới, %(u)s cập nhật, %(n)s không đổi, %(s)s dòng tỉnh khác bỏ qua.")
                % {"c": r.created, "u": r.updated, "n": r.unchanged, "s": r.skipped},
            )
            if result is not None and not result.errors:
                return redirect("admin:organizations_administrativearea_changelist")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "result": result,
                   "title": _("Nhập danh sách địa bàn từ XLSX")}
        return TemplateResponse(request, "admin/organizations/administrativearea/import.html", context)


@admin.register(UnitCoverage)
class UnitCoverageAdmin(FoldedSearchMixin, admin.ModelAdmin):
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
