"""The news item's and the feedback's state machines: every allowed move through the services, every other
pair refused with no trace, each change in the history."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from campaign_portal.exceptions import PortalError
from public import services
from public.enums import FEEDBACK_TRANSITIONS, NEWS_TRANSITIONS, FeedbackStatus, NewsStatus

NEWS_ALLOWED = sorted((a, b) for a, targets in NEWS_TRANSITIONS.items() for b in targets)
NEWS_FORBIDDEN = sorted(set(itertools.product(NewsStatus.values, repeat=2)) - set(NEWS_ALLOWED))
FEEDBACK_ALLOWED = sorted((a, b) for a, targets in FEEDBACK_TRANSITIONS.items() for b in targets)
FEEDBACK_FORBIDDEN = sorted(set(itertools.product(FeedbackStatus.values, repeat=2)) - set(FEEDBACK_ALLOWED))
NOTE = "Cần bổ sung nguồn trích dẫn."
ANSWER = "Đơn vị đã bố trí thêm một quầy tiếp nhận vào buổi sáng."


def _assert_refused_without_trace(item, move) -> None:
    """`move` raises PortalError and leaves the item's status, history and (for feedback) events as they were."""
    status, history = item.status, item.history.count()
    events = item.events.count() if hasattr(item, "events") else None
    with pytest.raises(PortalError):
        move()
    item.refresh_from_db()
    assert (item.status, item.history.count()) == (status, history)
    assert (item.events.count() if events is not None else None) == events


# ---------------------------------------------------------------- news


def test_news_transitions_name_every_state():
    assert set(NEWS_TRANSITIONS) == set(NewsStatus.values)
    assert NEWS_ALLOWED == [
        (NewsStatus.DRAFT, NewsStatus.PENDING),
        (NewsStatus.PENDING, NewsStatus.DRAFT),
        (NewsStatus.PENDING, NewsStatus.PUBLISHED),
        (NewsStatus.PUBLISHED, NewsStatus.DRAFT),
    ]
    assert len(NEWS_FORBIDDEN) == 5


def _news_in(status, tree, comm):
    """A news item of Gia Lâm brought to `status` by the services (writer: its officer, approver: the
    federation's communication officer)."""
    news = services.news_create(
        unit=tree.gialam, title="Tin cải cách", summary="Tóm tắt", body="Nội dung", by=tree.gialam_officer
    )
    if status in (NewsStatus.PENDING, NewsStatus.PUBLISHED):
        news = services.news_submit(news=news, by=tree.gialam_officer)
    if status == NewsStatus.PUBLISHED:
        news = services.news_approve(news=news, by=comm)
    assert news.status == status
    return news


def _news_actor(from_status, to_status, tree, comm):
    return tree.gialam_officer if to_status == NewsStatus.PENDING else comm


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), NEWS_ALLOWED)
def test_news_allowed_move_is_saved_with_history(tree, comm, from_status, to_status):
    news = _news_in(from_status, tree, comm)
    before = news.history.count()
    moved = services.news_set_state(
        news=news, to=to_status, by=_news_actor(from_status, to_status, tree, comm), note=NOTE
    )
    news.refresh_from_db()
    assert (moved.status, news.status) == (to_status, to_status)
    assert news.history.count() == before + 1
    assert news.history.first().status == to_status


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), NEWS_FORBIDDEN)
def test_news_forbidden_move_is_refused_and_leaves_no_history(tree, comm, from_status, to_status):
    news = _news_in(from_status, tree, comm)
    # Even the portal admin: the state machine, not the role, refuses.
    _assert_refused_without_trace(
        news, lambda: services.news_set_state(news=news, to=to_status, by=tree.admin, note=NOTE)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), NEWS_ALLOWED)
def test_news_allowed_move_rechecks_the_rule(tree, comm, from_status, to_status):
    news = _news_in(from_status, tree, comm)
    _assert_refused_without_trace(
        news, lambda: services.news_set_state(news=news, to=to_status, by=tree.donganh_head, note=NOTE)
    )


@pytest.mark.django_db
def test_news_walk_is_recorded_in_order_with_the_given_times(tree, comm):
    news = _news_in(NewsStatus.DRAFT, tree, comm)
    submitted_at = timezone.make_aware(dt.datetime(2019, 2, 1, 8, 0))
    published_at = timezone.make_aware(dt.datetime(2019, 2, 1, 9, 0))
    news = services.news_submit(news=news, by=tree.gialam_officer, now=submitted_at)
    news = services.news_return(news=news, by=comm, note=NOTE)
    news = services.news_submit(news=news, by=tree.gialam_officer, now=submitted_at)
    news = services.news_approve(news=news, by=comm, now=published_at)
    assert (news.submitted_at, news.published_at, news.approved_by) == (submitted_at, published_at, comm)
    news = services.news_unpublish(news=news, by=comm, note="")
    assert [h.status for h in news.history.order_by("history_id")] == [
        NewsStatus.DRAFT,
        NewsStatus.PENDING,
        NewsStatus.DRAFT,
        NewsStatus.PENDING,
        NewsStatus.PUBLISHED,
        NewsStatus.DRAFT,
    ]
    news.refresh_from_db()
    assert news.published_at is None


# ---------------------------------------------------------------- feedback


def test_feedback_transitions_name_every_state():
    assert set(FEEDBACK_TRANSITIONS) == set(FeedbackStatus.values)
    assert FEEDBACK_ALLOWED == [
        (FeedbackStatus.PROCESSING, FeedbackStatus.ANSWERED),
        (FeedbackStatus.PROCESSING, FeedbackStatus.DECLINED),
        (FeedbackStatus.RECEIVED, FeedbackStatus.ANSWERED),
        (FeedbackStatus.RECEIVED, FeedbackStatus.DECLINED),
        (FeedbackStatus.RECEIVED, FeedbackStatus.PROCESSING),
    ]
    assert len(FEEDBACK_FORBIDDEN) == 11


def _feedback_in(status, tree, make_feedback):
    feedback = make_feedback()
    if status == FeedbackStatus.PROCESSING:
        feedback = services.feedback_take(feedback=feedback, by=tree.gialam_officer)
    elif status == FeedbackStatus.ANSWERED:
        feedback = services.feedback_answer(feedback=feedback, by=tree.gialam_officer, answer=ANSWER, publish=False)
    elif status == FeedbackStatus.DECLINED:
        feedback = services.feedback_decline(feedback=feedback, by=tree.gialam_officer, reason=NOTE)
    assert feedback.status == status
    return feedback


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), FEEDBACK_ALLOWED)
def test_feedback_allowed_move_is_saved_with_history_and_event(tree, make_feedback, from_status, to_status):
    feedback = _feedback_in(from_status, tree, make_feedback)
    before = feedback.history.count()
    events = list(feedback.events.values_list("status", flat=True))
    moved = services.feedback_set_state(feedback=feedback, to=to_status, by=tree.gialam_officer, text=ANSWER)
    feedback.refresh_from_db()
    assert (moved.status, feedback.status) == (to_status, to_status)
    assert feedback.history.count() == before + 1
    assert feedback.history.first().status == to_status
    assert list(feedback.events.values_list("status", flat=True)) == [*events, to_status]


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), FEEDBACK_FORBIDDEN)
def test_feedback_forbidden_move_is_refused_and_leaves_no_history(tree, make_feedback, from_status, to_status):
    feedback = _feedback_in(from_status, tree, make_feedback)
    _assert_refused_without_trace(
        feedback, lambda: services.feedback_set_state(feedback=feedback, to=to_status, by=tree.admin, text=ANSWER)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), FEEDBACK_ALLOWED)
def test_feedback_allowed_move_rechecks_the_rule(tree, make_feedback, from_status, to_status):
    feedback = _feedback_in(from_status, tree, make_feedback)
    _assert_refused_without_trace(
        feedback,
        lambda: services.feedback_set_state(feedback=feedback, to=to_status, by=tree.da1_officer, text=ANSWER),
    )


@pytest.mark.django_db
def test_feedback_times_are_the_given_ones(tree, make_feedback):
    received_at = timezone.make_aware(dt.datetime(2019, 10, 7, 9, 0))
    answered_at = timezone.make_aware(dt.datetime(2019, 10, 15, 9, 0))
    feedback = make_feedback(at=received_at)
    assert (feedback.received_at, feedback.due_on) == (received_at, dt.date(2019, 10, 21))
    feedback = services.feedback_take(feedback=feedback, by=tree.gialam_officer, now=received_at)
    feedback = services.feedback_answer(
        feedback=feedback, by=tree.gialam_officer, answer=ANSWER, publish=True, now=answered_at
    )
    assert (feedback.answered_at, feedback.published_at, feedback.is_published) == (answered_at, answered_at, True)
    assert list(feedback.events.values_list("status", "at")) == [
        (FeedbackStatus.RECEIVED, received_at),
        (FeedbackStatus.PROCESSING, received_at),
        (FeedbackStatus.ANSWERED, answered_at),
    ]
    assert [h.status for h in feedback.history.order_by("history_id")] == [
        FeedbackStatus.RECEIVED,
        FeedbackStatus.PROCESSING,
        FeedbackStatus.ANSWERED,
    ]


@pytest.mark.django_db
def test_unknown_states_are_refused_with_a_message(tree, comm, make_feedback):
    news = _news_in(NewsStatus.DRAFT, tree, comm)
    with pytest.raises(PortalError, match="không chuyển sang “archived” được"):
        services.news_set_state(news=news, to="archived", by=tree.admin)
    feedback = _feedback_in(FeedbackStatus.RECEIVED, tree, make_feedback)
    with pytest.raises(PortalError, match="không chuyển sang “Đã tiếp nhận” được"):
        services.feedback_set_state(feedback=feedback, to=FeedbackStatus.RECEIVED, by=tree.admin)
