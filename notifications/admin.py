from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaign_portal.admin_tools import PortalModelAdmin, ReadOnlyAdminMixin

from . import delivery, services
from .enums import ChannelMessageState, NotificationStatus
from .messages import describe
from .models import ChannelMessage, Notification, Preference
from .tasks import enqueue_digests


@admin.register(Notification)
class NotificationAdmin(PortalModelAdmin):
    """The log of every notification: who, what, when, delivered or failed and why."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "window",
        "status",
        "attempts",
        "sent_at",
        "read_at",
        "short_error",
    ]
    list_filter = ["status", "kind", "created_at", "sent_at"]
    search_fields = ["recipient__email", "recipient__full_name", "window"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "kind",
        "subject_type",
        "subject_id",
        "window",
        "payload",
        "message",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "read_at",
    ]
    actions = ["resend_failed"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("nội dung"))
    def message(self, obj):
        return describe(kind=obj.kind, payload=obj.payload)

    @admin.display(description=_("lỗi"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Gửi lại các thông báo bị lỗi đã chọn"))
    def resend_failed(self, request, queryset):
        ids = list(queryset.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
        recipients = services.notifications_resend(notification_ids=ids)
        # force: an admin's resend does not wait for tomorrow's digest.
        enqueue_digests(recipient_ids=recipients, force=True)
        self.message_user(
            request,
            ngettext("Đã xếp lại %(count)d thông báo để gửi.", "Đã xếp lại %(count)d thông báo để gửi.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(Preference)
class PreferenceAdmin(PortalModelAdmin):
    list_display = ["user", "channels", "digest_hour", "language", "last_digest_on", "updated_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(ChannelMessage)
class ChannelMessageAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """Every message on every channel (Zalo, SMS, urgent e-mail): its state, the provider's id and error."""

    list_display = ["created_at", "user", "channel", "state", "to", "attempts", "provider_id", "error_code", "sent_at"]
    list_filter = ["channel", "state", "error_code", "created_at"]
    search_fields = ["user__email", "user__full_name", "to", "key", "provider_id"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ChannelMessage._meta.fields]
    actions = ["resend_failed"]

    @admin.action(description=_("Gửi lại các tin bị lỗi đã chọn"))
    def resend_failed(self, request, queryset):
        ids = list(queryset.filter(state=ChannelMessageState.FAILED).values_list("pk", flat=True))
        queued = delivery.channel_messages_resend(message_ids=ids)
        self.message_user(
            request,
            ngettext("Đã xếp lại %(count)d tin để gửi.", "Đã xếp lại %(count)d tin để gửi.", len(queued))
            % {"count": len(queued)},
            messages.SUCCESS,
        )
