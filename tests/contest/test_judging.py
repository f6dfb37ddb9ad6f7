from collections import Counter
from decimal import Decimal

import pytest

from campaign_portal.exceptions import PortalError
from contest import judging, states
from contest.enums import AssignmentState, EntryStatus, RoundState, StaffRole
from contest.models import Assignment, Conflict, ContestStaff
from tests.factories import UserFactory

from .conftest import make_eligible, make_entrant, make_entry

pytestmark = pytest.mark.django_db


def _eligible_entries(env, n, **entrant_kwargs):
    entries = []
    for i in range(n):
        entry = make_entry(make_entrant(env.contest, name=f"Thí Sinh {i}", **entrant_kwargs))
        entry = make_eligible(env, entry)
        entries.append(entry)
    return entries


def _loads(round_):
    return Counter(
        Assignment.objects.filter(round=round_, state__in=["assigned", "draft", "submitted"]).values_list(
            "judge_id", flat=True
        )
    )


def test_assignment_auto_balances_within_one(contest_env):
    entries = _eligible_entries(contest_env, 10)
    outcome = judging.assignment_auto(round_=contest_env.prelim, k=2)
    assert outcome.created == 20
    loads = _loads(contest_env.prelim)
    assert sorted(loads.values()) == [6, 7, 7]
    assert outcome.spread == 1
    per_entry = Counter(Assignment.objects.filter(round=contest_env.prelim).values_list("entry_id", flat=True))
    assert set(per_entry.values()) == {2} and len(per_entry) == len(entries)
    assert Assignment.objects.filter(round=contest_env.prelim).values("entry", "judge").distinct().count() == 20


def test_assignment_auto_never_picks_same_unit_judge(contest_env):
    # Judge 1 works in gl1: the entrants of gl1 must never get judge 1.
    entries = _eligible_entries(contest_env, 4, unit=contest_env.tree.gl1)
    outcome = judging.assignment_auto(round_=contest_env.prelim, k=2)
    judges = set(Assignment.objects.filter(round=contest_env.prelim).values_list("judge_id", flat=True))
    assert contest_env.judges[0].pk not in judges
    assert outcome.created == 8 and outcome.short == []
    assert len(entries) == 4


def test_assignment_auto_respects_declared_conflict_and_organisation(contest_env):
    entries = _eligible_entries(contest_env, 2)
    Conflict.objects.create(contest=contest_env.contest, judge=contest_env.judges[1], entrant=entries[0].entrant)
    ContestStaff.objects.filter(user=contest_env.judges[2]).update(organisation="phường dịch vọng")  # folded match
    outcome = judging.assignment_auto(round_=contest_env.prelim, k=2)
    assigned = set(Assignment.objects.filter(round=contest_env.prelim).values_list("entry_id", "judge_id"))
    assert (entries[0].pk, contest_env.judges[1].pk) not in assigned
    assert all(judge != contest_env.judges[2].pk for _e, judge in assigned)
    # entry 0 has only judge 1 left (judge 2 declared, judge 3 same organisation): short of k=2.
    assert outcome.short == [entries[0].code]


def test_assignment_auto_balances_with_conflicts_and_many_judges(contest_env):
    extra = [UserFactory() for _ in range(4)]
    for user in extra:
        ContestStaff.objects.create(contest=contest_env.contest, user=user, role=StaffRole.JUDGE)
    entries = _eligible_entries(contest_env, 9, unit=contest_env.tree.gl1)  # judge 1 conflicted on all
    entries += _eligible_entries(contest_env, 12)
    outcome = judging.assignment_auto(round_=contest_env.prelim, k=3)
    loads = _loads(contest_env.prelim)
    assert sum(loads.values()) == 63
    assert max(loads.values()) - min(loads.values()) <= 1
    assert outcome.short == []
    conflicted = Assignment.objects.filter(entry__in=entries[:9], judge=contest_env.judges[0]).count()
    assert conflicted == 0


def test_assignment_auto_prefers_expertise_on_ties(contest_env):
    (entry,) = _eligible_entries(contest_env, 1)  # field "ho-tich": judge 2 is the expert
    judging.assignment_auto(round_=contest_env.prelim, k=1)
    assert list(Assignment.objects.values_list("judge_id", flat=True)) == [contest_env.judges[1].pk]
    assert entry.field == "ho-tich"


def test_assignment_auto_twice_adds_nothing(contest_env):
    _eligible_entries(contest_env, 3)
    judging.assignment_auto(round_=contest_env.prelim, k=2)
    again = judging.assignment_auto(round_=contest_env.prelim, k=2)
    assert again.created == 0
    assert Assignment.objects.count() == 6


def test_assignment_create_refuses_conflicted_judge(contest_env):
    (entry,) = _eligible_entries(contest_env, 1, unit=contest_env.tree.gl1)
    with pytest.raises(PortalError):
        judging.assignment_create(round_=contest_env.prelim, entry=entry, judge=contest_env.judges[0])
    assignment = judging.assignment_create(round_=contest_env.prelim, entry=entry, judge=contest_env.judges[1])
    assert assignment.by_hand is True
    entry.refresh_from_db()
    assert entry.status == EntryStatus.IN_JUDGING


def test_conflict_declare_reassigns_to_free_judge(contest_env):
    (entry,) = _eligible_entries(contest_env, 1)
    judging.assignment_auto(round_=contest_env.prelim, k=2)
    assignment = Assignment.objects.filter(entry=entry).order_by("judge_id").first()
    new = judging.conflict_declare(assignment=assignment, reason="Người quen", by=assignment.judge)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.WITHDRAWN
    assert new is not None and new.judge_id not in {assignment.judge_id}
    assert Conflict.objects.filter(judge=assignment.judge, entrant=entry.entrant).count() == 1
    assert Assignment.objects.filter(entry=entry, state="assigned").count() == 2


def test_conflict_declare_by_other_user_refused(contest_env):
    (entry,) = _eligible_entries(contest_env, 1)
    judging.assignment_auto(round_=contest_env.prelim, k=1)
    assignment = Assignment.objects.get(entry=entry)
    with pytest.raises(PortalError):
        judging.conflict_declare(assignment=assignment, reason="x", by=contest_env.organiser)


def test_weighted_total_hand_checked(contest_env):
    criteria = contest_env.criteria  # c1 weight 2, five others weight 1, all 0–10
    values = {c.pk: Decimal(10) for c in criteria}
    assert judging.weighted_total(values, criteria) == Decimal("100.000")
    values[criteria[0].pk] = Decimal(5)
    # (2·0.5 + 5·1) / 7 · 100 = 85.714
    assert judging.weighted_total(values, criteria) == Decimal("85.714")
    values[criteria[1].pk] = None
    assert judging.weighted_total(values, criteria) is None


def _assignment(env):
    (entry,) = _eligible_entries(env, 1)
    return judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[1])


def test_assignment_score_draft_then_submit(contest_env):
    assignment = _assignment(contest_env)
    judge = contest_env.judges[1]
    criteria = contest_env.criteria
    partial = {criteria[0].pk: "7.5"}
    a = judging.assignment_score(assignment=assignment, values=partial, submit=False, by=judge)
    assert (a.state, a.total) == (AssignmentState.DRAFT, None)
    with pytest.raises(PortalError):
        judging.assignment_score(assignment=assignment, values=partial, submit=True, by=judge)
    full = {c.pk: "8" for c in criteria}
    a = judging.assignment_score(
        assignment=assignment,
        values=full,
        comments={criteria[0].pk: "Tốt"},
        comment="Bài có giá trị",
        submit=True,
        by=judge,
    )
    assert (a.state, a.total) == (AssignmentState.SUBMITTED, Decimal("80.000"))
    assert a.scores.get(criterion=criteria[0]).comment == "Tốt"


def test_a_score_sheet_is_written_in_two_statements_with_each_scores_history(contest_env):
    """However many criteria: the new scores in one INSERT and their history rows in another (an edit: one UPDATE and
    one INSERT), each history row naming the judge, as a save per score did."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contest.models import Score

    assignment = _assignment(contest_env)
    judge, criteria = contest_env.judges[1], contest_env.criteria
    assert len(criteria) > 2
    for values, kinds in (({c.pk: "6" for c in criteria}, "+"), ({c.pk: "9" for c in criteria}, "~")):
        with CaptureQueriesContext(connection) as captured:
            judging.assignment_score(assignment=assignment, values=values, submit=False, by=judge)
        writes = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].startswith(
                ('INSERT INTO "contest_score"', 'UPDATE "contest_score"', 'INSERT INTO "contest_historicalscore"')
            )
        ]
        assert len(writes) == 2 and "historicalscore" in writes[1], writes
        rows = Score.history.filter(assignment_id=assignment.pk, history_type=kinds)
        assert sorted(rows.values_list("criterion_id", "history_user_id")) == sorted((c.pk, judge.pk) for c in criteria)
    assert {s.value for s in Score.objects.filter(assignment=assignment)} == {Decimal("9")}


def test_assignment_score_out_of_range_refused(contest_env):
    assignment = _assignment(contest_env)
    with pytest.raises(PortalError) as error:
        judging.assignment_score(
            assignment=assignment, values={contest_env.criteria[0].pk: "11"}, by=contest_env.judges[1]
        )
    assert "từ 0 đến 10" in str(error.value)


def test_assignment_score_after_round_closed_refused(contest_env):
    assignment = _assignment(contest_env)
    states.round_set_state(round_=contest_env.prelim, to=RoundState.CLOSED)
    with pytest.raises(PortalError):
        judging.assignment_score(assignment=assignment, values={}, by=contest_env.judges[1])


def test_assignment_score_by_other_judge_refused(contest_env):
    assignment = _assignment(contest_env)
    with pytest.raises(PortalError):
        judging.assignment_score(assignment=assignment, values={}, by=contest_env.judges[2])
