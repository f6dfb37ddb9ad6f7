"""The ideas contest of plan 34/KH-UBND: contests, rounds, criteria, entrants,
entries (with versions), judges' assignments and scores, conflicts, prizes."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaign_portal.model_text import TextCleanedOnSave, clean_model_text
from campaign_portal.text import clean_text, fold

from .enums import (
    ROUND_SEQUENCE,
    AssignmentState,
    Eligibility,
    EntrantKind,
    EntryStatus,
    PrizeGroup,
    RoundKind,
    RoundState,
    StaffRole,
)


class Contest(models.Model):
    slug = models.SlugField(_("mã cuộc thi (đường dẫn)"), unique=True)
    name = models.CharField(_("tên cuộc thi"), max_length=400)
    year = models.PositiveIntegerField(_("năm"))
    # The implementing plan, as text: the directives app is independent of this one.
    plan_number = models.CharField(_("số kế hoạch"), max_length=60, blank=True, help_text=_("Ví dụ: 34/KH-UBND"))
    plan_date = models.DateField(_("ngày kế hoạch"), null=True, blank=True)
    plan_issuer = models.CharField(_("cơ quan ban hành kế hoạch"), max_length=200, blank=True)
    organiser_name = models.CharField(_("đơn vị tổ chức"), max_length=200, blank=True)
    # The unit that set up the organising committee: it heads the contest's official documents.
    organising_unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị thành lập ban tổ chức"),
        help_text=_("Để trống: đơn vị cao nhất của hệ thống."),
    )
    summary = models.TextField(_("giới thiệu"), blank=True)
    rules_text = models.TextField(_("thể lệ"), blank=True)
    how_to_enter = models.TextField(_("cách dự thi"), blank=True)
    fields = models.JSONField(_("lĩnh vực"), default=list, help_text=_("Danh sách [mã, tên]"))
    code_prefix = models.CharField(_("tiền tố mã bài dự thi"), max_length=20)
    last_entry_number = models.PositiveIntegerField(default=0, editable=False)
    max_team_size = models.PositiveSmallIntegerField(_("số thành viên nhóm tối đa"), default=5)
    max_upload_bytes = models.PositiveIntegerField(_("dung lượng tệp tối đa (byte)"), default=10 * 1024 * 1024)
    final_written_weight = models.DecimalField(
        _("trọng số điểm sơ khảo trong điểm chung cuộc"), max_digits=4, decimal_places=2, default=Decimal("0.40")
    )
    disagreement_threshold = models.DecimalField(
        _("ngưỡng chênh lệch điểm giữa giám khảo (thang 100)"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    comments_published = models.BooleanField(_("công bố nhận xét của giám khảo cho thí sinh"), default=False)
    results_published_at = models.DateTimeField(_("công bố kết quả lúc"), null=True, blank=True)
    is_public = models.BooleanField(_("hiển thị công khai"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["last_entry_number"])

    class Meta:
        ordering = ["-year", "slug"]
        verbose_name = _("cuộc thi")
        verbose_name_plural = _("cuộc thi")

    def __str__(self):
        return self.name

    @property
    def field_labels(self) -> dict:
        return {code: label for code, label in self.fields}

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class PrizeTier(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prize_tiers")
    name = models.CharField(_("giải"), max_length=100)
    group = models.CharField(_("đối tượng"), max_length=20, choices=PrizeGroup.choices)
    quota = models.PositiveSmallIntegerField(_("số giải"))
    rank = models.PositiveSmallIntegerField(_("thứ tự"), help_text=_("1 = giải cao nhất"))
    amount = models.PositiveIntegerField(_("tiền thưởng (đồng)"), default=0)

    class Meta:
        ordering = ["contest", "group", "rank"]
        constraints = [models.UniqueConstraint(fields=["contest", "group", "rank"], name="contest_prize_tier_rank")]
        verbose_name = _("cơ cấu giải")
        verbose_name_plural = _("cơ cấu giải")

    def __str__(self):
        return f"{self.name} ({self.get_group_display()})"


class Round(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("vòng"), max_length=20, choices=RoundKind.choices)
    # Derived from kind on save (ROUND_SEQUENCE): lists order rounds by it, not by the kind's spelling.
    sequence = models.PositiveSmallIntegerField(_("thứ tự vòng"), default=1, editable=False)
    name = models.CharField(_("tên vòng"), max_length=200)
    state = models.CharField(
        _("trạng thái chấm"), max_length=10, choices=RoundState.choices, default=RoundState.PLANNED
    )
    submission_opens_at = models.DateTimeField(_("nhận bài từ"), null=True, blank=True)
    submission_closes_at = models.DateTimeField(_("nhận bài đến"), null=True, blank=True)
    judging_opens_at = models.DateTimeField(_("chấm từ"), null=True, blank=True)
    judging_closes_at = models.DateTimeField(_("chấm đến"), null=True, blank=True)
    judges_per_entry = models.PositiveSmallIntegerField(_("số giám khảo mỗi bài"), default=3)
    scores_open = models.BooleanField(_("giám khảo xem được điểm của nhau"), default=False)
    presentation_minutes = models.PositiveSmallIntegerField(_("phút thuyết trình"), default=10)
    questions_minutes = models.PositiveSmallIntegerField(_("phút hỏi đáp"), default=5)
    final_starts_at = models.DateTimeField(_("bắt đầu chung khảo"), null=True, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contest", "sequence"]
        constraints = [models.UniqueConstraint(fields=["contest", "kind"], name="contest_round_kind")]
        verbose_name = _("vòng thi")
        verbose_name_plural = _("vòng thi")

    def __str__(self):
        return f"{self.contest} · {self.name}"

    def save(self, *args, **kwargs):
        self.sequence = ROUND_SEQUENCE[self.kind]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "kind" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)

    def submission_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(
            self.submission_opens_at
            and self.submission_closes_at
            and self.submission_opens_at <= now < self.submission_closes_at
        )

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN


class Criterion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tiêu chí"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    weight = models.DecimalField(
        _("trọng số"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    min_score = models.DecimalField(_("điểm tối thiểu"), max_digits=5, decimal_places=2, default=Decimal("0"))
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2, default=Decimal("10"))

    class Meta:
        ordering = ["round", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=models.F("min_score")), name="contest_criterion_range"),
        ]
        verbose_name = _("tiêu chí chấm")
        verbose_name_plural = _("tiêu chí chấm")

    def __str__(self):
        return self.name


class ContestStaff(models.Model):
    """Organisers, secretaries and judges of one contest (portal admins manage every contest)."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_roles")
    role = models.CharField(_("vai trò"), max_length=20, choices=StaffRole.choices)
    # For conflicts: a judge never scores an entrant of the same organisation or unit.
    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị công tác"),
    )
    organisation = models.CharField(_("cơ quan công tác"), max_length=300, blank=True)
    expertise = models.JSONField(_("lĩnh vực chuyên môn"), default=list, blank=True)
    label = models.CharField(
        _("ký hiệu giám khảo"),
        max_length=20,
        blank=True,
        help_text=_("Ví dụ: GK1 — hiện cho giám khảo khác thay cho tên"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "user", "role"], name="contest_staff_unique")]
        verbose_name = _("thành viên ban tổ chức/giám khảo")
        verbose_name_plural = _("ban tổ chức và giám khảo")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class Entrant(TextCleanedOnSave, models.Model):
    """A contestant of one contest: a person, a team or an organisation, behind one user account."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entrants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_entrants")
    kind = models.CharField(
        _("hình thức dự thi"), max_length=20, choices=EntrantKind.choices, default=EntrantKind.INDIVIDUAL
    )
    display_name = models.CharField(_("tên tác giả/nhóm/tổ chức"), max_length=300)
    team_members = models.JSONField(_("thành viên nhóm"), default=list, blank=True)
    organisation = models.CharField(_("cơ quan, đơn vị công tác"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("công đoàn/đơn vị trong hệ thống"),
    )
    lineage = models.CharField(max_length=1000, blank=True, editable=False)
    area = models.ForeignKey(
        "organizations.AdministrativeArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    # The district typed before the commune/ward became a choice, kept when no single area matched it.
    legacy_district = models.CharField(_("quận, huyện (ghi trước đây)"), max_length=100, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    eligibility = models.CharField(_("đối tượng dự thi"), max_length=20, choices=Eligibility.choices)
    eligibility_declared_at = models.DateTimeField(null=True, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="contest_entrant_unique")]
        verbose_name = _("thí sinh")
        verbose_name_plural = _("thí sinh")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        clean_model_text(self)
        self.team_members = [name for name in (clean_text(m, multiline=False) for m in self.team_members) if name]
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


def scan_upload_to(instance, filename):
    # A random name: the stored file never carries the entrant's own file name.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"contest/scans/{instance.contest_id}/{uuid.uuid4().hex}.{ext}"


TEXT_FIELDS = ("title", "procedure", "problem", "solution", "benefits", "feasibility")


class Entry(TextCleanedOnSave, models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="entries")
    # The browser's key for this draft: autosaves racing each other create one entry.
    draft_key = models.UUIDField(default=uuid.uuid4, editable=False)
    code = models.CharField(_("mã bài dự thi"), max_length=30, null=True, blank=True, unique=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    rejection_reason = models.TextField(_("lý do không hợp lệ"), blank=True)
    title = models.CharField(_("tên sáng kiến, giải pháp, mô hình"), max_length=300, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=40, blank=True)
    procedure = models.CharField(_("thủ tục hành chính liên quan"), max_length=400, blank=True)
    problem = models.TextField(_("thực trạng, vấn đề hiện nay"), blank=True)
    solution = models.TextField(_("giải pháp, mô hình đề xuất"), blank=True)
    benefits = models.TextField(_("lợi ích dự kiến (thời gian, chi phí, đối tượng hưởng lợi)"), blank=True)
    feasibility = models.TextField(_("tính khả thi và chi phí áp dụng"), blank=True)
    scan = models.FileField(_("bản scan/ảnh bài viết tay"), upload_to=scan_upload_to, blank=True)
    scan_kind = models.CharField(max_length=10, blank=True, editable=False)  # "pdf", "jpg", "png"
    hall_of_fame_consent = models.BooleanField(_("đồng ý công bố trong danh sách vinh danh"), default=False)
    # Copied at submission: area and category filters and reports survive later edits.
    category = models.CharField(max_length=20, choices=Eligibility.choices, blank=True)
    area = models.ForeignKey(
        "organizations.AdministrativeArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legacy_district = models.CharField(max_length=100, blank=True)
    lineage = models.CharField(max_length=1000, blank=True, db_index=True)
    search_text = models.TextField(blank=True, editable=False)
    title_folded = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["search_text", "title_folded", "draft_key"])

    class Meta:
        ordering = ["contest", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entrant", "draft_key"], name="contest_entry_draft_key"),
        ]
        indexes = [
            models.Index(fields=["contest", "status"]),
            models.Index(fields=["contest", "field"]),
            # The signing catch-up (contest.tasks, signatures.selectors.signing_overdue) reads a week of submissions.
            models.Index(fields=["submitted_at"], name="contest_entry_submitted_at"),
        ]
        verbose_name = _("bài dự thi")
        verbose_name_plural = _("bài dự thi")

    def __str__(self):
        return self.code or f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self) -> None:
        clean_model_text(self)  # before the search columns are derived from the text
        self.title_folded = fold(self.title)[:300]
        self.search_text = fold(" ".join(getattr(self, n) for n in TEXT_FIELDS))

    @property
    def is_submitted(self) -> bool:
        return self.status != EntryStatus.DRAFT

    @property
    def field_label(self) -> str:
        return self.contest.field_labels.get(self.field, self.field)

    @property
    def has_text(self) -> bool:
        return bool(self.problem or self.solution)


class EntryVersion(models.Model):
    """What the entrant submitted, each time: the jury judges the last one."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="contest_entry_version_unique")]

    def __str__(self):
        return f"{self.entry_id} v{self.number}"


class Assignment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_assignments")
    state = models.CharField(max_length=20, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED)
    comment = models.TextField(_("nhận xét chung"), blank=True)
    # Weighted score on a 0–100 scale, cached when scores are saved (see services.assignment_total).
    total = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    by_hand = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="contest_assignment_unique"),
        ]
        indexes = [models.Index(fields=["round", "judge", "state"])]
        verbose_name = _("phân công chấm")
        verbose_name_plural = _("phân công chấm")

    def __str__(self):
        return f"{self.entry} → {self.judge_id}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="contest_score_unique")]

    def __str__(self):
        return f"{self.assignment_id}/{self.criterion_id}: {self.value}"


class Conflict(models.Model):
    """A judge declared (or the organisers recorded) a conflict of interest with an entrant."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="conflicts")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entrant = models.ForeignKey(Entrant, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "entrant"], name="contest_conflict_unique")]

    def __str__(self):
        return f"{self.judge_id} × {self.entrant_id}"


class FinalSlot(models.Model):
    """The order and time of a finalist's presentation."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="slots")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="final_slots")
    order = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="contest_slot_entry"),
            models.UniqueConstraint(fields=["round", "order"], name="contest_slot_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.entry_id}"


def certificate_upload_to(instance, filename):
    return f"contest/certificates/{instance.entry.contest_id}/{filename}"


class Award(models.Model):
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="award")
    tier = models.ForeignKey(PrizeTier, on_delete=models.PROTECT, related_name="awards")
    final_score = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    certificate = models.FileField(upload_to=certificate_upload_to, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giải thưởng")
        verbose_name_plural = _("giải thưởng")

    def __str__(self):
        return f"{self.entry_id}: {self.tier_id}"


class CertificateBatch(models.Model):
    """One background run producing certificates: the progress bar reads it."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="certificate_batches")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.contest_id} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return int(100 * (self.done + self.failed) / self.total) if self.total else 100


class RoundDocumentKind(models.TextChoices):
    RESULTS = "results", _("Biên bản kết quả chấm")


def round_document_upload_to(instance, filename):
    return f"contest/documents/{instance.round.contest_id}/{filename}"


class RoundDocument(models.Model):
    """A PDF of a round rendered in the background (too long for a web request), stored until
    the scores change. A derived file: no history, older copies are deleted when a new one is ready.

    Pending while finished_at is empty; a failed run is finished too, with failed and error set."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=RoundDocumentKind.choices)
    file = models.FileField(upload_to=round_document_upload_to, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    # The latest change of the round's scores (or of the round itself) when the document was requested:
    # a later change makes the stored PDF stale (contest.selectors.round_scores_as_of).
    scores_as_of = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One pending run per round and kind: a double click queues the work once.
            models.UniqueConstraint(
                fields=["round", "kind"],
                condition=Q(finished_at__isnull=True),
                name="contest_round_document_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(failed=False) | Q(finished_at__isnull=False),
                name="contest_round_document_failed_is_finished",
            ),
        ]
        verbose_name = _("văn bản của vòng thi")
        verbose_name_plural = _("văn bản của vòng thi")

    def __str__(self):
        return f"{self.round_id} {self.kind} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.finished_at is None

    @property
    def is_ready(self) -> bool:
        return self.finished_at is not None and not self.failed and bool(self.file)

    @property
    def download_name(self) -> str:
        """The file name the browser saves (load round__contest with the document)."""
        name = "so-khao" if self.round.kind == RoundKind.PRELIMINARY else "chung-khao"
        return f"ket-qua-cham-{name}-{self.round.contest.slug}.pdf"
