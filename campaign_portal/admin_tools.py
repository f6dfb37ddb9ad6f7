"""What every app's Django admin shares: workflow states and the tree change only through
their services, so the admin shows them and reverts nothing."""

from django.core.exceptions import PermissionDenied


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
