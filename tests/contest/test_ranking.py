import datetime as dt
from dataclasses import astuple

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign_portal.exceptions import PortalError
from contest import judging, ranking, results, states
from contest.enums import EntryStatus, RoundState
from contest.models import Assignment, Award, FinalSlot, PrizeTier
from contest.signals import results_published

from .conftest import make_eligible, make_entrant, make_entry, score_sheet

pytestmark = pytest.mark.django_db


def test_round_ranking_hand_checked(scored):
    rows = ranking.round_ranking(scored.prelim)
    assert [r.entry.code for r in rows] == [scored.x.code, scored.y.code]
    x, y = rows
    assert round(x.mean, 3) == 92.857  # (100 + 85.714) / 2
    assert round(x.median, 3) == 92.857
    assert round(x.spread, 3) == 14.286
    assert round(x.variance, 2) == 51.02  # (14.286 / 2)²
    assert round(y.mean, 3) == 60.714  # (35.714 + 85.714) / 2
    assert round(y.spread, 3) == 50.0
    assert (x.flagged, y.flagged) == (False, True)  # threshold 20
    # z-scores: A gave 100 and 35.714 → z = +1, −1; B gave the same to both → σ = 0 → z = 0.
    assert (round(x.z_mean, 3), round(y.z_mean, 3)) == (0.5, -0.5)
    assert (x.rank, y.rank, x.z_rank, y.z_rank) == (1, 2, 1, 2)
    criterion_one = scored.criteria[0].pk
    assert x.criterion_means[criterion_one] == 7.5
    assert y.criterion_means[criterion_one] == 2.5


def test_round_scores_are_two_queries_and_leave_the_entries_to_the_rows_shown(scored, django_assert_num_queries):
    with django_assert_num_queries(2):  # the judges' moments, then one grouped query over the entries
        rows = ranking.round_scores(scored.prelim)
    assert [(r.code, r.sheets, r.rank, r.z_rank, r.entry) for r in rows] == [
        (scored.x.code, 2, 1, 1, None),
        (scored.y.code, 2, 2, 2, None),
    ]
    x, y = rows
    with django_assert_num_queries(1):  # the shown row's sheets with its entry; no criteria asked
        ranking.rows_complete(scored.prelim, [y], with_criteria=False)
    assert (x.entry, x.totals, x.median) == (None, [], None)
    assert (y.entry.code, [round(t, 3) for t in y.totals], round(y.median, 3)) == (
        scored.y.code,
        [35.714, 85.714],
        60.714,
    )
    assert y.criterion_means == {}


def test_round_scores_normalised_order_follows_the_z_ranks(scored):
    """A third entry scored only by the lenient judge B: its raw mean (85.714) ranks second, but B's z is 0 for
    every sheet (σ = 0) while judge A's +1 lifts X, so by z it comes between X (0.5) and Y (−0.5)."""
    z = make_eligible(scored, make_entry(make_entrant(scored.contest, name="Tác Giả Z")))
    score_sheet(
        judging.assignment_create(round_=scored.prelim, entry=z, judge=scored.judges[2]),
        scored.judges[2],
        scored.criteria,
        5,
    )
    raw = ranking.round_scores(scored.prelim)
    normalised = ranking.round_scores(scored.prelim, normalised=True)
    assert [(r.code, r.rank) for r in raw] == [(scored.x.code, 1), (z.code, 2), (scored.y.code, 3)]
    assert [(r.code, r.z_rank, round(r.z_mean, 3)) for r in normalised] == [
        (scored.x.code, 1, 0.5),
        (z.code, 2, 0.0),
        (scored.y.code, 3, -0.5),
    ]


def test_round_ranking_ties_share_rank(scored):
    z = make_entry(make_entrant(scored.contest, name="Tác Giả Z"))
    z = make_eligible(scored, z)
    for judge, first in ((scored.judges[1], 10), (scored.judges[2], 5)):  # same sheets as X
        score_sheet(
            judging.assignment_create(round_=scored.prelim, entry=z, judge=judge), judge, scored.criteria, first
        )
    rows = ranking.round_ranking(scored.prelim)
    assert [(r.rank, r.tie) for r in rows] == [(1, True), (1, True), (3, False)]


def _ranking_page(client, env, order=""):
    """The rows the organisers' ranking page shows: code, raw rank, z rank, mean, median, tie, flag, criterion means."""
    url = reverse("contest:round_ranking", args=[env.contest.slug, "preliminary"])
    response = client.get(url + (f"?order={order}" if order else ""))
    assert response.status_code == 200
    return [
        (r.code, r.rank, r.z_rank, round(r.mean, 3), round(r.median, 3), r.tie, r.flagged, r.means)
        for r in response.context["rows"]
    ]


def test_ranking_page_shows_a_sheet_submitted_through_the_service_on_the_next_view(scored, login):
    client = login(scored.organiser)
    x, y = scored.x.code, scored.y.code
    assert _ranking_page(client, scored) == [
        (x, 1, 1, 92.857, 92.857, False, False, [7.5, *[10.0] * 5]),
        (y, 2, 2, 60.714, 60.714, False, True, [2.5, *[7.5] * 5]),
    ]
    assert _ranking_page(client, scored) == _ranking_page(client, scored)  # the second view from the cache
    # Judge A changes Y's sheet to all 10 (100): Y now ties X, by z too (A gave both 100, B both 85.714: σ = 0).
    judge_a = scored.judges[1]
    score_sheet(Assignment.objects.get(entry=scored.y, judge=judge_a), judge_a, scored.criteria, 10)
    assert _ranking_page(client, scored) == [
        (x, 1, 1, 92.857, 92.857, True, False, [7.5, *[10.0] * 5]),
        (y, 1, 1, 92.857, 92.857, True, False, [7.5, *[10.0] * 5]),
    ]
    assert [row[:3] for row in _ranking_page(client, scored, order="z")] == [(x, 1, 1), (y, 1, 1)]


def test_ranking_page_drops_a_sheet_taken_back_to_draft_on_the_next_view(scored, login):
    client = login(scored.organiser)
    assert [row[0] for row in _ranking_page(client, scored, order="z")] == [scored.x.code, scored.y.code]
    judge_a = scored.judges[1]
    sheet = Assignment.objects.get(entry=scored.x, judge=judge_a)
    judging.assignment_score(assignment=sheet, values={c.pk: 10 for c in scored.criteria}, by=judge_a)  # a draft
    # X keeps B's sheet alone (85.714, z 0); Y keeps both (A's z −1 now that A has one sheet: σ = 0 → 0).
    assert _ranking_page(client, scored) == [
        (scored.x.code, 1, 1, 85.714, 85.714, False, False, [5.0, *[10.0] * 5]),
        (scored.y.code, 2, 1, 60.714, 60.714, False, True, [2.5, *[7.5] * 5]),
    ]


def test_round_scores_cached_same_rows_and_order_as_computed(scored, django_assert_num_queries):
    """Ties included, in both orders; the second read takes the stamp's two queries and nothing else."""
    z = make_eligible(scored, make_entry(make_entrant(scored.contest, name="Tác Giả Z")))
    for judge, first in ((scored.judges[1], 10), (scored.judges[2], 5)):  # the same sheets as X
        score_sheet(
            judging.assignment_create(round_=scored.prelim, entry=z, judge=judge), judge, scored.criteria, first
        )
    for normalised in (False, True):
        computed = [astuple(row) for row in ranking.round_scores(scored.prelim, normalised=normalised)]
        assert [astuple(row) for row in ranking.round_scores_cached(scored.prelim, normalised=normalised)] == computed
        with django_assert_num_queries(2):
            cached = ranking.round_scores_cached(scored.prelim, normalised=normalised)
        assert len(cached) == 3
        assert [astuple(row) for row in cached[0:3]] == computed
        assert astuple(cached[2]) == computed[2]
    assert [(r.rank, r.tie) for r in ranking.round_scores_cached(scored.prelim)] == [(1, True), (1, True), (3, False)]


def test_round_sheets_stamp_changes_with_each_change_of_a_submitted_sheet_only(scored):
    judge_a = scored.judges[1]
    sheet = Assignment.objects.get(entry=scored.x, judge=judge_a)
    stamps = [ranking.round_sheets_stamp(scored.prelim)]
    judging.round_set_scores_open(round_=scored.prelim, open_=True)  # nothing the ranking shows
    assert ranking.round_sheets_stamp(scored.prelim) == stamps[-1]
    for submit in (False, True):  # taken back to draft, then submitted again with the same scores
        judging.assignment_score(
            assignment=sheet, values={c.pk: 10 for c in scored.criteria}, submit=submit, by=judge_a
        )
        stamps.append(ranking.round_sheets_stamp(scored.prelim))
    assert len(set(stamps)) == 3


def test_round_advance_top_n_and_final_combination(scored):
    chosen = results.round_advance(contest=scored.contest, top_n=1)
    assert chosen == [scored.x.pk]
    scored.x.refresh_from_db()
    scored.y.refresh_from_db()
    assert (scored.x.status, scored.y.status) == (EntryStatus.ADVANCED, EntryStatus.JUDGED)
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk, scored.y.pk])
    states.round_set_state(round_=scored.final, to=RoundState.OPEN)
    judge = scored.judges[0]
    for entry, value in ((scored.x, 50), (scored.y, 90)):
        a = judging.assignment_create(round_=scored.final, entry=entry, judge=judge)
        judging.assignment_score(assignment=a, values={scored.final_criteria[0].pk: value}, submit=True, by=judge)
    rows = {r.entry.code: r for r in ranking.final_results(scored.contest)}
    # 0.4 · 92.857 + 0.6 · 50 = 67.143; 0.4 · 60.714 + 0.6 · 90 = 78.286
    assert round(rows[scored.x.code].combined, 3) == 67.143
    assert round(rows[scored.y.code].combined, 3) == 78.286
    assert (rows[scored.y.code].rank, rows[scored.x.code].rank) == (1, 2)
    assert (rows[scored.x.code].group, rows[scored.y.code].group) == ("individual", "group")


def test_final_schedule_timed_slots(scored):
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk, scored.y.pk])
    start = timezone.make_aware(dt.datetime(2019, 11, 28, 8, 0))
    slots = results.final_schedule(contest=scored.contest, starts_at=start)
    assert [
        (s.order, timezone.localtime(s.starts_at).strftime("%H:%M"), timezone.localtime(s.ends_at).strftime("%H:%M"))
        for s in slots
    ] == [(1, "08:00", "08:15"), (2, "08:15", "08:30")]
    assert FinalSlot.objects.count() == 2


def test_award_quota_and_publish(scored, django_capture_on_commit_callbacks):
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk, scored.y.pk])
    first = PrizeTier.objects.get(group="individual", rank=1)
    results.award_set(entry=scored.x, tier=first)
    with pytest.raises(PortalError):
        results.award_set(entry=scored.y, tier=first)
    published = []
    results_published.connect(
        lambda sender, contest, **kw: published.append(contest.pk), weak=False, dispatch_uid="test-publish"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            results.results_publish(contest=scored.contest)
    finally:
        results_published.disconnect(dispatch_uid="test-publish")
    scored.x.refresh_from_db()
    assert scored.x.status == EntryStatus.PRIZE
    assert published == [scored.contest.pk]
    with pytest.raises(PortalError):
        results.award_set(entry=scored.y, tier=PrizeTier.objects.get(group="group"))
    assert Award.objects.count() == 1


def test_awards_propose_follows_quota_and_group(scored):
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk, scored.y.pk])
    states.round_set_state(round_=scored.final, to=RoundState.OPEN)
    judge = scored.judges[0]
    for entry in (scored.x, scored.y):
        a = judging.assignment_create(round_=scored.final, entry=entry, judge=judge)
        judging.assignment_score(assignment=a, values={scored.final_criteria[0].pk: 70}, submit=True, by=judge)
    proposal = [(row.entry.code, tier.name, tier.group) for row, tier in ranking.awards_propose(scored.contest)]
    assert proposal == [(scored.x.code, "Giải Nhất", "individual"), (scored.y.code, "Giải Nhất", "group")]
    assert Assignment.objects.filter(round=scored.final).count() == 2
