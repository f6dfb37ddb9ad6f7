"""The state machines of Entry and Round: every allowed move made through the services and found in the
history with its user; every other pair refused with PortalError, leaving no history row."""

import itertools
from decimal import Decimal

import pytest

from campaign_portal.exceptions import PortalError
from contest import judging, results, services, states
from contest.enums import ENTRY_TRANSITIONS, ROUND_TRANSITIONS, EntryStatus, RoundState
from contest.models import Entry, PrizeTier, Round
from contest.rules import round_can_close, round_can_open
from tests.factories import UserFactory

from .conftest import ENTRY_TEXT, make_entrant, make_entry

pytestmark = pytest.mark.django_db

S = EntryStatus
# How an entry reaches each state from "received", through the mover (the organiser acting).
PATHS = {
    S.DRAFT: None,
    S.RECEIVED: [],
    S.ELIGIBLE: [S.ELIGIBLE],
    S.REJECTED: [S.REJECTED],
    S.IN_JUDGING: [S.ELIGIBLE, S.IN_JUDGING],
    S.JUDGED: [S.ELIGIBLE, S.IN_JUDGING, S.JUDGED],
    S.ADVANCED: [S.ELIGIBLE, S.IN_JUDGING, S.ADVANCED],
    S.PRIZE: [S.ELIGIBLE, S.IN_JUDGING, S.ADVANCED, S.PRIZE],
}
ENTRY_ALLOWED = [(f, t) for f, targets in ENTRY_TRANSITIONS.items() for t in sorted(targets)]
ENTRY_FORBIDDEN = [(f, t) for f, t in itertools.product(S.values, S.values) if t not in ENTRY_TRANSITIONS.get(f, set())]
ROUND_PATHS = {RoundState.PLANNED: [], RoundState.OPEN: [RoundState.OPEN], RoundState.CLOSED: ["open", "closed"]}
ROUND_ALLOWED = [(f, t) for f, targets in ROUND_TRANSITIONS.items() for t in sorted(targets)]
ROUND_FORBIDDEN = [
    (f, t)
    for f, t in itertools.product(RoundState.values, RoundState.values)
    if t not in ROUND_TRANSITIONS.get(f, set())
]


def _entry_in(env, status) -> Entry:
    entrant = make_entrant(env.contest, name="Thí Sinh Trạng Thái")
    entry = make_entry(entrant, submit=status != S.DRAFT)
    for step in PATHS[status] or []:
        entry = states.entry_set_state(entry=entry, to=step, by=env.organiser)
    entry.refresh_from_db()
    assert entry.status == status
    return entry


def _round_in(env, state) -> Round:
    round_ = env.final  # created "planned"
    for step in ROUND_PATHS[state]:
        round_ = states.round_set_state(round_=round_, to=step, by=env.organiser)
    round_.refresh_from_db()
    assert round_.state == state
    return round_


def _last(history):
    return history.order_by("-history_date", "-history_id").first()


def test_entry_graph_covers_every_status_and_keeps_the_moves_the_app_makes():
    assert set(ENTRY_TRANSITIONS) == set(S.values)
    assert ENTRY_ALLOWED == [
        (S.DRAFT, S.RECEIVED),
        (S.RECEIVED, S.ELIGIBLE),
        (S.RECEIVED, S.REJECTED),
        (S.ELIGIBLE, S.IN_JUDGING),
        (S.ELIGIBLE, S.REJECTED),
        (S.REJECTED, S.ELIGIBLE),
        (S.REJECTED, S.RECEIVED),
        (S.IN_JUDGING, S.ADVANCED),
        (S.IN_JUDGING, S.JUDGED),
        (S.JUDGED, S.ADVANCED),
        (S.ADVANCED, S.JUDGED),
        (S.ADVANCED, S.PRIZE),
    ]
    assert len(ENTRY_FORBIDDEN) == 64 - 12


@pytest.mark.parametrize(("from_", "to"), ENTRY_ALLOWED)
def test_entry_allowed_move_is_made_and_recorded(contest_env, from_, to):
    entry = _entry_in(contest_env, from_)
    rows = entry.history.count()
    # The entrant makes the entrant's moves; the organiser the others.
    by = entry.entrant.user if (from_, to) in {(S.DRAFT, S.RECEIVED), (S.REJECTED, S.RECEIVED)} else None
    by = by or contest_env.organiser
    states.entry_set_state(entry=entry, to=to, by=by)
    entry.refresh_from_db()
    last = _last(entry.history)
    assert (entry.status, entry.history.count(), last.status, last.history_user) == (to, rows + 1, to, by)


@pytest.mark.parametrize(("from_", "to"), ENTRY_FORBIDDEN)
def test_entry_forbidden_move_is_refused_and_leaves_no_history(contest_env, from_, to):
    entry = _entry_in(contest_env, from_)
    rows = entry.history.count()
    with pytest.raises(PortalError) as refused:
        states.entry_set_state(entry=entry, to=to, by=contest_env.organiser)
    assert str(refused.value) == (f"Bài {entry} không thể chuyển từ “{S(from_).label}” sang “{S(to).label}”.")
    entry.refresh_from_db()
    assert (entry.status, entry.history.count()) == (from_, rows)


def test_entry_unknown_status_is_refused(contest_env):
    entry = _entry_in(contest_env, S.RECEIVED)
    with pytest.raises(PortalError) as refused:
        states.entry_set_state(entry=entry, to="lost", by=contest_env.organiser)
    assert str(refused.value) == "Trạng thái bài dự thi không hợp lệ."


def test_entry_organisers_move_refused_to_the_entrant_and_an_outsider(contest_env):
    entry = _entry_in(contest_env, S.RECEIVED)
    rows = entry.history.count()
    for user in (entry.entrant.user, UserFactory(email="nguoingoai@example.vn")):
        with pytest.raises(PortalError) as refused:
            states.entry_set_state(entry=entry, to=S.ELIGIBLE, by=user)
        assert str(refused.value) == "Bạn không có quyền chuyển trạng thái bài dự thi này."
    entry.refresh_from_db()
    assert (entry.status, entry.history.count()) == (S.RECEIVED, rows)


def test_entries_bulk_move_gives_each_entry_its_history_row(contest_env):
    entries = [_entry_in(contest_env, S.ELIGIBLE) for _i in range(3)]
    states.entries_set_state(entries=entries, to=S.IN_JUDGING, by=contest_env.organiser)
    for entry in entries:
        entry.refresh_from_db()
        last = _last(entry.history)
        assert (entry.status, last.status, last.history_user) == (S.IN_JUDGING, S.IN_JUDGING, contest_env.organiser)


def test_entries_bulk_move_is_all_or_nothing(contest_env):
    eligible, received = _entry_in(contest_env, S.ELIGIBLE), _entry_in(contest_env, S.RECEIVED)
    rows = (eligible.history.count(), received.history.count())
    with pytest.raises(PortalError):
        states.entries_set_state(entries=[eligible, received], to=S.IN_JUDGING, by=contest_env.organiser)
    eligible.refresh_from_db()
    received.refresh_from_db()
    assert (eligible.status, received.status) == (S.ELIGIBLE, S.RECEIVED)
    assert (eligible.history.count(), received.history.count()) == rows


# ---------------------------------------------------------------- the domain services make the moves


def test_entry_whole_journey_through_the_services_is_in_the_history(contest_env):
    """Every move the app makes, made by the service that makes it, each found in the history with its user."""
    env = contest_env
    organiser = env.organiser
    entrant = make_entrant(env.contest, name="Tác Giả Hành Trình")
    entry = make_entry(entrant, submit=False)
    services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)  # draft → received
    services.entry_set_eligibility(entry=entry, eligible=False, reason="Thiếu phần giải pháp", by=organiser)
    services.entry_save(entry=entry, data={**ENTRY_TEXT, "title": "Một lần đến (bổ sung)"}, by=entrant.user)
    services.entry_set_eligibility(entry=entry, eligible=False, reason="Vẫn thiếu", by=organiser)
    services.entry_set_eligibility(entry=entry, eligible=True, by=organiser)  # rejected → eligible
    other = make_entry(make_entrant(env.contest, name="Tác Giả Khác"))
    services.entry_set_eligibility(entry=other, eligible=True, by=organiser)  # received → eligible
    services.entry_set_eligibility(entry=other, eligible=False, reason="Trùng bài", by=organiser)  # → rejected
    services.entry_set_eligibility(entry=other, eligible=True, by=organiser)
    judging.assignment_auto(round_=env.prelim, k=2, by=organiser)  # eligible → in judging (both, in bulk)
    for assignment in entry.assignments.all():
        values = {c.pk: Decimal(8) for c in env.criteria}
        judging.assignment_score(assignment=assignment, values=values, submit=True, by=assignment.judge)
    results.round_advance(contest=env.contest, entry_ids=[other.pk], by=organiser)  # in judging → advanced/judged
    results.round_advance(contest=env.contest, entry_ids=[entry.pk], by=organiser)  # judged ↔ advanced
    results.award_set(entry=entry, tier=PrizeTier.objects.get(group="individual", rank=1), by=organiser)
    results.results_publish(contest=env.contest, by=organiser)  # advanced → prize
    moves = [
        (h.status, h.history_user)
        for h in entry.history.order_by("history_date", "history_id")
        if h.prev_record is None or h.prev_record.status != h.status
    ]
    assert moves == [
        (S.DRAFT, None),  # created by the first keystroke, outside a request here
        (S.RECEIVED, entrant.user),
        (S.REJECTED, organiser),
        (S.RECEIVED, entrant.user),
        (S.REJECTED, organiser),
        (S.ELIGIBLE, organiser),
        (S.IN_JUDGING, organiser),
        (S.JUDGED, organiser),
        (S.ADVANCED, organiser),
        (S.PRIZE, organiser),
    ]
    other_moves = [
        h.status
        for h in other.history.order_by("history_date", "history_id")
        if h.prev_record is None or h.prev_record.status != h.status
    ]
    assert other_moves == [
        S.DRAFT,
        S.RECEIVED,
        S.ELIGIBLE,
        S.REJECTED,
        S.ELIGIBLE,
        S.IN_JUDGING,
        S.ADVANCED,
        S.JUDGED,
    ]


def test_entry_assigned_by_hand_goes_into_judging_with_history(contest_env):
    entry = _entry_in(contest_env, S.ELIGIBLE)
    judging.assignment_create(
        round_=contest_env.prelim, entry=entry, judge=contest_env.judges[1], by=contest_env.organiser
    )
    entry.refresh_from_db()
    last = _last(entry.history)
    assert (entry.status, last.status, last.history_user) == (S.IN_JUDGING, S.IN_JUDGING, contest_env.organiser)


# ---------------------------------------------------------------- rounds


def test_round_graph_has_no_way_back_to_planned():
    assert ROUND_ALLOWED == [
        (RoundState.PLANNED, RoundState.OPEN),
        (RoundState.OPEN, RoundState.CLOSED),
        (RoundState.CLOSED, RoundState.OPEN),
    ]
    assert ROUND_FORBIDDEN == [
        (RoundState.PLANNED, RoundState.PLANNED),
        (RoundState.PLANNED, RoundState.CLOSED),
        (RoundState.OPEN, RoundState.PLANNED),
        (RoundState.OPEN, RoundState.OPEN),
        (RoundState.CLOSED, RoundState.PLANNED),
        (RoundState.CLOSED, RoundState.CLOSED),
    ]


@pytest.mark.parametrize(("from_", "to"), ROUND_ALLOWED)
def test_round_allowed_move_is_made_and_recorded(contest_env, from_, to):
    round_ = _round_in(contest_env, from_)
    rows = round_.history.count()
    states.round_set_state(round_=round_, to=to, by=contest_env.organiser)
    round_.refresh_from_db()
    last = _last(round_.history)
    assert (round_.state, round_.history.count(), last.state, last.history_user) == (
        to,
        rows + 1,
        to,
        contest_env.organiser,
    )


@pytest.mark.parametrize(("from_", "to"), ROUND_FORBIDDEN)
def test_round_forbidden_move_is_refused_and_leaves_no_history(contest_env, from_, to):
    round_ = _round_in(contest_env, from_)
    rows = round_.history.count()
    with pytest.raises(PortalError) as refused:
        states.round_set_state(round_=round_, to=to, by=contest_env.organiser)
    assert str(refused.value) == (
        f"Vòng {round_.name} không thể chuyển từ “{RoundState(from_).label}” sang “{RoundState(to).label}”."
    )
    round_.refresh_from_db()
    assert (round_.state, round_.history.count()) == (from_, rows)


def test_round_move_refused_to_a_judge(contest_env):
    rows = contest_env.final.history.count()
    with pytest.raises(PortalError) as refused:
        states.round_set_state(round_=contest_env.final, to=RoundState.OPEN, by=contest_env.judges[0])
    assert str(refused.value) == "Bạn không có quyền mở hoặc đóng vòng thi này."
    contest_env.final.refresh_from_db()
    assert (contest_env.final.state, contest_env.final.history.count()) == (RoundState.PLANNED, rows)


@pytest.mark.parametrize(
    ("state", "flags"),
    [(RoundState.PLANNED, (True, False)), (RoundState.OPEN, (False, True)), (RoundState.CLOSED, (True, False))],
)
def test_round_can_open_and_close_follow_the_graph(contest_env, state, flags):
    round_ = _round_in(contest_env, state)
    assert (round_can_open(round_), round_can_close(round_)) == flags
