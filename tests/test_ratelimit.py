"""campaign_portal/ratelimit.py: the named policies and the one counter every app uses."""

from campaign_portal.ratelimit import (
    CONTEST_VERIFY_RESEND,
    FEEDBACK_ATTEMPT,
    FEEDBACK_SUBMIT,
    FEEDBACK_TRACK,
    feedback_submit_refused,
    rate_limit_hit,
    rate_limit_reached,
)


def test_policies_are_declared_once_with_their_limits():
    assert [(p.scope, p.limit, p.window_seconds) for p in (FEEDBACK_SUBMIT, FEEDBACK_ATTEMPT, FEEDBACK_TRACK)] == [
        ("feedback", 5, 3600),
        ("feedback-post", 30, 3600),
        ("tracking", 30, 3600),
    ]
    assert (CONTEST_VERIFY_RESEND.scope, CONTEST_VERIFY_RESEND.limit) == ("verify-resend", 5)


def test_rate_limit_hit_counts_per_policy_and_key():
    answers = [rate_limit_hit(policy=CONTEST_VERIFY_RESEND, key="10.0.0.1") for _ in range(6)]
    assert answers == [False] * 5 + [True]
    assert rate_limit_hit(policy=CONTEST_VERIFY_RESEND, key="10.0.0.2") is False
    assert rate_limit_hit(policy=FEEDBACK_TRACK, key="10.0.0.1") is False


def test_rate_limit_reached_counts_nothing():
    assert [rate_limit_reached(policy=FEEDBACK_SUBMIT, key="10.0.0.3") for _ in range(10)] == [False] * 10
    for _ in range(FEEDBACK_SUBMIT.limit):
        rate_limit_hit(policy=FEEDBACK_SUBMIT, key="10.0.0.3")
    assert rate_limit_reached(policy=FEEDBACK_SUBMIT, key="10.0.0.3") is True


def test_feedback_submit_refused_once_the_hours_records_are_used_up():
    assert feedback_submit_refused(key="10.0.0.4") is False
    for _ in range(FEEDBACK_SUBMIT.limit):
        rate_limit_hit(policy=FEEDBACK_SUBMIT, key="10.0.0.4")
    assert feedback_submit_refused(key="10.0.0.4") is True
    assert feedback_submit_refused(key="10.0.0.5") is False
