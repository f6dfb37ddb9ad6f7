"""Django admin: define forms (sections, indicators, rules), open cycles, grant lock exceptions.
A version in use by a cycle is read-only; "copy as a new version" makes an editable one."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaign_portal.admin_tools import (
    PortalHistoryAdmin,
    PortalModelAdmin,
    PortalStackedInline,
    PortalTabularInline,
    ReadOnlyAdminMixin,
)

from . import cycles, models


class FrozenInlineMixin:
    def _frozen(self, obj):
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class SectionInline(FrozenInlineMixin, PortalTabularInline):
    model = models.Section
    extra = 0


class IndicatorInline(FrozenInlineMixin, PortalStackedInline):
    model = models.Indicator
    extra = 0
    fields = [
        ("section", "order", "code"),
        "label",
        ("type", "required", "rollup", "measure_unit"),
        ("min_value", "max_value"),
        "choices",
        "help_text",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section" and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = models.Section.objects.filter(version_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RuleInline(FrozenInlineMixin, PortalTabularInline):
    model = models.ValidationRule
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("left", "right") and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = models.Indicator.objects.filter(version_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FormVersionInline(PortalTabularInline):
    model = models.FormVersion
    extra = 0
    fields = ["number", "note", "frozen_at"]
    readonly_fields = ["frozen_at"]
    show_change_link = True


@admin.register(models.ReportForm)
class ReportFormAdmin(PortalHistoryAdmin):
    list_display = ["name", "code"]
    inlines = [FormVersionInline]


@admin.register(models.FormVersion)
class FormVersionAdmin(PortalModelAdmin):
    list_display = ["form", "number", "note", "frozen_at"]
    inlines = [SectionInline, IndicatorInline, RuleInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        return ["form", "number", "frozen_at"] if obj and obj.is_frozen else ["frozen_at"]

    @admin.action(description=_("Sao chép thành phiên bản mới (để sửa)"))
    def copy_as_new_version(self, request, queryset):
        for version in queryset:
            new = cycles.form_version_revise(version=version, note=_("Sao chép từ v%(n)s") % {"n": version.number})
            messages.success(request, _("Đã tạo %(v)s.") % {"v": new})


class PeriodInline(ReadOnlyAdminMixin, PortalTabularInline):
    """Periods are computed by cycle_open from the cycle's type, year and scheme."""

    model = models.Period
    extra = 0


@admin.register(models.ReportingCycle)
class ReportingCycleAdmin(PortalHistoryAdmin):
    """A cycle is opened on the portal (reporting.cycles.cycle_open creates its periods); here only
    its name and reference can be corrected."""

    list_display = ["name", "form_version", "period_type", "scheme", "year", "two_step", "created_at"]
    inlines = [PeriodInline]
    readonly_fields = [
        "form_version",
        "period_type",
        "scheme",
        "year",
        "due_working_days",
        "grace_days",
        "scope_kinds",
        "scope_root",
        "two_step",
        "opened_by",
    ]
    change_list_template = "organizations/admin/portal_link_change_list.html"

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "portal_link": (reverse("reporting:cycle_open"), gettext("Mở đợt báo cáo (trên cổng)")),
        }
        return super().changelist_view(request, extra_context)


@admin.register(models.LockException)
class LockExceptionAdmin(PortalHistoryAdmin):
    list_display = ["unit", "period", "until", "granted_by"]
    raw_id_fields = ["unit", "period"]
    readonly_fields = ["granted_by"]

    def save_model(self, request, obj, form, change):
        granted = cycles.lock_exception_grant(
            period=obj.period, unit=obj.unit, until=obj.until, by=request.user, reason=obj.reason
        )
        obj.pk, obj.granted_by = granted.pk, granted.granted_by  # the admin's log and redirect use them


class ReviewInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = models.Review
    extra = 0


@admin.register(models.Report)
class ReportAdmin(ReadOnlyAdminMixin, PortalHistoryAdmin):
    """Shown, never edited: a report's state changes only through reporting.services."""

    list_display = ["unit", "period", "status", "is_late", "submitted_at", "lineage"]
    list_filter = ["status", "is_late", "cycle"]
    search_fields = ["unit__code", "unit__search_text"]
    readonly_fields = ["lineage", "version"]  # not editable fields: listed to be shown
    inlines = [ReviewInline]


@admin.register(models.Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """Evidence comes only through evidence_add, which checks the file: shown, never added or replaced here."""

    list_display = ["original_name", "report", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["report"]
