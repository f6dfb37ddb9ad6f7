"""The public face: news, honoured models, feedback from the public, city indicators.

Every searchable model keeps `search_text`: its words folded (no tones, lower
case) so that "mot cua" finds "một cửa" on SQLite (icontains) and PostgreSQL
(full-text over the same column, GIN-indexed in migration 0002)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connections, models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaign_portal.model_text import TextCleanedOnSave, clean_model_text
from campaign_portal.text import fold
from organizations.models import Unit

from .enums import OPEN_FEEDBACK_STATUSES, FeedbackKind, FeedbackStatus, FeedbackTopic, NewsStatus, ReformArea
from .sanitize import clean_html, plain_text


def refresh_search_vector(queryset) -> None:
    """PostgreSQL keeps a stored tsvector of the folded text (GIN-indexed): ranking then reads it
    instead of re-parsing every matching row. SQLite searches the folded column directly."""
    if connections[queryset.db].vendor == "postgresql":
        queryset.update(search_vector=SearchVector("search_text", config="simple"))


def unique_slug(model, text: str, *, pk=None) -> str:
    """An ASCII slug from the folded title ("Một cửa" → "mot-cua"), made unique with -2, -3…"""
    base = slugify(fold(text))[:100].strip("-") or "bai"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _news_image_path(instance, filename):
    return f"public/news/{instance.news_id}/{filename}"


def _feedback_attachment_path(instance, filename):
    return f"public/feedback/{instance.tracking_code}/{filename}"


def _honoured_image_path(instance, filename):
    return f"public/honoured/{filename}"


class NewsItem(TextCleanedOnSave, models.Model):
    title = models.CharField(_("tiêu đề"), max_length=255)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, editable=False)
    summary = models.TextField(_("tóm tắt"), max_length=600)
    body = models.TextField(_("nội dung"), help_text=_("Đã làm sạch bằng nh3 khi lưu."))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    lineage = models.CharField(max_length=1000, db_index=True, editable=False)
    tags = models.CharField(_("lĩnh vực"), max_length=200, blank=True, help_text="|the-che|thu-tuc|")
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=NewsStatus.choices, default=NewsStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("ý kiến người duyệt"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "search_vector"])

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="public_news_status_pub"),
            models.Index(fields=["unit", "status"], name="public_news_unit_status"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Whatever path writes it (service, admin, demo), the stored body is clean.
        clean_model_text(self)
        self.summary = plain_text(self.summary).strip()
        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = unique_slug(NewsItem, self.title, pk=self.pk)
        self.lineage = self.lineage or self.unit.lineage
        self.search_text = fold(f"{self.title} {self.summary} {plain_text(self.body)} {self.source}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "updated_at"}
        super().save(*args, **kwargs)
        refresh_search_vector(type(self).objects.filter(pk=self.pk))

    def get_absolute_url(self):
        return reverse("public:news_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == NewsStatus.PUBLISHED

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("|") if t]

    @property
    def tag_labels(self) -> list[tuple[str, str]]:
        valid = dict(ReformArea.choices)
        return [(t, valid[t]) for t in self.tag_list if t in valid]


class NewsImage(models.Model):
    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=_news_image_path, max_length=300)
    content_type = models.CharField(max_length=50)
    alt = models.CharField(_("mô tả ảnh"), max_length=255)
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ảnh tin bài")
        verbose_name_plural = _("ảnh tin bài")

    def __str__(self):
        return self.alt

    def get_absolute_url(self):
        return reverse("public:news_image", args=[self.pk])


class HonouredModel(TextCleanedOnSave, models.Model):
    """A good model or initiative chosen by the admins (vinh danh)."""

    title = models.CharField(_("tên mô hình, sáng kiến"), max_length=255)
    slug = models.SlugField(max_length=120, unique=True, editable=False)
    organisation = models.CharField(_("cơ quan, đơn vị, cá nhân"), max_length=255)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("đơn vị trên cổng")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    area = models.CharField(_("lĩnh vực"), max_length=20, choices=ReformArea.choices, default=ReformArea.PROCEDURES)
    summary = models.TextField(_("tóm tắt"), max_length=600)
    story = models.TextField(_("câu chuyện"), help_text=_("Đã làm sạch bằng nh3 khi lưu."))
    # The contest app is not imported: a winner is named by its award and entry code.
    contest_award = models.CharField(
        _("giải thưởng cuộc thi"), max_length=255, blank=True, help_text=_("Ví dụ: Giải Nhất cuộc thi năm 2019")
    )
    contest_entry_code = models.CharField(_("mã bài dự thi"), max_length=40, blank=True)
    image = models.FileField(_("ảnh"), upload_to=_honoured_image_path, blank=True, max_length=300)
    image_content_type = models.CharField(max_length=50, blank=True, editable=False)
    is_published = models.BooleanField(_("hiển thị công khai"), default=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "search_vector"])

    class Meta:
        verbose_name = _("mô hình được vinh danh")
        verbose_name_plural = _("mô hình được vinh danh")
        ordering = ["position", "-year", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        clean_model_text(self)
        self.organisation = plain_text(self.organisation).strip()
        self.summary = plain_text(self.summary).strip()
        self.story = clean_html(self.story)
        if not self.slug:
            self.slug = unique_slug(HonouredModel, self.title, pk=self.pk)
        self.search_text = fold(
            f"{self.title} {self.organisation} {self.summary} {plain_text(self.story)} {self.contest_award}"
        )
        super().save(*args, **kwargs)
        refresh_search_vector(type(self).objects.filter(pk=self.pk))

    def get_absolute_url(self):
        return reverse("public:honoured_detail", args=[self.slug])


FEEDBACK_STATUS_BADGES = {
    FeedbackStatus.ANSWERED: "text-bg-success",
    FeedbackStatus.DECLINED: "text-bg-secondary",
    FeedbackStatus.PROCESSING: "text-bg-info",
    FeedbackStatus.RECEIVED: "text-bg-light",
}


class Feedback(TextCleanedOnSave, models.Model):
    """A citizen's or member's feedback or proposal about an administrative procedure."""

    tracking_code = models.CharField(_("mã tra cứu"), max_length=12, unique=True, editable=False)
    # One record per filled-in form: the form's signed token carries this nonce.
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.REPORT)
    topic = models.CharField(_("lĩnh vực"), max_length=30, choices=FeedbackTopic.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị liên quan"))
    lineage = models.CharField(max_length=1000, db_index=True, editable=False)
    title = models.CharField(_("tiêu đề"), max_length=200)
    text = models.TextField(_("nội dung"), max_length=5000)
    attachment = models.FileField(_("tệp đính kèm"), upload_to=_feedback_attachment_path, blank=True, max_length=300)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=80, blank=True)
    name = models.CharField(_("họ và tên"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    consent_publish = models.BooleanField(_("đồng ý công khai"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    # Set by feedback_submit (the demo passes a past time), so not auto_now_add.
    received_at = models.DateTimeField(_("ngày tiếp nhận"), default=timezone.now, editable=False)
    due_on = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True)
    is_published = models.BooleanField(_("đã công khai"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    tracking_code_mailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "search_vector"])

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["is_published", "-published_at"], name="public_fb_published"),
            models.Index(fields=["unit", "status", "due_on"], name="public_fb_unit_status"),
        ]
        constraints = [
            # Published means answered and allowed by the submitter: the database keeps the promise.
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(status=FeedbackStatus.ANSWERED, consent_publish=True),
                name="public_feedback_published_needs_answer_and_consent",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} – {self.title}"

    def save(self, *args, **kwargs):
        clean_model_text(self)  # before the search column is derived from the text
        self.lineage = self.lineage or self.unit.lineage
        # Only what is published is searched: the question and the answer, never the contact.
        self.search_text = fold(f"{self.title} {self.text} {self.answer}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "updated_at"}
        super().save(*args, **kwargs)
        refresh_search_vector(type(self).objects.filter(pk=self.pk))

    def get_absolute_url(self):
        return reverse("public:feedback_published_detail", args=[self.tracking_code])

    # Cheap properties the templates read instead of comparing statuses.
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_FEEDBACK_STATUSES

    @property
    def is_declined(self) -> bool:
        return self.status == FeedbackStatus.DECLINED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def status_badge(self) -> str:
        return FEEDBACK_STATUS_BADGES.get(self.status, "text-bg-light")


class FeedbackEvent(models.Model):
    """The history the submitter sees when following her feedback."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=FeedbackStatus.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.feedback_id} {self.status} {self.at:%d/%m/%Y}"


class CityIndicator(models.Model):
    """The city's yearly reform indicators. Ranks are out of `provinces` (63)."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    par_index_rank = models.PositiveSmallIntegerField(_("PAR INDEX – thứ hạng"), null=True, blank=True)
    par_index_score = models.DecimalField(
        _("PAR INDEX – điểm (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    sipas_percent = models.DecimalField(
        _("SIPAS – mức hài lòng (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    papi_rank = models.PositiveSmallIntegerField(_("PAPI – thứ hạng"), null=True, blank=True)
    papi_score = models.DecimalField(_("PAPI – điểm"), max_digits=6, decimal_places=2, null=True, blank=True)
    pci_rank = models.PositiveSmallIntegerField(_("PCI – thứ hạng"), null=True, blank=True)
    pci_score = models.DecimalField(_("PCI – điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    ict_rank = models.PositiveSmallIntegerField(_("ICT Index – thứ hạng"), null=True, blank=True)
    one_stop_percent = models.DecimalField(
        _("TTHC qua một cửa, một cửa liên thông (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    on_time_percent = models.DecimalField(
        _("hồ sơ giải quyết đúng và trước hạn (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    provinces = models.PositiveSmallIntegerField(_("số tỉnh, thành phố xếp hạng"), default=63)
    source = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ số năm của Thành phố")
        verbose_name_plural = _("chỉ số năm của Thành phố")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
