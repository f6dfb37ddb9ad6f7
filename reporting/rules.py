"""Who may do what with reports. Composed from organizations.rules predicates;
views call require_perm(), which answers 404 to anyone else."""

import rules

from organizations import rules as org

from .enums import APPROVED_STATUSES, EDITABLE_STATUSES, FILED_STATUSES, ReportStatus


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


# ---------------------------------------------------------------- the report's state
@rules.predicate
def report_is_editable(user, report):
    return report is not None and report.status in EDITABLE_STATUSES


@rules.predicate
def report_is_submitted(user, report):
    return report is not None and report.status == ReportStatus.SUBMITTED


@rules.predicate
def report_awaits_acceptance(user, report):
    """Approved, not yet accepted (two-step: the parent's turn)."""
    return report is not None and report.status == ReportStatus.APPROVED


@rules.predicate
def report_is_approved(user, report):
    return report is not None and report.status in APPROVED_STATUSES


@rules.predicate
def report_can_be_closed(user, report):
    """Filed, not closed yet, and some expected child has no approved report. The children's figures are
    set by selectors.annotate_children_readiness(); an unannotated report is not closable."""
    return (
        report is not None
        and report.status in FILED_STATUSES
        and not report.closed_missing
        and getattr(report, "children_expected", 0) > getattr(report, "children_approved", 0)
    )


@rules.predicate
def heads_reports_own_unit(user, report):
    return report is not None and org.is_head_of(user, report.unit)


# ---------------------------------------------------------------- the header link and the landing panel
@rules.predicate
def works_in_some_unit(user):
    """Officer or head somewhere: has reports to file or to review."""
    return any(m.role in org.WORK_ROLES for m in org.memberships_of(user))


@rules.predicate
def heads_some_unit(user):
    return any(m.role in org.REVIEW_ROLES for m in org.memberships_of(user))


@rules.predicate
def has_some_membership(user):
    return bool(org.memberships_of(user))


def remind_by_unit_code(user, lineage: str) -> str | None:
    """The unit she reminds for: the nearest unit above (in the lineage on the period's date) that she works for
    as officer or head. None when she works for no unit above it."""
    codes = [c for c in lineage.split("/") if c][:-1]
    mine = {m.unit.code for m in org.memberships_of(user) if m.role in org.WORK_ROLES}
    return next((c for c in reversed(codes) if c in mine), None)


@rules.predicate
def supervises_late_unit(user, unit):
    """Officer or head of a unit above it on the period's date. `unit` comes from selectors.late_units, which
    gives each unit its lineage then (`lineage_then`) and whether its report is still due (`remindable`)."""
    return unit is not None and remind_by_unit_code(user, getattr(unit, "lineage_then", "") or "") is not None


@rules.predicate
def report_still_due(user, unit):
    """Not filed (or returned), and the period's deadline has passed (selectors.late_units says which)."""
    return unit is not None and bool(getattr(unit, "remindable", False))


# Approving: one-step → the parent's head; two-step → the unit's own head approves, the parent's head accepts.
can_approve = (~is_two_step & heads_reports_parent) | (is_two_step & heads_reports_unit)
can_accept = is_two_step & heads_reports_parent

rules.add_perm("reporting.view_report", org.is_portal_admin | sees_unit | was_member_of_unit)
# Takes a Unit (the filing page) or a Report.
rules.add_perm("reporting.file_report", files_for_unit)
# One permission per move of a report; each holds the state it starts from (REPORT_TRANSITION_PERMS).
rules.add_perm("reporting.submit_report", files_for_unit & report_is_editable)
rules.add_perm("reporting.approve_report", report_is_submitted & can_approve)
rules.add_perm("reporting.accept_report", report_awaits_acceptance & can_accept)
rules.add_perm("reporting.return_report", (report_is_submitted & can_approve) | (report_awaits_acceptance & can_accept))
rules.add_perm("reporting.review_report", can_approve | can_accept)
rules.add_perm("reporting.unapprove_report", report_is_approved & (org.is_portal_admin | approves_at_level_or_above))
rules.add_perm("reporting.close_period", org.is_head_of)
# A head's one-tap reminder ("Đôn đốc") to a unit late with its report: obj is a unit from selectors.late_units.
rules.add_perm("reporting.remind_report", report_still_due & (org.is_portal_admin | supervises_late_unit))
# Excel in on behalf of child units that sent figures on paper: the head's unit (the page), then each child
# unit (a Unit: whose parent she heads, i.e. whose reports she reviews).
rules.add_perm("reporting.enter_on_behalf", org.is_head_of)
rules.add_perm("reporting.enter_report_on_behalf", org.heads_parent_of)
rules.add_perm("reporting.close_report", heads_reports_own_unit & report_can_be_closed)
# Dashboards, roll-ups and exports of a unit's subtree.
rules.add_perm("reporting.view_unit_reports", org.is_portal_admin | sees_unit | was_member_of_unit)
rules.add_perm("reporting.manage_cycles", org.is_portal_admin)
# The header link: anyone with a unit (or an admin); the landing panel: officers and heads; the queue: heads.
rules.add_perm("reporting.see_reporting", org.is_portal_admin | has_some_membership)
rules.add_perm("reporting.see_home_panel", org.is_portal_admin | works_in_some_unit)
rules.add_perm("reporting.see_review_queue", heads_some_unit)
# The dashboard one click from the menu and the landing panel: heads (they review and remind) and admins.
rules.add_perm("reporting.see_dashboard", org.is_portal_admin | heads_some_unit)

# The predicate (permission) that guards each move of enums.REPORT_TRANSITIONS.
REPORT_TRANSITION_PERMS = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED): "reporting.submit_report",
    (ReportStatus.RETURNED, ReportStatus.SUBMITTED): "reporting.submit_report",
    (ReportStatus.SUBMITTED, ReportStatus.RETURNED): "reporting.return_report",
    (ReportStatus.SUBMITTED, ReportStatus.APPROVED): "reporting.approve_report",
    (ReportStatus.APPROVED, ReportStatus.RETURNED): "reporting.return_report",
    (ReportStatus.APPROVED, ReportStatus.ACCEPTED): "reporting.accept_report",
    (ReportStatus.APPROVED, ReportStatus.SUBMITTED): "reporting.unapprove_report",
    (ReportStatus.ACCEPTED, ReportStatus.APPROVED): "reporting.unapprove_report",
}
