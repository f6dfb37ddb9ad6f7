"""Writes of the public app: one function per state change, keyword-only arguments."""

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign_portal.calendar import add_working_days
from campaign_portal.exceptions import PortalError
from campaign_portal.text import nfc
from campaign_portal.uploads import IMAGE, PUBLIC_ATTACHMENT, stored_name, upload_check
from organizations.models import Unit, User

from .enums import (
    CLOSED_FEEDBACK_STATUSES,
    FEEDBACK_TRANSITIONS,
    NEWS_TRANSITIONS,
    FeedbackStatus,
    NewsStatus,
    ReformArea,
)
from .models import CityIndicator, Feedback, FeedbackEvent, NewsImage, NewsItem
from .sanitize import plain_text
from .signals import feedback_answered, feedback_received, news_submitted

logger = logging.getLogger(__name__)

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


# The news mover: every status change of a news item goes through `_news_move`, which checks the move is in
# NEWS_TRANSITIONS and re-checks the rule that guards it (the rules hold the state too: two locks, one door).
_NEWS_MOVE_RULES = {
    (NewsStatus.DRAFT, NewsStatus.PENDING): (
        "public.submit_news",
        gettext_lazy("Chỉ gửi duyệt được bản nháp của đơn vị mình."),
    ),
    (NewsStatus.PENDING, NewsStatus.PUBLISHED): (
        "public.approve_news",
        gettext_lazy("Bạn không duyệt được tin này (chỉ cán bộ tuyên giáo hoặc lãnh đạo đơn vị cấp trên)."),
    ),
    (NewsStatus.PENDING, NewsStatus.DRAFT): ("public.approve_news", gettext_lazy("Bạn không duyệt được tin này.")),
    (NewsStatus.PUBLISHED, NewsStatus.DRAFT): ("public.unpublish_news", gettext_lazy("Bạn không gỡ được tin này.")),
}


def _news_guard(*, news: NewsItem, to: str, by: User) -> None:
    if to not in NEWS_TRANSITIONS.get(news.status, ()):
        raise PortalError(
            _("Tin đang ở trạng thái “%(current)s”: không chuyển sang “%(to)s” được.")
            % {"current": news.get_status_display(), "to": dict(NewsStatus.choices).get(to, to)}
        )
    perm, refusal = _NEWS_MOVE_RULES[(news.status, to)]
    if not by.has_perm(perm, news):
        raise PortalError(str(refusal))


def _news_move(*, news: NewsItem, to: str, by: User, **changes) -> NewsItem:
    """Moves a locked news item to `to` with the given field changes; one save, one history row."""
    _news_guard(news=news, to=to, by=by)
    for field, value in changes.items():
        setattr(news, field, value)
    news.status = to
    news.save(update_fields=["status", *changes])
    return news


@transaction.atomic
def news_submit(*, news: NewsItem, by: User, now: dt.datetime | None = None) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    news = _news_move(news=news, to=NewsStatus.PENDING, by=by, submitted_at=now or timezone.now(), review_note="")
    transaction.on_commit(lambda: news_submitted.send(sender=NewsItem, news=news))
    return news


@transaction.atomic
def news_approve(*, news: NewsItem, by: User, now: dt.datetime | None = None) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    return _news_move(news=news, to=NewsStatus.PUBLISHED, by=by, approved_by=by, published_at=now or timezone.now())


@transaction.atomic
def news_return(*, news: NewsItem, by: User, note: str) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if news.status != NewsStatus.PENDING:
        raise PortalError(_("Chỉ trả lại được tin đang chờ duyệt."))
    _news_guard(news=news, to=NewsStatus.DRAFT, by=by)
    note = plain_text(nfc(note)).strip()
    if not note:
        raise PortalError(_("Hãy ghi lý do trả lại để người viết sửa."), field="note")
    return _news_move(news=news, to=NewsStatus.DRAFT, by=by, review_note=note)


@transaction.atomic
def news_unpublish(*, news: NewsItem, by: User, note: str) -> NewsItem:
    news = _lock(NewsItem, news.pk)
    if news.status != NewsStatus.PUBLISHED:
        raise PortalError(_("Chỉ gỡ được tin đã đăng."))
    return _news_move(
        news=news, to=NewsStatus.DRAFT, by=by, review_note=plain_text(nfc(note)).strip(), published_at=None
    )


def news_set_state(*, news: NewsItem, to: str, by: User, note: str = "", now: dt.datetime | None = None) -> NewsItem:
    """One entry for any move (the state-machine walk, scripts): dispatches to the service of the move."""
    if to == NewsStatus.PENDING:
        return news_submit(news=news, by=by, now=now)
    if to == NewsStatus.PUBLISHED:
        return news_approve(news=news, by=by, now=now)
    if to == NewsStatus.DRAFT and news.status == NewsStatus.PUBLISHED:
        return news_unpublish(news=news, by=by, note=note)
    if to == NewsStatus.DRAFT:
        return news_return(news=news, by=by, note=note)
    with transaction.atomic():
        _news_guard(news=_lock(NewsItem, news.pk), to=to, by=by)  # raises: no service leads there
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
    at: dt.datetime | None = None,
    tracking_code: str = "",
) -> tuple[Feedback, bool]:
    """Creates the feedback once per submission key: a double submit returns the first record.

    `at` and `tracking_code` are for records brought from elsewhere (the demo's, an import): a past receipt
    time, a code already given to the sender."""
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
    at = at or timezone.now()
    received = timezone.localdate(at)
    for _attempt in range(1 if tracking_code else 5):
        feedback = Feedback(
            tracking_code=tracking_code or _new_tracking_code(),
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
            received_at=at,
        )
        try:
            with transaction.atomic():
                if checked:
                    feedback.attachment_name = plain_text(nfc(attachment.name))[:255]
                    feedback.attachment_type = checked.mime
                    feedback.attachment.save(checked.content.name, checked.content, save=False)
                feedback.save()
                FeedbackEvent.objects.create(feedback=feedback, status=FeedbackStatus.RECEIVED, at=at)
                transaction.on_commit(lambda f=feedback: feedback_received.send(sender=Feedback, feedback=f))
                if feedback.email and not tracking_code:  # an imported record's code was given already
                    _mail_tracking_code_on_commit(feedback)
            return feedback, True
        except IntegrityError:
            existing = Feedback.objects.filter(submission_key=submission_key).first()
            if existing:  # the same form, posted twice at once
                return existing, False
            # else: a tracking-code collision, try another code
    raise PortalError(_("Không tạo được mã tra cứu, vui lòng gửi lại."))


def _mail_tracking_code_on_commit(feedback: Feedback) -> None:
    """Queues the e-mail with the tracking code once the feedback is stored. The page shows the code too:
    a broker that is down must not fail the submission."""
    from .tasks import feedback_send_tracking_code

    language = translation.get_language() or ""

    def _queue():
        try:
            feedback_send_tracking_code.delay(feedback_id=feedback.pk, language=language)
        except Exception as error:
            logger.warning("tracking-code e-mail for feedback %s not queued: %r", feedback.pk, error)

    transaction.on_commit(_queue)


# The feedback mover: every status change goes through `_feedback_move` (FEEDBACK_TRANSITIONS, then the rule),
# which also writes the event the sender follows.
_FEEDBACK_MOVE_RULES = {
    FeedbackStatus.PROCESSING: "public.take_feedback",
    FeedbackStatus.ANSWERED: "public.answer_feedback",
    FeedbackStatus.DECLINED: "public.decline_feedback",
}


def _feedback_guard(*, feedback: Feedback, to: str, by: User) -> None:
    if not by.has_perm("public.handle_feedback", feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))
    if to not in FEEDBACK_TRANSITIONS.get(feedback.status, ()):
        if feedback.status == FeedbackStatus.PROCESSING and to == FeedbackStatus.PROCESSING:
            raise PortalError(_("Phản ánh này đã được nhận xử lý."))
        if feedback.status in CLOSED_FEEDBACK_STATUSES:
            raise PortalError(_("Phản ánh này đã được trả lời hoặc đã đóng."))
        raise PortalError(
            _("Phản ánh đang ở trạng thái “%(current)s”: không chuyển sang “%(to)s” được.")
            % {"current": feedback.get_status_display(), "to": dict(FeedbackStatus.choices).get(to, to)}
        )
    if not by.has_perm(_FEEDBACK_MOVE_RULES[to], feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))


def _feedback_move(*, feedback: Feedback, to: str, by: User, at: dt.datetime, note: str = "", **changes) -> Feedback:
    """Moves a locked feedback to `to`: one save with history, one event for the sender's tracking page."""
    _feedback_guard(feedback=feedback, to=to, by=by)
    for field, value in changes.items():
        setattr(feedback, field, value)
    feedback.status = to
    feedback.save(update_fields=["status", *changes])
    FeedbackEvent.objects.create(feedback=feedback, status=to, by=by, note=note, at=at)
    return feedback


def _feedback_close(
    *, feedback: Feedback, to: str, by: User, text: str, now: dt.datetime, note: str = "", **changes
) -> Feedback:
    """An answer or a refusal: both keep the text, who gave it and when."""
    return _feedback_move(
        feedback=feedback, to=to, by=by, at=now, note=note, answer=text, answered_by=by, answered_at=now, **changes
    )


@transaction.atomic
def feedback_take(*, feedback: Feedback, by: User, now: dt.datetime | None = None) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    return _feedback_move(feedback=feedback, to=FeedbackStatus.PROCESSING, by=by, at=now or timezone.now())


@transaction.atomic
def feedback_answer(
    *, feedback: Feedback, by: User, answer: str, publish: bool, now: dt.datetime | None = None
) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    _feedback_guard(feedback=feedback, to=FeedbackStatus.ANSWERED, by=by)
    answer = plain_text(nfc(answer)).strip()
    if len(answer) < 10:
        raise PortalError(_("Nội dung trả lời quá ngắn."), field="answer")
    if publish and not feedback.consent_publish:
        raise PortalError(_("Người gửi không đồng ý công khai: không thể đăng công khai."), field="publish")
    now = now or timezone.now()
    feedback = _feedback_close(
        feedback=feedback,
        to=FeedbackStatus.ANSWERED,
        by=by,
        text=answer,
        now=now,
        is_published=bool(publish),
        published_at=now if publish else None,
    )
    transaction.on_commit(lambda: feedback_answered.send(sender=Feedback, feedback=feedback))
    return feedback


@transaction.atomic
def feedback_decline(*, feedback: Feedback, by: User, reason: str, now: dt.datetime | None = None) -> Feedback:
    feedback = _lock(Feedback, feedback.pk)
    _feedback_guard(feedback=feedback, to=FeedbackStatus.DECLINED, by=by)
    reason = plain_text(nfc(reason)).strip()
    if not reason:
        raise PortalError(_("Hãy ghi lý do không thụ lý."), field="reason")
    return _feedback_close(
        feedback=feedback, to=FeedbackStatus.DECLINED, by=by, text=reason, now=now or timezone.now(), note=reason
    )


def feedback_set_state(
    *, feedback: Feedback, to: str, by: User, text: str = "", publish: bool = False, now: dt.datetime | None = None
) -> Feedback:
    """One entry for any move (the state-machine walk, scripts): dispatches to the service of the move."""
    if to == FeedbackStatus.PROCESSING:
        return feedback_take(feedback=feedback, by=by, now=now)
    if to == FeedbackStatus.ANSWERED:
        return feedback_answer(feedback=feedback, by=by, answer=text, publish=publish, now=now)
    if to == FeedbackStatus.DECLINED:
        return feedback_decline(feedback=feedback, by=by, reason=text, now=now)
    with transaction.atomic():
        _feedback_guard(feedback=_lock(Feedback, feedback.pk), to=to, by=by)  # raises: no service leads there
    return feedback


@transaction.atomic
def feedback_set_published(*, feedback: Feedback, by: User, publish: bool, now: dt.datetime | None = None) -> Feedback:
    """Shows or hides an answer on the public pages (not a status move: the answer stays answered)."""
    feedback = _lock(Feedback, feedback.pk)
    if not by.has_perm("public.handle_feedback", feedback):
        raise PortalError(_("Bạn không xử lý phản ánh của đơn vị này."))
    if feedback.is_published == publish:
        return feedback  # a repeated click changes nothing
    if publish and not by.has_perm("public.publish_feedback", feedback):
        raise PortalError(_("Chỉ công khai được phản ánh đã trả lời và được người gửi đồng ý."))
    feedback.is_published = publish
    feedback.published_at = (now or timezone.now()) if publish else None
    feedback.save(update_fields=["is_published", "published_at"])
    return feedback


# ---------------------------------------------------------------- indicators


def city_indicator_save(*, year: int, by: User | None = None, **values) -> CityIndicator:
    """Admins record a year's figures (the admin site uses the model form; this is for demo and scripts)."""
    if by is not None and not by.has_perm("public.change_cityindicator"):
        raise PortalError(_("Chỉ quản trị cổng nhập chỉ số."))
    indicator, _created = CityIndicator.objects.update_or_create(year=year, defaults=values)
    return indicator
