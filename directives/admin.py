from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Delivery, Document, Register


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("number_symbol", "issued_on", "doc_type", "subject", "issuing_unit", "status")
    list_filter = ("status", "doc_type")
    search_fields = ("number_symbol", "search_text")
    raw_id_fields = ("issuing_unit", "addressee_root", "register", "created_by", "issued_by")
    filter_horizontal = ()
    exclude = ("addressee_units",)

    def has_change_permission(self, request, obj=None):
        # An issued document is immutable, in the admin too.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_draft)


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("unit", "code", "year", "last_number")
    raw_id_fields = ("unit",)


@admin.register(Delivery)
class DeliveryAdmin(SimpleHistoryAdmin):
    list_display = ("document", "unit", "delivered_at", "acknowledged_at", "outcome")
    list_filter = ("outcome",)
    raw_id_fields = ("document", "unit", "acknowledged_by", "completed_by", "implementing_document")
