from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import Channel, ChannelMessageState, NotificationKind, NotificationStatus

DEFAULT_DIGEST_HOUR = 7


class Notification(models.Model):
    """One thing to tell one person, once. The unique key (recipient, kind, subject,
    window) is the idempotency key: a sweep or a signal that runs twice inserts once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("người nhận")
    )
    kind = models.CharField(_("loại"), max_length=40, choices=NotificationKind.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    window = models.CharField(_("kỳ nhắc"), max_length=60)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_type", "subject_id", "window"], name="notification_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["status", "recipient"], name="notif_status_recipient"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id} [{self.window}]"

    @property
    def url(self) -> str:
        return self.payload.get("url", "")


class ReminderSourceChange(models.Model):
    """Written by database triggers when a table that a reminder provider reads changes (the providers'
    `watches`, installed after migrate by notifications.sweep_stamp). While there is none and the clock has
    not reached the last sweep's `valid_until`, a sweep would find what the last one found, and is skipped.
    PostgreSQL appends a row per changing statement (concurrent writers never wait for each other); SQLite,
    with one writer at a time, keeps one row."""

    id = models.BigAutoField(primary_key=True)

    def __str__(self):
        return str(self.pk)


class ReminderSweepStamp(models.Model):
    """The last complete reminder sweep (one row): when it ran, until when its answer holds by the clock alone
    (midnight in Hanoi, or the providers' next boundary), which providers answered, and how many were due."""

    swept_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    providers = models.TextField()
    due = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.swept_at:%Y-%m-%d %H:%M} → {self.valid_until:%Y-%m-%d %H:%M}: {self.due}"


def default_channels() -> list[str]:
    return [Channel.EMAIL]


class Preference(models.Model):
    """Per person: which kinds come by e-mail, when the daily digest goes out, in which
    language. The row is also the per-person lock the digest sender takes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_disabled_kinds = models.JSONField(_("loại không nhận qua e-mail"), default=list, blank=True)
    digest_hour = models.PositiveSmallIntegerField(
        _("giờ nhận thư tổng hợp"),
        default=DEFAULT_DIGEST_HOUR,
        validators=[MaxValueValidator(23)],
        help_text=_("Mỗi ngày nhiều nhất một thư, gửi từ giờ này (giờ Việt Nam)."),
    )
    language = models.CharField(
        _("ngôn ngữ thư"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Để trống: theo ngôn ngữ của tài khoản."),
    )
    channels = models.JSONField(
        _("kênh nhận thông báo"),
        default=default_channels,
        blank=True,
        help_text=_("E-mail, Zalo, SMS: những kênh người dùng chọn (Zalo, SMS chỉ khi cổng đã cấu hình)."),
    )
    last_digest_on = models.DateField(_("ngày gửi thư gần nhất"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tùy chọn thông báo")
        verbose_name_plural = _("tùy chọn thông báo")

    def __str__(self):
        return f"{self.user_id}: {self.digest_hour}h"

    def email_language(self) -> str:
        return self.language or getattr(self.user, "language", "") or settings.LANGUAGE_CODE

    def wants_email(self, kind: str) -> bool:
        return Channel.EMAIL in (self.channels or []) and kind not in (self.email_disabled_kinds or [])


class ProviderToken(models.Model):
    """A provider's current OAuth tokens (Zalo OA): refreshed tokens live here, not in the environment,
    because each Zalo refresh token works once. The row is also the lock of a refresh."""

    provider = models.CharField(max_length=20, unique=True)
    access_token = models.TextField()
    refresh_token = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mã truy cập nhà cung cấp")
        verbose_name_plural = _("mã truy cập nhà cung cấp")

    def __str__(self):
        return f"{self.provider} ({self.updated_at:%Y-%m-%d %H:%M})"


class ChannelMessage(models.Model):
    """One message to one person on one channel, with its delivery state. The key is the notification's
    idempotency key (or the person's digest of the day) extended by the channel: unique, so a second
    enqueue or a retried task never sends a second message."""

    key = models.CharField(_("khóa"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="channel_messages",
        verbose_name=_("người nhận"),
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="channel_messages"
    )
    digest_on = models.DateField(_("tổng hợp của ngày"), null=True, blank=True)
    fallback_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("thay cho tin")
    )
    to = models.CharField(_("gửi đến"), max_length=254)
    text = models.TextField(_("nội dung"))
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ChannelMessageState.choices, default=ChannelMessageState.QUEUED
    )
    provider_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    error_code = models.CharField(_("mã lỗi"), max_length=40, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến máy người nhận lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tin gửi qua kênh")
        verbose_name_plural = _("tin gửi qua kênh")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="chmsg_state_created"),
            # A provider's delivery report names its own message id.
            models.Index(fields=["channel", "provider_id"], name="chmsg_provider_id"),
        ]

    def __str__(self):
        return self.key
