"""What every app's Django admin shares: the portal's ModelAdmin and inline bases (text cleaned as in
the portal's forms), and, because workflow states and the tree change only through their services,
history that is shown and never reverted."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .forms import CleanModelForm


class NoRevertMixin:
    """A model's history is for reading: reverting would set states without their services."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin(NoRevertMixin):
    """Rows written only by services (their state machines, numbering, delivery): shown, never edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PortalFormMixin:
    """Admin forms clean typed text like the portal's own forms: a control character or TCVN3/VNI text is
    a field error on the form, not a PortalError from the model's save. A ModelAdmin or inline that names
    its own form must build it on campaign_portal.forms.CleanTextMixin (tests/test_admin_forms.py checks)."""

    form = CleanModelForm


class PortalModelAdmin(PortalFormMixin, admin.ModelAdmin):
    pass


class PortalHistoryAdmin(NoRevertMixin, PortalFormMixin, SimpleHistoryAdmin):
    """A model with history: the history is shown, never reverted."""


class PortalTabularInline(PortalFormMixin, admin.TabularInline):
    pass


class PortalStackedInline(PortalFormMixin, admin.StackedInline):
    pass
