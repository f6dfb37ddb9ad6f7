from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import NotificationKind, NotificationStatus

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
        return kind not in (self.email_disabled_kinds or [])
