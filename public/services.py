"""Writes of the public app: one function per state change, keyword-only arguments."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.calendar import add_working_days
from campaign_portal.exceptions import PortalError
from campaign_portal.text import nfc
from campaign_portal.uploads import IMAGE, PUBLIC_ATTACHMENT, stored_name, upload_check
from organizations.models import Unit, User

from .enums import FeedbackStatus, NewsStatus, ReformArea
from .models import CityIndicator, Feedback, FeedbackEvent, NewsImage, NewsItem
from .sanitize import plain_text
from .signals import feedback_answered, feedback_received, news_submitted

FEEDBACK_ANSWER_WORKING_DAYS = 10
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


# ---------------------------------------------------------------- helpers


def _tags_value(tags) -> str:
    valid = set(ReformArea.values)
    chosen = [t for t in tags or [] if t in valid]
    return f"|{'|'.join(chosen)}|" if chosen else ""


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


# ---------------------------------------------------------------- news


def news_create(*, unit: Unit, title: str, summary: str, body: str, tags=(), source: str = "", by: User) -> NewsItem:
    if not by.has_perm("public.write_news_for_unit", unit):
        raise PortalError(_("Bạn không viết tin cho đơn vị này."))
    return NewsItem.objects.create(
        unit=unit,
        title=title,
        summary=summary,
        body=body,
        tags=_tags_value(tags),
        source=source,
        author=by,
        status=NewsStatus.DRAFT,
    )


@transaction.atomic
def news_update(
    *, news: NewsItem, title: str, summary: str, body: str, tags=(), source: str = "", by: User
) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if not by.has_perm("public.edit_news", news):
        raise PortalError(_("Tin đã gửi duyệt hoặc đã đăng thì không sửa được."))
    news.title, news.summary, news.body = title, summary, body
    news.tags, news.source = _tags_value(tags), source
    news.save()
    return news


@transaction.atomic
def news_submit(*, news: NewsItem, by: User) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if not by.has_perm("public.submit_news", news):
        raise PortalError(_("Chỉ gửi duyệt được bản nháp của đơn vị mình."))
    news.status, news.submitted_at, news.review_note = NewsStatus.PENDING, timezone.now(), ""
    news.save(update_fields=["status", "submitted_at", "review_note"])
    transaction.on_commit(lambda: news_submitted.send(sender=NewsItem, news=news))
    return news


@transaction.atomic
def news_approve(*, news: NewsItem, by: User) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if not by.has_perm("public.approve_news", news):
        raise PortalError(_("Bạn không duyệt được tin này (chỉ cán bộ tuyên giáo hoặc lãnh đạo đơn vị cấp trên)."))
    news.status, news.approved_by, news.published_at = NewsStatus.PUBLISHED, by, timezone.now()
    news.save(update_fields=["status", "approved_by", "published_at"])
    return news


@transaction.atomic
def news_return(*, news: NewsItem, by: User, note: str) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if not by.has_perm("public.approve_news", news):
        raise PortalError(_("Bạn không duyệt được tin này."))
    note = plain_text(nfc(note)).strip()
    if not note:
        raise PortalError(_("Hãy ghi lý do trả lại để người viết sửa."), field="note")
    news.status, news.review_note = NewsStatus.DRAFT, note
    news.save(update_fields=["status", "review_note"])
    return news


@transaction.atomic
def news_unpublish(*, news: NewsItem, by: User, note: str) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if not by.has_perm("public.unpublish_news", news):
        raise PortalError(_("Bạn không gỡ được tin này."))
    news.status, news.review_note, news.published_at = NewsStatus.DRAFT, plain_text(nfc(note)).strip(), None
    news.save(update_fields=["status", "review_note", "published_at"])
    return news


def news_image_add(*, news: NewsItem, upload, alt: str, caption: str = "", by: User) -> NewsImage:
    if not by.has_perm("public.edit_news", news):
        raise PortalError(_("Chỉ thêm ảnh vào bản nháp của đơn vị mình."))
    checked = upload_check(upload=upload, kind=IMAGE, label=_("Ảnh"), field="file")
    alt = plain_text(nfc(alt)).strip()
    if not alt:
        raise PortalError(_("Hãy mô tả ảnh (cho người khiếm thị và khi ảnh không tải được)."), field="alt")
    image = NewsImage(
        news=news,
        alt=alt,
        caption=plain_text(nfc(caption)).strip(),
        content_type=checked.mime,
        position=news.images.count(),
    )
    image.file.save(
        stored_name(upload.name, extension=checked.extension, stem_default="anh"), checked.content, save=False
    )
    image.save()
    return image


# ---------------------------------------------------------------- feedback


def _new_tracking_code() -> str:
    return "PA" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))


def default_feedback_unit() -> Unit | None:
    """Feedback that names no unit goes to the city federation (or the first root)."""
    from organizations.enums import UnitKind

    return (
        Unit.objects.filter(kind=UnitKind.CITY_FEDERATION, dissolved_on__isnull=True).order_by("path").first()
        or Unit.objects.filter(depth=1).order_by("path").first()
    )


def feedback_submit(
    *,
    submission_key: str,
    kind: str,
    topic: str,
    unit: Unit | None,
    title: str,
    text: str,
    name: str,
    email: str = "",
    phone: str = "",
    consent_publish: bool = False,
    attachment=None,
    ip_hash: str = "",
) -> tuple[Feedback, bool]:
    """Creates the feedback once per submission key: a double submit returns the first record."""
    existing = Feedback.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing, False
    if not (email or phone):
        raise PortalError(_("Hãy để lại e-mail hoặc số điện thoại để đơn vị trả lời bạn."), field="email")
    unit = unit or default_feedback_unit()
    if unit is None:
        raise PortalError(_("Chưa có đơn vị tiếp nhận phản ánh."))
    checked = None
    if attachment:
        checked = upload_check(upload=attachment, kind=PUBLIC_ATTACHMENT, label=_("Tệp đính kèm"), field="attachment")
    received = timezone.localdate()
    for _attempt in range(5):
        feedback = Feedback(
            tracking_code=_new_tracking_code(),
            submission_key=submission_key,
            kind=kind,
            topic=topic,
            unit=unit,
            title=plain_text(title),
            text=plain_text(text),
            name=plain_text(name),
            email=(email or "").strip().lower(),
            phone=plain_text(phone).strip(),
            consent_publish=bool(consent_publish),
            due_on=add_working_days(received, FEEDBACK_ANSWER_WORKING_DAYS),
            ip_hash=ip_hash,
        )
        try:
            with transaction.atomic():
                if checked:
                    feedback.attachment_name = plain_text(nfc(attachment.name))[:255]
                    feedback.attachment_type = checked.mime
                    feedback.attachment.save(checked.content.name, checked.content, save=False)
                feedback.save()
                FeedbackEvent.objects.create(feedback=feedback, status=FeedbackStatus.RECEIVED)
                transaction.on_commit(lambda f=feedback: feedback_received.send(sender=Feedback, feedback=f))
            return feedback, True
        except IntegrityError:
            existing = Feedback.objects.filter(submission_key=submission_key).first()
            if existing:  # the same form, posted twice at once
                return existing, False
            # else: a tracking-code collision, try another code
    raise PortalError(_("Không tạo được mã tra cứu, vui lòng gửi lại."))


def _feedback_event(feedback, status, *, by, note=""):
    FeedbackEvent.objects.create(feedback=feedback, status=status, by=by, note=note)


@transaction.atomic
def feedback_take(*, feedback: Feedback, by: User) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    if not by.has_perm("public.handle_feedback", feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))
    if feedback.status != FeedbackStatus.RECEIVED:
        raise PortalError(_("Phản ánh này đã được nhận xử lý."))
    feedback.status = FeedbackStatus.PROCESSING
    feedback.save(update_fields=["status"])
    _feedback_event(feedback, FeedbackStatus.PROCESSING, by=by)
    return feedback


@transaction.atomic
def feedback_answer(*, feedback: Feedback, by: User, answer: str, publish: bool) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    if not by.has_perm("public.handle_feedback", feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))
    if feedback.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.PROCESSING):
        raise PortalError(_("Phản ánh này đã được trả lời hoặc đã đóng."))
    answer = plain_text(nfc(answer)).strip()
    if len(answer) < 10:
        raise PortalError(_("Nội dung trả lời quá ngắn."), field="answer")
    if publish and not feedback.consent_publish:
        raise PortalError(_("Người gửi không đồng ý công khai: không thể đăng công khai."), field="publish")
    now = timezone.now()
    feedback.status, feedback.answer, feedback.answered_by, feedback.answered_at = (
        FeedbackStatus.ANSWERED,
        answer,
        by,
        now,
    )
    feedback.is_published, feedback.published_at = bool(publish), (now if publish else None)
    feedback.save(update_fields=["status", "answer", "answered_by", "answered_at", "is_published", "published_at"])
    _feedback_event(feedback, FeedbackStatus.ANSWERED, by=by)
    transaction.on_commit(lambda: feedback_answered.send(sender=Feedback, feedback=feedback))
    return feedback


@transaction.atomic
def feedback_decline(*, feedback: Feedback, by: User, reason: str) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    if not by.has_perm("public.handle_feedback", feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))
    if feedback.status not in (FeedbackStatus.RECEIVED, FeedbackStatus.PROCESSING):
        raise PortalError(_("Phản ánh này đã được trả lời hoặc đã đóng."))
    reason = plain_text(nfc(reason)).strip()
    if not reason:
        raise PortalError(_("Hãy ghi lý do không thụ lý."), field="reason")
    feedback.status, feedback.answer, feedback.answered_by, feedback.answered_at = (
        FeedbackStatus.DECLINED,
        reason,
        by,
        timezone.now(),
    )
    feedback.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    _feedback_event(feedback, FeedbackStatus.DECLINED, by=by, note=reason)
    return feedback


@transaction.atomic
def feedback_set_published(*, feedback: Feedback, by: User, publish: bool) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    if not by.has_perm("public.handle_feedback", feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))
    if publish and not (feedback.status == FeedbackStatus.ANSWERED and feedback.consent_publish):
        raise PortalError(_("Chỉ công khai được phản ánh đã trả lời và được người gửi đồng ý."))
    feedback.is_published = publish
    feedback.published_at = (feedback.published_at or timezone.now()) if publish else None
    feedback.save(update_fields=["is_published", "published_at"])
    return feedback


# ---------------------------------------------------------------- indicators


def city_indicator_save(*, year: int, by: User | None = None, **values) -> CityIndicator:
    """Admins record a year's figures (the admin site uses the model form; this is for demo and scripts)."""
    if by is not None and not by.has_perm("public.change_cityindicator"):
        raise PortalError(_("Chỉ quản trị cổng nhập chỉ số."))
    indicator, _created = CityIndicator.objects.update_or_create(year=year, defaults=values)
    return indicator
