from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENT = "percent", _("Tỷ lệ phần trăm")
    BOOLEAN = "boolean", _("Có/Không")
    CHOICE = "choice", _("Lựa chọn")
    TEXT = "text", _("Văn bản")


# The types typed as a number (a text input with bounds, a minimum of 0 by default).
NUMBER_TYPES = frozenset({IndicatorType.INTEGER, IndicatorType.DECIMAL, IndicatorType.PERCENT})
# The types stored in Value.number and rolled up as figures: the number types and yes/no (1/0).
NUMERIC_TYPES = NUMBER_TYPES | {IndicatorType.BOOLEAN}


class Rollup(models.TextChoices):
    SUM = "sum", _("Cộng")
    AVERAGE = "average", _("Trung bình")
    ANY = "any", _("Có ít nhất một")
    LIST = "list", _("Liệt kê")


class RuleOperator(models.TextChoices):
    GE = "ge", "≥"
    LE = "le", "≤"
    EQ = "eq", "="
    GT = "gt", ">"
    LT = "lt", "<"


class PeriodType(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("Năm")
    ONE_OFF = "one_off", _("Một lần (theo văn bản chỉ đạo)")


class PeriodScheme(models.TextChoices):
    CUTOFF_14 = "cutoff14", _("Chốt số liệu ngày 14 (Nghị định 09/2019/NĐ-CP)")
    CALENDAR = "calendar", _("Theo lịch (hết tháng)")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Nháp")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Đã nộp")
    RETURNED = "returned", pgettext_lazy("report status", "Trả lại")
    APPROVED = "approved", pgettext_lazy("report status", "Đã duyệt")
    ACCEPTED = "accepted", pgettext_lazy("report status", "Đã tiếp nhận")


# Named groups of states, used by guards and selectors.
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
FILED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.ACCEPTED})
APPROVED_STATUSES = frozenset({ReportStatus.APPROVED, ReportStatus.ACCEPTED})

# Every allowed move of a report, and only these: reporting.services.report_set_state refuses the rest.
# The predicate guarding each move is in reporting.rules.REPORT_TRANSITION_PERMS.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.DRAFT: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.RETURNED: frozenset({ReportStatus.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({ReportStatus.RETURNED, ReportStatus.APPROVED}),
    # Two-step: the parent accepts or returns what the unit's head approved; unapproving goes back to review.
    ReportStatus.APPROVED: frozenset({ReportStatus.ACCEPTED, ReportStatus.RETURNED, ReportStatus.SUBMITTED}),
    ReportStatus.ACCEPTED: frozenset({ReportStatus.APPROVED}),
}
# Where unapproving takes a report: one level of approval back.
UNAPPROVE_TARGETS = {ReportStatus.APPROVED: ReportStatus.SUBMITTED, ReportStatus.ACCEPTED: ReportStatus.APPROVED}
# The badge colour (Bootstrap's text-bg-*) each state shows with.
STATUS_TONES = {
    ReportStatus.DRAFT: "secondary",
    ReportStatus.SUBMITTED: "primary",
    ReportStatus.RETURNED: "warning",
    ReportStatus.APPROVED: "success",
    ReportStatus.ACCEPTED: "success",
}


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Nộp")
    RETURN = "return", _("Trả lại")
    APPROVE = "approve", _("Duyệt")
    ACCEPT = "accept", _("Tiếp nhận")
    UNAPPROVE = "unapprove", _("Hủy duyệt")
    CLOSE = "close", _("Chốt kỳ khi còn đơn vị chưa được duyệt")


class ApprovalLevel(models.TextChoices):
    """What a parent sees about a report, DHIS2-style."""

    NOT_FILED = "not_filed", _("Chưa nộp")
    WAITING_LOWER = "waiting_lower", _("Chờ cấp dưới")
    READY = "ready", _("Sẵn sàng duyệt")
    APPROVED = "approved", _("Đã duyệt")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
