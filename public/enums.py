from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NewsStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("news status", "Bản nháp")
    PENDING = "pending", pgettext_lazy("news status", "Chờ duyệt")
    PUBLISHED = "published", pgettext_lazy("news status", "Đã đăng")


# The news item's only moves: submit, approve, return to draft, unpublish (back to draft).
NEWS_TRANSITIONS: dict[str, set[str]] = {
    NewsStatus.DRAFT: {NewsStatus.PENDING},
    NewsStatus.PENDING: {NewsStatus.PUBLISHED, NewsStatus.DRAFT},
    NewsStatus.PUBLISHED: {NewsStatus.DRAFT},
}


class ReformArea(models.TextChoices):
    """The six areas of administrative reform (Hướng dẫn 83/HD-LĐLĐ, 2021–2025)."""

    INSTITUTIONS = "the-che", _("Cải cách thể chế")
    PROCEDURES = "thu-tuc", _("Cải cách thủ tục hành chính")
    ORGANISATION = "bo-may", _("Cải cách tổ chức bộ máy")
    CIVIL_SERVICE = "cong-vu", _("Cải cách chế độ công vụ")
    PUBLIC_FINANCE = "tai-chinh", _("Cải cách tài chính công")
    E_GOVERNMENT = "chinh-phu-so", _("Chính phủ điện tử, chính phủ số")


class FeedbackKind(models.TextChoices):
    REPORT = "report", _("Phản ánh")
    PROPOSAL = "proposal", _("Kiến nghị")


class FeedbackTopic(models.TextChoices):
    """Fields of administrative procedures named in Kế hoạch 33/KH-UBND."""

    LAND = "dat-dai", _("Đất đai")
    INVESTMENT = "dau-tu", _("Đầu tư")
    BUSINESS = "dang-ky-kinh-doanh", _("Đăng ký kinh doanh")
    CONSTRUCTION = "xay-dung", _("Xây dựng")
    CIVIL_STATUS = "ho-tich", _("Hộ tịch")
    RESIDENCE = "ho-khau", _("Hộ khẩu, cư trú")
    NOTARY = "cong-chung", _("Công chứng, chứng thực")
    SANCTIONS = "xu-phat", _("Xử phạt vi phạm hành chính")
    COMPLAINTS = "khieu-nai", _("Khiếu nại, tố cáo")
    ONE_STOP = "mot-cua", _("Bộ phận một cửa, dịch vụ công trực tuyến")
    OTHER = "khac", _("Lĩnh vực khác")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("feedback status", "Đã tiếp nhận")
    PROCESSING = "processing", pgettext_lazy("feedback status", "Đang xử lý")
    ANSWERED = "answered", pgettext_lazy("feedback status", "Đã trả lời")
    DECLINED = "declined", pgettext_lazy("feedback status", "Không thụ lý")


OPEN_FEEDBACK_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.PROCESSING)
CLOSED_FEEDBACK_STATUSES = (FeedbackStatus.ANSWERED, FeedbackStatus.DECLINED)

# Feedback is taken, then answered or declined; an answer or a refusal closes it for good.
FEEDBACK_TRANSITIONS: dict[str, set[str]] = {
    FeedbackStatus.RECEIVED: {FeedbackStatus.PROCESSING, FeedbackStatus.ANSWERED, FeedbackStatus.DECLINED},
    FeedbackStatus.PROCESSING: {FeedbackStatus.ANSWERED, FeedbackStatus.DECLINED},
    FeedbackStatus.ANSWERED: set(),
    FeedbackStatus.DECLINED: set(),
}
