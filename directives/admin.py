from django.contrib import admin

from campaign_portal.admin_tools import PortalHistoryAdmin, PortalModelAdmin, ReadOnlyAdminMixin

from .models import Delivery, Document, Register


@admin.register(Document)
class DocumentAdmin(PortalHistoryAdmin):
    """A draft's text may be corrected here; its state, number and register change only by
    directives.services.document_issue, and documents are drafted on the portal."""

    list_display = ("number_symbol", "issued_on", "doc_type", "subject", "issuing_unit", "status")
    list_filter = ("status", "doc_type")
    search_fields = ("number_symbol", "search_text")
    raw_id_fields = ("addressee_root", "created_by")
    filter_horizontal = ()
    exclude = ("addressee_units",)
    readonly_fields = (
        "issuing_unit",
        "issuing_lineage",
        "status",
        "register",
        "number",
        "number_symbol",
        "issued_at",
        "issued_by",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # An issued document is immutable, in the admin too.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)


@admin.register(Register)
class RegisterAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """Numbers are taken by document_issue under a row lock: never typed."""

    list_display = ("unit", "code", "year", "last_number")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, PortalHistoryAdmin):
    """Delivered by document_issue, worked on by the receiving unit through its services."""

    list_display = ("document", "unit", "delivered_at", "acknowledged_at", "outcome")
    list_filter = ("outcome",)
