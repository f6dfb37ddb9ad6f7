"""Who may do what in the contest. Staff roles are read once per request (cached on the user)."""

import rules

from organizations.rules import is_portal_admin

from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    ENTRANT_ENTRY_MOVES,
    MANAGING_ROLES,
    ROUND_TRANSITIONS,
    RoundKind,
    RoundState,
    StaffRole,
)


def staff_roles(user) -> dict[int, set[str]]:
    """{contest_id: {roles}} for this user, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_contest_staff_roles", None)
    if cached is None:
        from .models import ContestStaff

        cached = {}
        for contest_id, role in ContestStaff.objects.filter(user=user).values_list("contest_id", "role"):
            cached.setdefault(contest_id, set()).add(role)
        user._contest_staff_roles = cached
    return cached


def _contest_id(obj):
    if obj is None:
        return None
    return getattr(obj, "contest_id", None) or getattr(obj, "pk", None)


@rules.predicate
def manages_contest(user, obj):
    """Organiser or secretary of the contest (obj: a Contest, or anything with contest_id)."""
    return bool(staff_roles(user).get(_contest_id(obj), set()) & MANAGING_ROLES)


@rules.predicate
def is_judge_of_contest(user, obj):
    return StaffRole.JUDGE in staff_roles(user).get(_contest_id(obj), set())


@rules.predicate
def owns_entry(user, entry):
    return bool(entry is not None and getattr(user, "is_authenticated", False) and entry.entrant.user_id == user.pk)


@rules.predicate
def is_assigned_judge(user, assignment):
    return bool(
        assignment is not None
        and getattr(user, "is_authenticated", False)
        and assignment.judge_id == user.pk
        and assignment.state in ACTIVE_ASSIGNMENT_STATES
    )


@rules.predicate
def manages_contest_of_assignment(user, assignment):
    return assignment is not None and manages_contest(user, assignment.round)


@rules.predicate
def is_any_judge(user):
    return any(StaffRole.JUDGE in roles for roles in staff_roles(user).values())


can_manage = is_portal_admin | manages_contest

rules.add_perm("contest.manage_contest", can_manage)
rules.add_perm("contest.view_entry", owns_entry | can_manage)
rules.add_perm("contest.edit_entry", owns_entry)
rules.add_perm("contest.judge_assignment", is_assigned_judge)
rules.add_perm("contest.judge_any", is_any_judge)
# The paper score sheet: its judge, and the organisers who collect the sheets.
rules.add_perm("contest.view_score_sheet", is_assigned_judge | is_portal_admin | manages_contest_of_assignment)


# ---------------------------------------------------------------- state moves (contest.states re-checks them)


def entry_move_allowed(user, entry, to: str) -> bool:
    """The entrant submits and re-submits a mended entry; every other move is the organisers'."""
    if (entry.status, to) in ENTRANT_ENTRY_MOVES and owns_entry(user, entry):
        return True
    return bool(can_manage(user, entry))


def round_move_allowed(user, round_) -> bool:
    return bool(can_manage(user, round_))


def round_can_open(round_) -> bool:
    return RoundState.OPEN in ROUND_TRANSITIONS.get(round_.state, set())


def round_can_close(round_) -> bool:
    return RoundState.CLOSED in ROUND_TRANSITIONS.get(round_.state, set())


def assignment_can_be_reassigned(assignment) -> bool:
    return assignment.state in ACTIVE_ASSIGNMENT_STATES


def contest_awards_editable(contest) -> bool:
    """Prizes may be given, moved and published until the results are published."""
    return not contest.results_published


def round_sends_to_final(round_) -> bool:
    """The preliminary round's ranking is where the finalists are chosen."""
    return round_.kind == RoundKind.PRELIMINARY
