"""Report forms (versioned), reporting cycles and periods, reports with their
values as rows (so that roll-ups are SQL aggregates), reviews and evidence."""

import decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaign_portal.text import nfc
from organizations.models import Unit, UnitReminder

from .enums import (
    APPROVED_STATUSES,
    EDITABLE_STATUSES,
    NUMERIC_TYPES,
    STATUS_TONES,
    ApprovalLevel,
    IndicatorType,
    PeriodScheme,
    PeriodType,
    ReportStatus,
    ReviewAction,
    Rollup,
    RuleOperator,
)


class ReportForm(models.Model):
    code = models.SlugField(_("mã mẫu báo cáo"), max_length=60, unique=True)
    name = models.CharField(_("tên mẫu báo cáo"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

    def __str__(self):
        return self.name


class FormVersion(models.Model):
    """A frozen snapshot of a form once a cycle uses it: changes make a new version."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    note = models.CharField(_("ghi chú thay đổi"), max_length=255, blank=True)
    frozen_at = models.DateTimeField(_("khóa từ"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản mẫu báo cáo")
        verbose_name_plural = _("phiên bản mẫu báo cáo")
        ordering = ["form_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="reporting_one_version_number")]

    def __str__(self):
        return f"{self.form} – v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Section(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu đề phần"), max_length=255)

    class Meta:
        ordering = ["version_id", "order", "id"]
        verbose_name = _("phần")
        verbose_name_plural = _("phần")

    def __str__(self):
        return self.title


class Indicator(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.SlugField(_("mã chỉ tiêu"), max_length=60)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)
    type = models.CharField(_("kiểu"), max_length=10, choices=IndicatorType.choices, default=IndicatorType.INTEGER)
    choices = models.TextField(_("các lựa chọn (mỗi dòng một)"), blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)
    rollup = models.CharField(_("cách tổng hợp"), max_length=10, choices=Rollup.choices, default=Rollup.SUM)
    measure_unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    min_value = models.DecimalField(_("giá trị nhỏ nhất"), max_digits=20, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("giá trị lớn nhất"), max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["version_id", "order", "id"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="reporting_indicator_code_per_version")]

    def __str__(self):
        return self.label

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class ValidationRule(models.Model):
    """left <operator> right, checked on submit, e.g. members reached ≥ sessions held."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    left = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    operator = models.CharField(_("phép so sánh"), max_length=2, choices=RuleOperator.choices)
    right = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("thông báo khi vi phạm"), max_length=300)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")

    def __str__(self):
        return self.message


class ReportingCycle(models.Model):
    name = models.CharField(_("tên đợt báo cáo"), max_length=255)
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("mẫu báo cáo")
    )
    period_type = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodType.choices)
    scheme = models.CharField(
        _("cách tính kỳ"), max_length=10, choices=PeriodScheme.choices, default=PeriodScheme.CUTOFF_14
    )
    year = models.PositiveIntegerField(_("năm"), null=True, blank=True)
    due_working_days = models.PositiveIntegerField(_("hạn nộp (số ngày làm việc sau ngày chốt)"), default=2)
    grace_days = models.PositiveIntegerField(_("số ngày gia hạn trước khi khóa kỳ"), default=10)
    scope_kinds = models.JSONField(_("loại đơn vị phải báo cáo"), default=list, blank=True)
    scope_root = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chỉ trong cây của đơn vị"),
    )
    two_step = models.BooleanField(_("duyệt hai bước (cấp cơ sở duyệt, cấp trên tiếp nhận)"), default=False)
    directive_reference = models.CharField(_("theo văn bản"), max_length=120, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đợt báo cáo")
        verbose_name_plural = _("đợt báo cáo")

    def __str__(self):
        return self.name


class Period(models.Model):
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("kỳ"), max_length=80)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày (chốt số liệu)"))
    due_on = models.DateField(_("hạn nộp"))
    locks_on = models.DateField(_("khóa kỳ từ ngày"), help_text=_("Ngày đầu tiên không còn nộp được."))

    class Meta:
        ordering = ["cycle_id", "starts_on"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [models.UniqueConstraint(fields=["cycle", "starts_on"], name="reporting_one_period_start")]

    def __str__(self):
        return f"{self.label} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"

    @property
    def title(self) -> str:
        """The one way a period is named on forms, notifications and e-mails: "cycle – period". A one-off
        cycle's only period is labelled with the cycle's own name, which is then said once, not twice."""
        if nfc(self.label).casefold() == nfc(self.cycle.name).casefold():
            return self.cycle.name
        return f"{self.cycle.name} – {self.label}"


class LockException(models.Model):
    """An admin lets one unit file a locked period until a date."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="lock_exceptions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("được nộp đến hết ngày"))
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngoại lệ khóa kỳ")
        verbose_name_plural = _("ngoại lệ khóa kỳ")
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="reporting_one_exception")]

    def __str__(self):
        return f"{self.unit} – {self.period.label} → {self.until:%d/%m/%Y}"


class Report(models.Model):
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    # The unit's place in the tree when the report was made: roll-ups filter on it.
    lineage = models.CharField(max_length=1000, editable=False)
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Optimistic locking: every write checks and bumps it.
    version = models.PositiveIntegerField(default=1)
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The level that approved: only it or a level above may unapprove.
    approved_level = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A head typed (imported) the figures of a unit that sent them on paper: shown on the report and in the queue.
    entered_on_behalf = models.BooleanField(_("nhập hộ"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập hộ"),
    )
    # Closing a period with children still missing lists them here (DHIS2's exception).
    closed_missing = models.TextField(_("đơn vị cấp dưới còn thiếu khi chốt kỳ"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "period", "unit"], name="reporting_one_report_per_unit_period"),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="reporting_period_status"),
            # The review queues (reporting.selectors.review_queue_for): the submitted reports of a head's children,
            # found unit by unit instead of by reading every submitted report of every period.
            models.Index(fields=["status", "unit"], name="reporting_status_unit"),
            # The public home page's stamp (selectors.public.campaign_results_stamp): the approved reports' count and
            # latest approval read from the index alone, on every anonymous visit.
            models.Index(fields=["status", "approved_at"], name="reporting_status_approved_at"),
            models.Index(fields=["lineage"], name="reporting_report_lineage", opclasses=["text_pattern_ops"]),
            # The signing catch-up (signatures.selectors.signing_overdue) looks for reports submitted in a window.
            models.Index(fields=["submitted_at"], name="reporting_report_submitted_at"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.period.label}"

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES

    @property
    def status_tone(self) -> str:
        return STATUS_TONES[self.status]

    @property
    def status_label(self) -> str:
        """get_status_display() without rebuilding the choices' dict on each call (a roll-up lists 60 children)."""
        return ReportStatus(self.status).label

    @property
    def approval_level_label(self) -> str:
        """Set by selectors.annotate_children_readiness()."""
        level = getattr(self, "approval_level", None)
        return ApprovalLevel(level).label if level else ""


class StoredNumberField(models.DecimalField):
    """A DecimalField that reads back whatever the database holds.

    SQLite does not enforce max_digits, so a row written outside the portal may hold more digits than
    the column declares; Django would then fail reading it (and every sum over it) with InvalidOperation.
    The forms and the saving service keep new figures inside the column's range."""

    @cached_property
    def context(self):
        return decimal.Context(prec=max(self.max_digits or 0, 60))


# The largest magnitude Value.number holds: 20 digits, 4 of them after the point.
VALUE_MAX_DIGITS = 20
VALUE_DECIMAL_PLACES = 4
VALUE_LIMIT = decimal.Decimal(10) ** (VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES)


class Value(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    number = StoredNumberField(max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES, null=True, blank=True)
    text = models.TextField(blank=True)
    comment = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # The officer confirmed that this unusual figure is right, against this figure of her previous period.
    unusual_confirmed = models.BooleanField(_("đã xác nhận số liệu bất thường"), default=False)
    unusual_reference = StoredNumberField(
        _("số liệu kỳ trước dùng để so sánh"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
        null=True,
        blank=True,
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reporting_one_value")]
        indexes = [models.Index(fields=["indicator", "report"], name="reporting_value_indicator")]

    def __str__(self):
        return f"{self.indicator_id}={self.number if self.number is not None else self.text}"


class Review(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(_("thao tác"), max_length=10, choices=ReviewAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Not auto_now_add: a service dates an action it is given a moment for (the demo's 2019 reviews).
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["report_id", "at", "id"]
        verbose_name = _("lượt xử lý")
        verbose_name_plural = _("lượt xử lý")

    def __str__(self):
        return f"{self.get_action_display()} – {self.by_id} – {self.at:%d/%m/%Y %H:%M}"


def evidence_path(instance, filename):
    return f"reporting/evidence/{instance.report_id}/{instance.stored_name}"


class Evidence(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="reporting_evidence_not_empty")]

    def __str__(self):
        return self.original_name


class ReportReminder(UnitReminder):
    """A supervisor's one-tap reminder ("Đôn đốc") to a unit that has not filed its report of a period: keyed by
    (period, unit) since the report may not exist yet; at most one per unit, period and Hanoi day."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")

    class Meta:
        verbose_name = _("lần đôn đốc báo cáo")
        verbose_name_plural = _("lần đôn đốc báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "reminded_on"], name="reporting_one_reminder_per_day")
        ]
        indexes = [models.Index(fields=["period", "unit", "reminded_at"], name="reporting_reminder_last")]

    def __str__(self):
        return f"{self.period_id} → {self.unit_id} {self.reminded_on}"


class ReportSubmission(models.Model):
    """A filing POST the server took, by the key the browser generated for it: a submission queued offline
    and sent again (or a double click) is recognised and answered as the first, and changes nothing."""

    key = models.UUIDField(unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="submissions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lượt gửi báo cáo")
        verbose_name_plural = _("lượt gửi báo cáo")

    def __str__(self):
        return str(self.key)


class ReportSummary(models.Model):
    """One row per (period, unit) that had to report on the period's reference date or has a report: what the
    dashboards, roll-up counts and late-unit lists count, so that they read one small row per unit instead of
    joining placements, units and reports. Written only by reporting.summaries.summaries_refresh, in the same
    transaction as the change it summarises; `manage.py portal_summaries` checks it against the raw rows."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="summaries")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_summaries")
    # The unit's lineage on the period's reference date (its report's stored lineage when it had no place then):
    # who was expected under whom.
    lineage = models.CharField(max_length=1000)
    # The lineage the report stored when it was made ("" without a report): what reports are counted under.
    report_lineage = models.CharField(max_length=1000, blank=True)
    # The tree order of that date: "/" sorts after "-" in codes, " " in its place keeps a subtree after its unit.
    tree_order = models.CharField(max_length=1000)
    unit_kind = models.CharField(max_length=30)
    expected = models.BooleanField()
    status = models.CharField(max_length=10, blank=True)  # the report's status, "" without a report
    filed = models.BooleanField()
    on_time = models.BooleanField()
    approved = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="reporting_one_summary_per_unit")]
        indexes = [
            models.Index(
                fields=["period", "lineage"],
                name="reporting_summary_lineage",
                opclasses=["int8_ops", "text_pattern_ops"],
            ),
            models.Index(
                fields=["period", "report_lineage"],
                name="reporting_summary_report_lin",
                opclasses=["int8_ops", "text_pattern_ops"],
            ),
            models.Index(fields=["period", "tree_order"], name="reporting_summary_tree_order"),
        ]

    def __str__(self):
        return f"{self.period_id} – {self.unit_id}: {self.status or '-'}"


class ReportSummaryNode(models.Model):
    """One row per (period, node of the tree): the ReportSummary rows of the period counted under a lineage prefix
    (every ancestor-or-self of a row's lineage or report lineage), so that a dashboard reads a unit's node and its
    children's instead of every row of its subtree. Expected units by their lineage then; reports by the lineage they
    stored, inside the cycle's scope as the dashboard counts them. Kept by reporting.summaries in the transaction of
    each change (a report's new status adds its difference; a change of the tree recounts); `manage.py
    portal_summaries` checks it."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="summary_nodes")
    lineage = models.CharField(max_length=1000)
    parent_lineage = models.CharField(max_length=1000, blank=True)  # "" for a root
    expected = models.PositiveIntegerField()
    filed = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()
    approved = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "lineage"], name="reporting_one_node_per_lineage")]
        indexes = [models.Index(fields=["cycle", "parent_lineage"], name="reporting_node_parent")]

    def __str__(self):
        return f"{self.period_id} – {self.lineage}: {self.expected}/{self.filed}"


class ReportValueNode(models.Model):
    """One row per (period, node of the tree, indicator): the sum, count and maximum of the numbers of the period's
    approved reports whose stored lineage lies strictly below the node, so that a roll-up reads its unit's rows
    instead of aggregating every value of its subtree. Only nodes with an approved report below have rows (a leaf
    reads its own report). Incremented by reporting.value_nodes in the transaction of each approval and
    unapproval; `manage.py portal_summaries` checks it against the raw values."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    lineage = models.CharField(max_length=1000)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    # Room for 10,000 units' figures of VALUE_MAX_DIGITS each.
    number_sum = StoredNumberField(max_digits=VALUE_MAX_DIGITS + 10, decimal_places=VALUE_DECIMAL_PLACES)
    number_count = models.IntegerField()
    number_max = StoredNumberField(max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMAL_PLACES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "lineage", "indicator"], name="reporting_one_value_node"),
        ]

    def __str__(self):
        return f"{self.period_id} – {self.lineage} – {self.indicator_id}: {self.number_sum}/{self.number_count}"


class ReportListText(models.Model):
    """One row per non-empty text of a LIST-rollup indicator in an approved report of a period, with the lineage the
    report stored, so that a roll-up reads its subtree's texts by lineage prefix instead of scanning every value of
    the period's approved reports. Written by reporting.list_texts in the transaction of each approval and
    unapproval; `manage.py portal_summaries` checks it against the raw values. The unit is kept to order the texts
    by its current name (a rename changes its sort key) without joining the report."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    lineage = models.CharField(max_length=1000)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reporting_one_list_text")]
        indexes = [
            models.Index(
                fields=["period", "lineage"],
                name="reporting_list_text_lineage",
                opclasses=["int8_ops", "text_pattern_ops"],
            ),
        ]

    def __str__(self):
        return f"{self.period_id} – {self.lineage} – {self.indicator_id}"
