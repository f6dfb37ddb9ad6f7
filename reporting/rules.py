"""Who may do what with reports. Composed from organizations.rules predicates;
views call require_perm(), which answers 404 to anyone else."""

import rules

from organizations import rules as org

from .enums import APPROVED_STATUSES, ReportStatus


def _unit(obj):
    """Permissions take a Report or a Unit."""
    return getattr(obj, "unit", obj)


def _parent_path(unit) -> str:
    return unit.path[: -unit.steplen]


@rules.predicate
def files_for_unit(user, obj):
    """The unit's officer (or head) files its report."""
    return obj is not None and org.is_officer_of(user, _unit(obj))


@rules.predicate
def sees_unit(user, obj):
    return obj is not None and (org.is_member_of(user, _unit(obj)) or org.is_member_of_ancestor(user, _unit(obj)))


@rules.predicate
def was_member_of_unit(user, obj):
    """A dissolved unit's former members read its reports (never file or review them)."""
    return obj is not None and org.was_member_of(user, _unit(obj))


@rules.predicate
def heads_reports_parent(user, report):
    return report is not None and org.heads_parent_of(user, report.unit)


@rules.predicate
def heads_reports_unit(user, report):
    return report is not None and org.is_head_of(user, report.unit)


def _heads_path_or_above(user, path: str) -> bool:
    return any(m.role in org.REVIEW_ROLES and path.startswith(m.unit.path) for m in org.memberships_of(user))


@rules.predicate
def approves_at_level_or_above(user, report):
    """Unapproving belongs to the level that approved (the parent for an acceptance),
    or any level above it."""
    if report is None or report.status not in APPROVED_STATUSES:
        return False
    if report.status == ReportStatus.ACCEPTED or report.approved_level_id is None:
        return report.unit.depth > 1 and _heads_path_or_above(user, _parent_path(report.unit))
    return _heads_path_or_above(user, report.approved_level.path)


@rules.predicate
def is_two_step(user, report):
    return report is not None and report.cycle.two_step


# Approving: one-step → the parent's head; two-step → the unit's own head approves, the parent's head accepts.
can_approve = (~is_two_step & heads_reports_parent) | (is_two_step & heads_reports_unit)
can_accept = is_two_step & heads_reports_parent

rules.add_perm("reporting.view_report", org.is_portal_admin | sees_unit | was_member_of_unit)
rules.add_perm("reporting.file_report", files_for_unit)
rules.add_perm("reporting.approve_report", can_approve)
rules.add_perm("reporting.accept_report", can_accept)
rules.add_perm("reporting.review_report", can_approve | can_accept)
rules.add_perm("reporting.unapprove_report", org.is_portal_admin | approves_at_level_or_above)
rules.add_perm("reporting.close_period", org.is_head_of)
# Dashboards, roll-ups and exports of a unit's subtree.
rules.add_perm("reporting.view_unit_reports", org.is_portal_admin | sees_unit | was_member_of_unit)
rules.add_perm("reporting.manage_cycles", org.is_portal_admin)
