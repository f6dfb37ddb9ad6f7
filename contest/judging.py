"""Writes for the jury: rounds, assignments (by hand and automatic), conflicts, scores.

Automatic assignment (assignment_auto)
--------------------------------------
Each entry gets k judges. Entries are taken most-constrained first (fewest judges
free of conflict); for each, the free judges are sorted by (current load, no field
expertise, id) and the first ones taken. A judge is never proposed when conflicted:
same unit as the entrant, same organisation (folded name), the entrant's own account,
or a declared Conflict.

Why loads stay within one: let loads be L or L+1 before a step (true at the start,
all 0). A step adds one to the m least-loaded judges. If m is at most the number of
judges at L, they move to L+1 and every load is L or L+1; otherwise all judges at L
move to L+1 and some at L+1 move to L+2, so every load is L+1 or L+2. Expertise only
breaks ties among judges of equal load, so it never breaks the invariant. Conflicts
can: a conflicted judge is skipped and may fall behind. A repair pass then moves
assignments made in this run from a most-loaded judge to a least-loaded one who is
free for that entry while max − min > 1; each move lowers the sum of squared loads,
so it ends. The achieved spread is returned (and shown) so organisers see when
conflicts make a perfect balance impossible.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaign_portal.exceptions import PortalError
from campaign_portal.numbers import format_number
from campaign_portal.text import fold, nfc

from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    JUDGEABLE_STATUSES,
    AssignmentState,
    EntryStatus,
    RoundKind,
    RoundState,
    StaffRole,
)
from .models import Assignment, Conflict, ContestStaff, Criterion, Entry, Round, Score
from .states import entries_set_state, entry_set_state

HUNDRED = Decimal(100)


@dataclass
class AssignmentOutcome:
    created: int = 0
    loads: dict = field(default_factory=dict)
    short: list = field(default_factory=list)  # entry codes that could not get k free judges

    @property
    def spread(self) -> int:
        return (max(self.loads.values()) - min(self.loads.values())) if self.loads else 0


def round_entries_queryset(round_: Round):
    statuses = [EntryStatus.ADVANCED] if round_.kind == RoundKind.FINAL else JUDGEABLE_STATUSES
    return Entry.objects.filter(contest_id=round_.contest_id, status__in=statuses)


def _judges(round_: Round) -> list[ContestStaff]:
    return list(
        ContestStaff.objects.filter(contest_id=round_.contest_id, role=StaffRole.JUDGE, user__is_active=True).order_by(
            "user_id"
        )
    )


def _conflict_pairs(contest_id: int) -> set[tuple[int, int]]:
    return set(Conflict.objects.filter(contest_id=contest_id).values_list("judge_id", "entrant_id"))


def is_conflicted(judge: ContestStaff, entrant, declared: set[tuple[int, int]]) -> bool:
    if judge.user_id == entrant.user_id or (judge.user_id, entrant.pk) in declared:
        return True
    if judge.unit_id and judge.unit_id == entrant.unit_id:
        return True
    judge_org = _folded(judge, "organisation")
    return bool(judge_org and judge_org == _folded(entrant, "organisation"))


def _folded(obj, name: str) -> str:
    # Cached on the instance: the automatic assignment asks entries × judges times.
    key = f"_folded_{name}"
    if not hasattr(obj, key):
        setattr(obj, key, fold(getattr(obj, name)))
    return getattr(obj, key)


@transaction.atomic
def assignment_auto(*, round_: Round, k: int | None = None, by=None) -> AssignmentOutcome:
    Round.objects.select_for_update().get(pk=round_.pk)  # one run at a time per round
    k = k or round_.judges_per_entry
    judges = _judges(round_)
    if not judges:
        raise PortalError(_("Cuộc thi chưa có giám khảo."))
    declared = _conflict_pairs(round_.contest_id)
    entries = list(
        round_entries_queryset(round_)
        .select_related("entrant")
        .only(
            "id",
            "code",
            "field",
            "entrant__id",
            "entrant__user_id",
            "entrant__unit_id",
            "entrant__organisation",
        )
        .order_by("code", "id")
    )
    taken: dict[int, set[int]] = defaultdict(set)  # entry → judges (any state: a withdrawn judge is not re-used)
    loads = {j.user_id: 0 for j in judges}
    for entry_id, judge_id, state in Assignment.objects.filter(round=round_).values_list(
        "entry_id", "judge_id", "state"
    ):
        taken[entry_id].add(judge_id)
        if state in ACTIVE_ASSIGNMENT_STATES and judge_id in loads:
            loads[judge_id] += 1
    active_count = defaultdict(int)
    for (entry_id,) in Assignment.objects.filter(round=round_, state__in=ACTIVE_ASSIGNMENT_STATES).values_list(
        "entry_id"
    ):
        active_count[entry_id] += 1
    free = {
        e.pk: [j for j in judges if j.user_id not in taken[e.pk] and not is_conflicted(j, e.entrant, declared)]
        for e in entries
    }
    entries.sort(key=lambda e: len(free[e.pk]))
    outcome = AssignmentOutcome()
    new: dict[tuple[int, int], Entry] = {}
    for entry in entries:
        need = k - active_count[entry.pk]
        if need <= 0:
            continue
        candidates = sorted(free[entry.pk], key=lambda j: (loads[j.user_id], entry.field not in j.expertise, j.user_id))
        chosen = candidates[:need]
        if len(chosen) < need:
            outcome.short.append(entry.code)
        for judge in chosen:
            loads[judge.user_id] += 1
            new[(entry.pk, judge.user_id)] = entry
    _repair(new, loads, free)
    Assignment.objects.bulk_create(
        [Assignment(round=round_, entry_id=entry_id, judge_id=judge_id) for entry_id, judge_id in new],
        batch_size=2000,
    )
    # Full rows (not the .only() above): each moved entry gets a complete history row.
    entries_set_state(
        entries=Entry.objects.filter(pk__in={e for e, _j in new}, status=EntryStatus.ELIGIBLE),
        to=EntryStatus.IN_JUDGING,
        by=by,
    )
    outcome.created = len(new)
    outcome.loads = loads
    return outcome


def _repair(new: dict, loads: dict, free: dict) -> None:
    while loads and max(loads.values()) - min(loads.values()) > 1:
        high = max(loads, key=lambda j: (loads[j], -j))
        low_value = min(loads.values())
        lows = [j for j, v in loads.items() if v == low_value]
        moved = False
        for entry_id, judge_id in list(new):
            if judge_id != high:
                continue
            free_ids = {j.user_id for j in free[entry_id]}
            for low in lows:
                if low in free_ids and (entry_id, low) not in new:
                    entry = new.pop((entry_id, high))
                    new[(entry_id, low)] = entry
                    loads[high] -= 1
                    loads[low] += 1
                    moved = True
                    break
            if moved:
                break
        if not moved:
            return


def _least_loaded_free_judge(round_: Round, entry: Entry) -> ContestStaff | None:
    declared = _conflict_pairs(round_.contest_id)
    taken = set(Assignment.objects.filter(round=round_, entry=entry).values_list("judge_id", flat=True))
    loads = defaultdict(int)
    for (judge_id,) in Assignment.objects.filter(round=round_, state__in=ACTIVE_ASSIGNMENT_STATES).values_list(
        "judge_id"
    ):
        loads[judge_id] += 1
    free = [j for j in _judges(round_) if j.user_id not in taken and not is_conflicted(j, entry.entrant, declared)]
    free.sort(key=lambda j: (loads[j.user_id], entry.field not in j.expertise, j.user_id))
    return free[0] if free else None


@transaction.atomic
def assignment_create(*, round_: Round, entry: Entry, judge, by=None) -> Assignment:
    """Assign by hand; a conflicted judge is refused."""
    staff = ContestStaff.objects.filter(contest_id=round_.contest_id, user=judge, role=StaffRole.JUDGE).first()
    if staff is None:
        raise PortalError(_("Người này không phải giám khảo của cuộc thi."))
    if is_conflicted(staff, entry.entrant, _conflict_pairs(round_.contest_id)):
        raise PortalError(_("Giám khảo có xung đột lợi ích với thí sinh của bài này."))
    assignment, created = Assignment.objects.get_or_create(
        round=round_, entry=entry, judge=judge, defaults={"by_hand": True}
    )
    if not created and assignment.state == AssignmentState.WITHDRAWN:
        assignment.state, assignment.by_hand = AssignmentState.ASSIGNED, True
        assignment.save(update_fields=["state", "by_hand"])
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == EntryStatus.ELIGIBLE:  # the first judge starts the judging
        entry_set_state(entry=entry, to=EntryStatus.IN_JUDGING, by=by)
    return assignment


@transaction.atomic
def assignment_reassign(*, assignment: Assignment, to_judge=None, by=None) -> Assignment | None:
    """Withdraw an assignment and give the entry to another judge (the least-loaded free one by default)."""
    assignment = Assignment.objects.select_for_update().select_related("round", "entry__entrant").get(pk=assignment.pk)
    if assignment.state == AssignmentState.WITHDRAWN:
        raise PortalError(_("Phân công này đã được rút."))
    assignment.state = AssignmentState.WITHDRAWN
    assignment.save(update_fields=["state"])
    if to_judge is not None:
        return assignment_create(round_=assignment.round, entry=assignment.entry, judge=to_judge, by=by)
    staff = _least_loaded_free_judge(assignment.round, assignment.entry)
    if staff is None:
        return None
    return Assignment.objects.create(round=assignment.round, entry=assignment.entry, judge_id=staff.user_id)


@transaction.atomic
def conflict_declare(*, assignment: Assignment, reason: str, by) -> Assignment | None:
    """The judge declares a conflict: recorded, the assignment withdrawn and the entry reassigned."""
    if assignment.judge_id != by.pk:
        raise PortalError(_("Chỉ giám khảo được phân công mới khai báo xung đột."))
    Conflict.objects.get_or_create(
        judge=by,
        entrant_id=assignment.entry.entrant_id,
        defaults={"contest_id": assignment.round.contest_id, "reason": nfc(reason)[:300]},
    )
    return assignment_reassign(assignment=assignment, by=by)


@transaction.atomic
def round_set_scores_open(*, round_: Round, open_: bool, by=None) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    round_.scores_open = open_
    if by is not None:
        round_._history_user = by
    round_.save(update_fields=["scores_open"])
    return round_


# ---------------------------------------------------------------- scores


def weighted_total(values: dict[int, Decimal], criteria: list[Criterion]) -> Decimal | None:
    """Σ wᶜ·(v − minᶜ)/(maxᶜ − minᶜ) / Σ wᶜ × 100: every criterion on 0–1, weighted, on a 0–100 scale."""
    if not criteria or any(values.get(c.pk) is None for c in criteria):
        return None
    weight_sum = sum(c.weight for c in criteria)
    total = sum(c.weight * (values[c.pk] - c.min_score) / (c.max_score - c.min_score) for c in criteria)
    return (total / weight_sum * HUNDRED).quantize(Decimal("0.001"))


@transaction.atomic
def assignment_score(
    *, assignment: Assignment, values: dict, comments: dict | None = None, comment: str = "", submit: bool = False, by
) -> Assignment:
    """Save a judge's scores (draft or submitted). Changes are allowed while the round is open."""
    assignment = Assignment.objects.select_for_update().select_related("round").get(pk=assignment.pk)
    if assignment.judge_id != by.pk or assignment.state == AssignmentState.WITHDRAWN:
        raise PortalError(_("Bạn không được phân công chấm bài này."))
    if assignment.round.state != RoundState.OPEN:
        raise PortalError(_("Vòng chấm chưa mở hoặc đã đóng: không thể sửa điểm."))
    criteria = list(assignment.round.criteria.all())
    comments = comments or {}
    clean: dict[int, Decimal | None] = {}
    for criterion in criteria:
        raw = values.get(criterion.pk)
        if raw in (None, ""):
            clean[criterion.pk] = None
            continue
        try:
            value = Decimal(str(raw))
        except ArithmeticError as error:
            raise PortalError(_("Điểm “%(c)s” không phải là số.") % {"c": criterion.name}) from error
        if not criterion.min_score <= value <= criterion.max_score:
            raise PortalError(
                _("Điểm “%(c)s” phải từ %(lo)s đến %(hi)s.")
                % {
                    "c": criterion.name,
                    "lo": format_number(criterion.min_score),
                    "hi": format_number(criterion.max_score),
                }
            )
        clean[criterion.pk] = value
    if submit and any(v is None for v in clean.values()):
        raise PortalError(_("Chấm đủ mọi tiêu chí trước khi nộp điểm."))
    existing = {s.criterion_id: s for s in assignment.scores.all()}
    new, changed = [], []
    for criterion in criteria:
        score = existing.get(criterion.pk)
        if score is None:
            score = Score(assignment=assignment, criterion=criterion)
            new.append(score)
        else:
            changed.append(score)
        score.value = clean[criterion.pk]
        score.comment = nfc(comments.get(criterion.pk, "")).strip()
    # Each score still gets its history row, with the judge: two statements for the sheet, not two per criterion.
    bulk_create_with_history(new, Score, default_user=by)
    bulk_update_with_history(changed, Score, ["value", "comment"], default_user=by)
    assignment.comment = nfc(comment).strip()
    assignment.total = weighted_total(clean, criteria)
    if submit:
        assignment.state = AssignmentState.SUBMITTED
        assignment.submitted_at = timezone.now()
    elif assignment.state == AssignmentState.ASSIGNED or assignment.state == AssignmentState.SUBMITTED:
        # Saving a draft over a submitted sheet takes it back to draft until it is submitted again.
        assignment.state = AssignmentState.DRAFT
    assignment.save(update_fields=["comment", "total", "state", "submitted_at"])
    return assignment
