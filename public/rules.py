"""Who may do what in the public app, composed from organizations.rules.

News: officers of a unit write its news; the parent unit's communication officer
or head approves (for a unit without parent: its own). Feedback: the concerned
unit's officers answer; heads above them may too. Admins choose honoured models
and record indicators."""

import rules

from organizations.enums import Role
from organizations.rules import heads_an_ancestor_of, is_portal_admin, memberships_of

from .enums import OPEN_FEEDBACK_STATUSES, FeedbackStatus, NewsStatus

NEWS_WRITER_ROLES = {Role.OFFICER, Role.HEAD, Role.COMMUNICATION}
NEWS_APPROVER_ROLES = {Role.COMMUNICATION, Role.HEAD}
FEEDBACK_ROLES = {Role.OFFICER, Role.HEAD, Role.COMMUNICATION}


def _approver_path(unit) -> str:
    return unit.path[: -unit.steplen] if unit.depth > 1 else unit.path


# Which units a user's roles reach: the predicates below and the desk selectors read these, so a role
# set is decided here once.
def news_writer_unit_ids(user) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if m.role in NEWS_WRITER_ROLES}


def news_approver_paths(user) -> set[str]:
    return {m.unit.path for m in memberships_of(user) if m.role in NEWS_APPROVER_ROLES}


def feedback_unit_ids(user) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if m.role in FEEDBACK_ROLES}


def feedback_subtree_paths(user) -> set[str]:
    """Heads answer the feedback of their whole subtree."""
    return {m.unit.path for m in memberships_of(user) if m.role == Role.HEAD}


@rules.predicate
def writes_news_for(user, unit):
    return unit is not None and unit.pk in news_writer_unit_ids(user)


@rules.predicate
def approves_news_for(user, unit):
    if unit is None:
        return False
    return _approver_path(unit) in news_approver_paths(user)


@rules.predicate
def answers_feedback_for(user, unit):
    return unit is not None and unit.pk in feedback_unit_ids(user)


@rules.predicate
def news_is_published(user, news):
    return news is not None and news.status == NewsStatus.PUBLISHED


@rules.predicate
def news_writer(user, news):
    return news is not None and writes_news_for(user, news.unit)


@rules.predicate
def news_approver(user, news):
    return news is not None and approves_news_for(user, news.unit)


@rules.predicate
def news_is_draft(user, news):
    return news is not None and news.status == NewsStatus.DRAFT


@rules.predicate
def news_is_pending(user, news):
    return news is not None and news.status == NewsStatus.PENDING


@rules.predicate
def feedback_handler(user, feedback):
    return feedback is not None and (
        answers_feedback_for(user, feedback.unit) or heads_an_ancestor_of(user, feedback.unit)
    )


@rules.predicate
def feedback_is_received(user, feedback):
    return feedback is not None and feedback.status == FeedbackStatus.RECEIVED


@rules.predicate
def feedback_is_open(user, feedback):
    return feedback is not None and feedback.status in OPEN_FEEDBACK_STATUSES


@rules.predicate
def feedback_is_publishable(user, feedback):
    """Only an answer the sender agreed to show goes public."""
    return feedback is not None and feedback.status == FeedbackStatus.ANSWERED and feedback.consent_publish


@rules.predicate
def feedback_is_public(user, feedback):
    return feedback is not None and feedback.is_published


@rules.predicate
def has_any_role(user):
    return bool(memberships_of(user))


@rules.predicate
def writes_some_news(user):
    return bool(news_writer_unit_ids(user))


@rules.predicate
def approves_some_news(user):
    return bool(news_approver_paths(user))


can_write_news_for = is_portal_admin | writes_news_for
can_view_news = news_is_published | is_portal_admin | news_writer | news_approver

rules.add_perm("public.write_news_for_unit", can_write_news_for)
rules.add_perm("public.view_news", can_view_news)
# The officer-side page of an item: its writers and approvers only, even once it is public.
rules.add_perm("public.manage_news_item", is_portal_admin | news_writer | news_approver)
rules.add_perm("public.edit_news", news_is_draft & (is_portal_admin | news_writer))
rules.add_perm("public.submit_news", news_is_draft & (is_portal_admin | news_writer))
rules.add_perm("public.approve_news", news_is_pending & (is_portal_admin | news_approver))
rules.add_perm("public.unpublish_news", news_is_published & (is_portal_admin | news_approver))
rules.add_perm("public.manage_news", is_portal_admin | has_any_role)
# The landing panel's lines (no object): "Viết tin mới" for writers, "Tin chờ tôi duyệt" for approvers.
rules.add_perm("public.write_news", is_portal_admin | writes_some_news)
rules.add_perm("public.approve_some_news", is_portal_admin | approves_some_news)
can_handle_feedback = is_portal_admin | feedback_handler
rules.add_perm("public.handle_feedback", can_handle_feedback)
rules.add_perm("public.take_feedback", feedback_is_received & can_handle_feedback)
rules.add_perm("public.answer_feedback", feedback_is_open & can_handle_feedback)
rules.add_perm("public.decline_feedback", feedback_is_open & can_handle_feedback)
rules.add_perm("public.publish_feedback", feedback_is_publishable & ~feedback_is_public & can_handle_feedback)
rules.add_perm("public.hide_feedback", feedback_is_public & can_handle_feedback)
rules.add_perm("public.list_feedback", is_portal_admin | has_any_role)

# Django admin: honoured models and indicators are chosen by portal admins.
rules.add_perm("public", is_portal_admin)
for _model in ("honouredmodel", "cityindicator", "newsitem", "feedback"):
    for _action in ("view", "add", "change"):
        rules.add_perm(f"public.{_action}_{_model}", is_portal_admin)
rules.add_perm("public.delete_honouredmodel", is_portal_admin)
