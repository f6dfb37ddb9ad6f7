from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotificationKind(models.TextChoices):
    REPORT_DUE_SOON = "report_due_soon", _("Báo cáo sắp đến hạn")
    REPORT_DUE_TODAY = "report_due_today", _("Báo cáo đến hạn hôm nay")
    REPORT_OVERDUE = "report_overdue", _("Báo cáo quá hạn")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_CHILDREN_DIGEST = "report_children_digest", _("Tổng hợp báo cáo đơn vị cấp dưới (trễ hạn, chờ duyệt)")
    DIRECTIVE_ACKNOWLEDGE = "directive_acknowledge", _("Văn bản chưa xác nhận đã nhận")
    DIRECTIVE_DEADLINE = "directive_deadline", _("Văn bản sắp đến hạn thực hiện")
    DIRECTIVE_ISSUED = "directive_issued", _("Văn bản mới gửi đến đơn vị")
    CONTEST_DRAFT_DEADLINE = "contest_draft_deadline", _("Bài dự thi còn là bản nháp, sắp hết hạn nộp")
    CONTEST_RESULTS = "contest_results", _("Cuộc thi công bố kết quả")
    JUDGE_SCORES_PENDING = "judge_scores_pending", _("Giám khảo còn bài chưa chấm")
    # Transactional mail: sent at once, one e-mail per row, never in a digest.
    CONTEST_VERIFY_EMAIL = "contest_verify_email", _("Thư xác nhận e-mail đăng ký dự thi")
    CONTEST_RECEIPT = "contest_receipt", _("Biên nhận bài dự thi")
    PASSWORD_RESET = "password_reset", _("Thư đặt lại mật khẩu")
    ACCOUNT_UNLOCKED = "account_unlocked", _("Thông báo tài khoản đã được mở khóa")
    # A head reminds late units at one tap ("Đôn đốc"), from the cascade or the reporting dashboard.
    REPORT_REMINDER = "report_reminder", _("Cấp trên đôn đốc nộp báo cáo")
    DIRECTIVE_REMINDER = "directive_reminder", _("Cấp trên đôn đốc thực hiện văn bản")
    DIRECTIVE_ASSIGNED = "directive_assigned", _("Văn bản được giao xử lý")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("notification", "Chờ gửi")
    SENT = "sent", pgettext_lazy("notification", "Đã gửi e-mail")
    PORTAL_ONLY = "portal_only", pgettext_lazy("notification", "Chỉ trong cổng (tắt e-mail)")
    RETRYING = "retrying", pgettext_lazy("notification", "Gửi lỗi, đang thử lại")
    FAILED = "failed", pgettext_lazy("notification", "Gửi lỗi")
    WITHDRAWN = "withdrawn", pgettext_lazy("notification", "Đã rút (không còn đến hạn)")


# Done: nothing more will be tried for these rows.
FINAL_STATUSES = [NotificationStatus.SENT, NotificationStatus.PORTAL_ONLY, NotificationStatus.WITHDRAWN]

# Sent at once by notifications.send_immediate (dispatched on commit), each by its own builder.
IMMEDIATE_KINDS = [
    NotificationKind.CONTEST_VERIFY_EMAIL,
    NotificationKind.CONTEST_RECEIPT,
    NotificationKind.PASSWORD_RESET,
    NotificationKind.ACCOUNT_UNLOCKED,
]


class Channel(models.TextChoices):
    """Where a person is reached. E-mail is always available; Zalo (ZNS) and SMS only when their
    settings are set (a channel whose settings are unset is off and hidden)."""

    EMAIL = "email", _("E-mail")
    ZALO = "zalo", _("Zalo")
    SMS = "sms", _("Tin nhắn SMS")


# Go out at once, on every channel the person chose; the other portal notifications wait for the day's
# digest (at most one message a day per person per channel).
URGENT_KINDS = [
    NotificationKind.REPORT_RETURNED,
    NotificationKind.REPORT_DUE_TODAY,
    NotificationKind.REPORT_REMINDER,
    NotificationKind.DIRECTIVE_REMINDER,
]


class ChannelMessageState(models.TextChoices):
    """One message on one channel (Zalo, SMS, or an urgent e-mail). "Sent" is where it ends unless the
    provider reports delivery later (the portal has no status callback yet: see notifications/channels)."""

    QUEUED = "queued", pgettext_lazy("channel message", "Chờ gửi")
    SENT = "sent", pgettext_lazy("channel message", "Đã gửi")
    DELIVERED = "delivered", pgettext_lazy("channel message", "Đã đến máy")
    FAILED = "failed", pgettext_lazy("channel message", "Gửi lỗi")


CHANNEL_MESSAGE_TRANSITIONS: dict[str, set[str]] = {
    ChannelMessageState.QUEUED: {ChannelMessageState.SENT, ChannelMessageState.FAILED},
    ChannelMessageState.SENT: {ChannelMessageState.DELIVERED, ChannelMessageState.FAILED},
    # An admin's resend: one more round of tries (never sent, so no second message for the key).
    ChannelMessageState.FAILED: {ChannelMessageState.QUEUED},
    ChannelMessageState.DELIVERED: set(),
}
CHANNEL_MESSAGE_DONE = [ChannelMessageState.SENT, ChannelMessageState.DELIVERED, ChannelMessageState.FAILED]
