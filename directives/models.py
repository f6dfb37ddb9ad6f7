from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from campaign_portal.calendar import days_overdue
from campaign_portal.model_text import TextCleanedOnSave, clean_model_text
from campaign_portal.text import fold
from organizations.enums import UnitKind
from organizations.models import AdministrativeArea, Unit, UnitReminder

from .enums import (
    IMPLEMENTED_OUTCOMES,
    TYPE_ABBREVIATION,
    TYPE_HEADING,
    AddresseeMode,
    DeliveryOutcome,
    DocumentStatus,
    DocumentType,
    LinkKind,
    RegisterEntryKind,
)


class Register(models.Model):
    """A unit's outgoing register (sổ văn bản đi) for one year: numbers run from 1 each 1 January."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="registers")
    code = models.CharField(_("mã sổ"), max_length=20, blank=True, help_text=_("Để trống: sổ chung của đơn vị."))
    year = models.PositiveIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        constraints = [models.UniqueConstraint(fields=["unit", "code", "year"], name="one_register_per_unit_code_year")]

    def __str__(self):
        return f"{self.unit} {self.code} {self.year}".strip()


class RegisterEntry(models.Model):
    """One line of an outgoing register: the number given to one document a unit sent, whichever app made it
    (a directive, a report sent up, a contest decision, minutes or receipt). Written in the transaction that
    takes the number, so the register page reads one table. subject_key ("reporting.report:12") names what
    was numbered: a document is numbered once, ever (a report resubmitted after a return keeps its number)."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("số"))
    kind = models.CharField(_("loại"), max_length=20, choices=RegisterEntryKind.choices)
    subject_key = models.CharField(max_length=80, unique=True)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày văn bản"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    signer = models.CharField(_("người ký"), max_length=300, blank=True)
    recipients = models.CharField(_("nơi nhận"), max_length=500, blank=True)
    search_text = models.CharField(max_length=700, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dòng sổ văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        ordering = ["register", "number"]
        constraints = [models.UniqueConstraint(fields=["register", "number"], name="one_entry_per_register_number")]
        indexes = [models.Index(fields=["register", "issued_on"])]

    def __str__(self):
        return f"{self.number_symbol} – {self.summary[:80]}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.number_symbol} {self.summary}")[:700]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The numbered document's page, for the kinds a unit's officer can open ("" for the others)."""
        from django.urls import reverse

        url_name = ENTRY_URL_NAMES.get(self.kind)
        return reverse(url_name, args=[int(self.subject_key.rsplit(":", 1)[1])]) if url_name else ""


ENTRY_URL_NAMES = {
    RegisterEntryKind.DIRECTIVE: "directives:document_detail",
    RegisterEntryKind.REPORT: "reporting:report_detail",
}


class IncomingRegister(models.Model):
    """A unit's incoming register (sổ văn bản đến) for one year: the last incoming number given. Deliveries
    are numbered in bulk by one UPDATE of these rows (directives.services.deliveries_create)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="incoming_registers")
    year = models.PositiveIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sổ văn bản đến")
        verbose_name_plural = _("sổ văn bản đến")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_incoming_register_per_unit_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"


class Document(TextCleanedOnSave, models.Model):
    issuing_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("đơn vị ban hành")
    )
    issuing_lineage = models.CharField(max_length=1000, editable=False)
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocumentType.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    register = models.ForeignKey(Register, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    drafting_suffix = models.CharField(
        _("ký hiệu đơn vị soạn thảo"),
        max_length=20,
        blank=True,
        help_text=_("Tùy chọn, ví dụ TG: 12/LĐLĐ-TG"),
    )
    place = models.CharField(_("địa danh"), max_length=60)
    issued_on = models.DateField(_("ngày văn bản"))
    subject = models.CharField(_("trích yếu"), max_length=500)
    search_text = models.CharField(max_length=700, editable=False, db_index=True)
    extra_legal_bases = models.TextField(
        _("căn cứ khác"), blank=True, help_text=_("Mỗi dòng một căn cứ (các dòng “Thực hiện …” được tạo tự động).")
    )
    body = models.TextField(
        _("nội dung"),
        help_text=_("Phần I., II.; mục 1., 2.; dòng bắt đầu bằng - hoặc +; **đậm**, *nghiêng*."),
    )
    closing = models.TextField(_("câu kết"), blank=True)
    appendix_title = models.CharField(_("tiêu đề phụ lục"), max_length=500, blank=True)
    addressee_mode = models.CharField(
        _("gửi tới"), max_length=20, choices=AddresseeMode.choices, default=AddresseeMode.CHILDREN_OF_KIND
    )
    addressee_kinds = models.JSONField(_("loại đơn vị nhận"), default=list, blank=True)
    addressee_root = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị gốc")
    )
    addressee_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("đơn vị nhận"))
    # AREA mode: the units covering this commune/ward on the document's date (of addressee_kinds, by default CĐCS).
    addressee_area = models.ForeignKey(
        AdministrativeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phường, xã nhận"),
    )
    kinh_gui = models.TextField(_("kính gửi"), blank=True, help_text=_("Mỗi dòng một nhóm nơi nhận."))
    noi_nhan = models.TextField(
        _("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận, dòng cuối “Lưu: VT, …”.")
    )
    # One line each, as printed above the signer: "TM. BAN THƯỜNG VỤ" / "KT. CHỦ TỊCH" (a text column keeps \n).
    signer_authority = models.TextField(
        _("thẩm quyền ký"),
        max_length=100,
        blank=True,
        help_text=_("Mỗi dòng một cấp, ví dụ: TM. BAN THƯỜNG VỤ (dòng 1), KT. CHỦ TỊCH (dòng 2)."),
    )
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100)
    # The head who signs, chosen when issuing: the stamp shows her signature picture (signatures.SignatureImage).
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ký (tài khoản)"),
    )
    due_on = models.DateField(_("hạn thực hiện"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], name="one_number_per_register", condition=Q(number__isnull=False)
            ),
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.DRAFT) | Q(number__isnull=False, register__isnull=False),
                name="issued_document_has_number",
            ),
        ]
        indexes = [models.Index(fields=["issuing_unit", "status"])]

    def __str__(self):
        return f"{self.number_symbol or _('Dự thảo')} – {self.subject[:80]}"

    def save(self, *args, **kwargs):
        clean_model_text(self)  # before the search column is derived from the subject
        self.search_text = fold(f"{self.number_symbol} {self.subject}")[:700]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("directives:document_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.status == DocumentStatus.ISSUED

    @property
    def is_cong_van(self) -> bool:
        return self.doc_type == DocumentType.CONG_VAN

    @property
    def type_abbreviation(self) -> str:
        return TYPE_ABBREVIATION[DocumentType(self.doc_type)]

    @property
    def type_heading(self) -> str:
        return TYPE_HEADING[DocumentType(self.doc_type)]

    @property
    def reference(self) -> str:
        """How another document cites this one: 'Kế hoạch số 33/KH-UBND ngày 29/01/2019'."""
        with translation.override("vi"):  # official text, whatever the reader's interface language
            return f"{self.get_doc_type_display()} số {self.number_symbol} ngày {self.issued_on:%d/%m/%Y}"


class DocumentLink(models.Model):
    """source implements / amends / replaces target."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(max_length=12, choices=LinkKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target", "kind"], name="one_link_per_kind")]

    def __str__(self):
        return f"{self.source_id} {self.kind} {self.target_id}"


class Task(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    deadline = models.DateField(_("thời hạn"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.title} ({self.deadline:%d/%m/%Y})"


class AppendixRow(models.Model):
    """One line of an appendix table of tasks and budget (plan 33)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="appendix_rows")
    order = models.PositiveIntegerField(default=0)
    task = models.CharField(_("tên nhiệm vụ"), max_length=500)
    deciding_body = models.CharField(_("cơ quan quyết định"), max_length=300, blank=True)
    implementing_body = models.CharField(_("cơ quan thực hiện"), max_length=300, blank=True)
    result = models.CharField(_("kết quả"), max_length=500, blank=True)
    media_partner = models.CharField(_("cơ quan truyền thông"), max_length=500, blank=True)
    budget_note = models.CharField(_("chi tiết kinh phí"), max_length=500, blank=True)
    amount = models.DecimalField(_("kinh phí (đồng)"), max_digits=15, decimal_places=0, default=0)
    period = models.CharField(_("thời gian"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.task


def attachment_path(instance, filename):
    return f"directives/{instance.document_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name


def evidence_path(instance, filename):
    return f"directives/evidence/{instance.document_id}/{instance.unit_id}-{filename[-80:]}"


class Progress(NamedTuple):
    """A delivery's furthest step as a badge. Named: a template reads progress.label without the failed
    lookups that progress.0 costs (a dictionary lookup, then dir() on the tuple, on every row of a list)."""

    label: str
    badge: str


class Delivery(models.Model):
    """A document received by one unit: read, acknowledged, implemented."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deliveries")
    # The unit's place at issue time: the cascade and visibility follow it, even after a reorganisation.
    lineage = models.CharField(max_length=1000)
    depth = models.PositiveSmallIntegerField()
    unit_kind = models.CharField(max_length=30, choices=UnitKind.choices)
    # The date and time of arrival (ngày đến) the incoming register shows: delivery is instant in the portal.
    delivered_at = models.DateTimeField()
    # Số đến: per recipient unit and (Hanoi) year of arrival, from 1 each 1 January (IncomingRegister).
    incoming_year = models.PositiveIntegerField(_("năm sổ đến"), null=True, blank=True)
    incoming_number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=DeliveryOutcome.choices, default=DeliveryOutcome.PENDING)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_note = models.TextField(_("kết quả thực hiện"), blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    evidence = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    evidence_name = models.CharField(max_length=255, blank=True)
    implementing_document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="implemented_deliveries"
    )
    # Giao xử lý: the colleague of the unit handling it now; each (re)assignment is a history row.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_deliveries",
        verbose_name=_("người xử lý"),
    )
    assignee_due_on = models.DateField(_("hạn xử lý"), null=True, blank=True)
    assignment_note = models.TextField(_("ý kiến giao xử lý"), blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(
        excluded_fields=["lineage", "depth", "unit_kind", "delivered_at", "due_on", "incoming_year", "incoming_number"]
    )

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="one_delivery_per_unit"),
            models.UniqueConstraint(
                fields=["unit", "incoming_year", "incoming_number"],
                name="one_incoming_number_per_unit_year",
                condition=Q(incoming_number__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["document", "lineage"]),
            models.Index(fields=["unit", "delivered_at"]),
            models.Index(fields=["assignee", "outcome"]),
        ]

    def __str__(self):
        return f"{self.document_id} → {self.unit_id}"

    @property
    def is_implemented(self) -> bool:
        return self.outcome in IMPLEMENTED_OUTCOMES

    @property
    def progress(self) -> Progress:
        """The furthest step reached, as lists show it."""
        if self.is_implemented:
            return Progress(self.get_outcome_display(), "text-bg-success")
        if self.acknowledged_at is not None:
            return Progress(pgettext("delivery progress", "Đã xác nhận"), "text-bg-info")
        if self.read_at is not None:
            return Progress(pgettext("delivery progress", "Đã đọc"), "text-bg-secondary")
        return Progress(pgettext("delivery progress", "Chưa đọc"), "text-bg-light border")

    def overdue_days(self, today=None) -> int:
        """Days past the due date while still to be implemented; 0 otherwise."""
        if self.is_implemented:
            return 0
        return days_overdue(self.due_on, today or timezone.localdate())

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.due_on is None:
            return False
        if self.is_implemented:
            return self.completed_at is not None and timezone.localdate(self.completed_at) > self.due_on
        return today > self.due_on


class DeliverySummary(models.Model):
    """The facts of one delivery the cascade's counts read (directives.summaries), narrow and kept in the same
    transaction as each change of its delivery: the cascade page and the public coverage aggregate these rows
    instead of the wide delivery rows. Lateness while pending depends on today, so it is not stored: the reads
    compare due_on with today (and completed_on with due_on for a late completion)."""

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    # Copied from the delivery: the unit's place at issue time, which the cascade's filters follow.
    lineage = models.CharField(max_length=1000)
    depth = models.PositiveSmallIntegerField()
    unit_kind = models.CharField(max_length=30, choices=UnitKind.choices)
    due_on = models.DateField(null=True, blank=True)
    is_read = models.BooleanField()
    is_acknowledged = models.BooleanField()
    is_implemented = models.BooleanField()
    completed_on = models.DateField(null=True, blank=True)  # the day (Hanoi) the outcome was recorded

    class Meta:
        indexes = [
            models.Index(fields=["document", "depth", "unit_kind"]),
            models.Index(fields=["document", "lineage"]),
        ]

    def __str__(self):
        return f"{self.document_id} → {self.unit_id}"


class DeliveryReminder(UnitReminder):
    """A supervisor's one-tap reminder ("Đôn đốc") to a unit late with a delivery: at most one per unit, delivery
    and Hanoi day (the constraint); the reminded unit's officers were notified at once (urgent kind)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="reminders")

    class Meta:
        verbose_name = _("lần đôn đốc văn bản")
        verbose_name_plural = _("lần đôn đốc văn bản")
        constraints = [
            models.UniqueConstraint(fields=["unit", "delivery", "reminded_on"], name="one_delivery_reminder_per_day")
        ]
        indexes = [models.Index(fields=["delivery", "reminded_at"])]

    def __str__(self):
        return f"{self.delivery_id} → {self.unit_id} {self.reminded_on}"
