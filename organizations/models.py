from functools import cached_property

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from campaign_portal.model_text import TextCleanedOnSave, clean_model_text
from campaign_portal.search import padded_words
from campaign_portal.text import fold, vietnamese_sort_key

from .data import area_proper_name, area_search_text, area_sort_key
from .enums import AreaKind, MembershipEnd, Role, UnitChangeKind, UnitKind


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(TextCleanedOnSave, AbstractBaseUser, PermissionsMixin):
    """A person: logs in with e-mail; what she may do comes from memberships."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=settings.LANGUAGES, default="vi")
    is_staff = models.BooleanField(_("vào trang quản trị Django"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def save(self, *args, **kwargs):
        clean_model_text(self)
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None):
        """The portal's permissions are django-rules predicates; model permissions (groups, user_permissions) serve
        the Django admin, which only staff enter, so they count only for staff. For everyone else the rule set alone
        answers: no query of the model backend (two on every page that asks a permission the rules deny)."""
        if self.is_active and not (self.is_staff or self.is_superuser):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.email

    @cached_property
    def readable_memberships(self) -> list["Membership"]:
        """Active memberships and those ended by their unit's dissolution (read-only access
        to its past), loaded once per request: every permission check reads this list."""
        if not self.pk:
            return []
        return list(
            self.memberships.filter(
                models.Q(is_active=True, unit__dissolved_on__isnull=True)
                | models.Q(end_reason=MembershipEnd.UNIT_DISSOLVED, unit__dissolved_on__isnull=False)
            )
            .select_related("unit")
            .order_by("unit__path")
        )

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        """What she may do today (write rules read only this); same query as readable_memberships."""
        return [m for m in self.readable_memberships if m.is_active and m.unit.dissolved_on is None]

    @cached_property
    def former_memberships(self) -> list["Membership"]:
        """Memberships of units dissolved while she belonged to them: read-only."""
        return [m for m in self.readable_memberships if m.end_reason == MembershipEnd.UNIT_DISSOLVED]

    @property
    def is_portal_admin(self) -> bool:
        return self.is_superuser or any(m.role == Role.PORTAL_ADMIN for m in self.active_memberships)


class Unit(TextCleanedOnSave, MP_Node):
    """A unit of the live tree. Its code never changes; its place may."""

    steplen = 4
    code = models.CharField(_("mã đơn vị"), max_length=60, unique=True)
    kind = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitKind.choices)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    abbreviation = models.CharField(
        _("chữ viết tắt trên văn bản"), max_length=30, blank=True, help_text=_("Ví dụ: UBND, LĐLĐ")
    )
    document_parent_name = models.CharField(
        _("cơ quan chủ quản (dòng trên ở tiêu đề văn bản)"),
        max_length=255,
        blank=True,
        help_text=_("Để trống: dùng tên đơn vị cấp trên."),
    )
    document_name = models.CharField(
        _("tên cơ quan ban hành (dòng dưới ở tiêu đề văn bản)"),
        max_length=255,
        blank=True,
        help_text=_("Để trống: dùng tên đơn vị."),
    )
    place_name = models.CharField(_("địa danh ghi trên văn bản"), max_length=60, default="Hà Nội")
    signer_authority = models.CharField(
        _("thẩm quyền ký văn bản của đơn vị"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: TM. BAN THƯỜNG VỤ. Để trống: người đứng đầu ký trực tiếp."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    member_count = models.PositiveIntegerField(_("số đoàn viên"), default=0)
    active_from = models.DateField(_("hoạt động từ"), default=timezone.localdate)
    dissolved_on = models.DateField(_("giải thể/ngừng từ"), null=True, blank=True)
    # Stable codes from the root down, e.g. /HN/HN-LDLD/HN-LDLD-GIALAM/: copied onto
    # every record a unit makes, so that history survives a reorganisation.
    lineage = models.CharField(max_length=1000, db_index=True, editable=False)
    search_text = models.CharField(max_length=400, db_index=True, editable=False)
    sort_key = models.CharField(max_length=520, db_index=True, editable=False)

    # The search text as ranked_search matches it, kept so that searching 10,000 units pads nothing in SQL.
    search_words = models.TextField(editable=False, default="")
    history = HistoricalRecords(
        excluded_fields=["path", "depth", "numchild", "search_text", "search_words", "sort_key"]
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [
            models.Index(fields=["kind", "path"]),
            # A unit's children, `depth = d + 1 AND path LIKE 'p%'` (review queues, coverage, roll-ups): without it
            # PostgreSQL reads the whole tree for a city-level parent, whose prefix matches every unit.
            models.Index(
                fields=["depth", "path"], name="unit_depth_path", opclasses=["int4_ops", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_model_text(self)  # every text column, before search and sort keys are derived from them
        self.derive_keys()
        super().save(*args, **kwargs)

    def derive_keys(self) -> None:
        """The search and sort keys, from the cleaned name, code and abbreviation (save, and bulk creation)."""
        self.search_text = fold(f"{self.name} {self.code} {self.abbreviation}")
        self.search_words = padded_words(self.search_text)
        self.sort_key = vietnamese_sort_key(self.name)

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def is_grassroots(self) -> bool:
        return self.kind == UnitKind.GRASSROOTS_UNION

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("organizations:unit_detail", args=[self.code])

    def is_in_subtree_of(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)


class UnitPlacement(models.Model):
    """Where a unit stood in the tree between two dates: the tree as it was."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements")
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, related_name="+")
    lineage = models.CharField(max_length=1000)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="exclusive")

    class Meta:
        indexes = [models.Index(fields=["unit", "valid_from"])]
        ordering = ["unit_id", "valid_from"]

    def __str__(self):
        return f"{self.unit_id} {self.lineage} [{self.valid_from}, {self.valid_to})"


class UnitChange(models.Model):
    """One reorganisation step, kept for ever."""

    kind = models.CharField(max_length=20, choices=UnitChangeKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="changes")
    effective_on = models.DateField(_("ngày hiệu lực"))
    old_parent = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    new_parent = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    related_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    old_lineage = models.CharField(max_length=1000, blank=True)
    new_lineage = models.CharField(max_length=1000, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("thay đổi tổ chức")
        verbose_name_plural = _("thay đổi tổ chức")

    def __str__(self):
        return f"{self.get_kind_display()} {self.unit} ({self.effective_on:%d/%m/%Y})"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    ended_on = models.DateField(_("kết thúc từ"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=20, choices=MembershipEnd.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_per_user_unit")]

    def __str__(self):
        return f"{self.user.full_name} – {self.get_role_display()} – {self.unit}"


class AdministrativeArea(TextCleanedOnSave, models.Model):
    """A commune-level administrative unit (phường, xã) with its official code (mã ĐVHC cấp xã)."""

    code = models.CharField(_("mã đơn vị hành chính"), max_length=5, unique=True)
    name = models.CharField(_("tên"), max_length=120, help_text=_("Tên chính thức, ví dụ “Phường Kim Liên”."))
    kind = models.CharField(_("loại"), max_length=10, choices=AreaKind.choices)
    province_code = models.CharField(_("mã tỉnh, thành phố"), max_length=2, default="01")
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    search_text = models.CharField(max_length=200, db_index=True, editable=False)
    sort_key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        verbose_name = _("địa bàn hành chính")
        verbose_name_plural = _("địa bàn hành chính")
        ordering = ["sort_key", "code"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_model_text(self)
        self.search_text = area_search_text(self.name, self.code)
        self.sort_key = area_sort_key(self.name)
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        return area_proper_name(self.name)


class UnitCoverage(models.Model):
    """A union unit covers an area between two dates (valid_to exclusive): changes keep their history."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="coverages", verbose_name=_("đơn vị"))
    area = models.ForeignKey(
        AdministrativeArea, on_delete=models.PROTECT, related_name="coverages", verbose_name=_("địa bàn")
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không kể)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("địa bàn của đơn vị")
        verbose_name_plural = _("địa bàn của đơn vị")
        ordering = ["unit_id", "valid_from", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "area", "valid_from"], name="one_coverage_per_unit_area_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="coverage_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["area", "valid_from"]), models.Index(fields=["unit", "valid_from"])]

    def __str__(self):
        return f"{self.unit_id} {self.area_id} [{self.valid_from}, {self.valid_to})"


class UnitReminder(models.Model):
    """What a supervisor's one-tap reminder ("Đôn đốc") records, whatever it reminds of (a delivery, a period's
    report): the subclasses add the subject and the one-per-unit-per-Hanoi-day constraint."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The unit she acted for (the supervisor), None for a portal admin acting outside the tree.
    by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reminded_at = models.DateTimeField()
    reminded_on = models.DateField()  # Hanoi date of reminded_at
    # The channel summary: how many officers were notified (each on the channels she chose).
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


def export_upload_to(instance, filename):
    return f"exports/{instance.requested_by_id}/{instance.pk}/{filename}"


class ExportJob(models.Model):
    """A file too large to build in a web request (registry.EXPORTS), built by a Celery task; its page polls this
    row and, once done, serves the file to the requester only. A derived file: no history, deleted after a day
    (organizations.exports.exports_catch_up). It lives here because campaign_portal has no models of its own."""

    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)  # what the kind's build reads (a document's pk, the page's filters)
    title = models.CharField(max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_upload_to, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=255, blank=True)  # untranslated; the page shows it with {% translate %}

    class Meta:
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["finished_at", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.finished_at is not None and bool(self.file)

    @property
    def percent(self) -> int:
        if self.finished_at is not None:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0
