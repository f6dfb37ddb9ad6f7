"""Reads on single reports: visibility, values, the previous period, approval levels, the officer's to-do list
and the review queue."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.calendar import days_overdue
from organizations.enums import PARENT_KINDS, Role
from organizations.models import Unit, UnitPlacement, User
from organizations.rules import WORK_ROLES
from organizations.selectors import root_units_for, valid_on_q

from ..enums import (
    APPROVED_STATUSES,
    EDITABLE_STATUSES,
    FILED_STATUSES,
    ApprovalLevel,
    ReportStatus,
)
from ..models import LockException, Period, Report, ReportingCycle, ReportReminder, ReportSubmission, Value
from .scope import Lineages, placements_on, scope_on


# ---------------------------------------------------------------- single reports
def report_actions(*, report: Report, user: User) -> dict[str, bool]:
    """The can_* flags of the report's page, from the rules (each permission holds the state it needs).
    Closing reads the children's figures: call annotate_children_readiness() first."""
    return {
        "can_file": user.has_perm("reporting.submit_report", report),
        "can_approve": user.has_perm("reporting.approve_report", report),
        "can_accept": user.has_perm("reporting.accept_report", report),
        "can_return": user.has_perm("reporting.return_report", report),
        "can_unapprove": user.has_perm("reporting.unapprove_report", report),
        "can_close": user.has_perm("reporting.close_report", report),
    }


def reports_visible_to(user: User) -> QuerySet[Report]:
    if user.is_portal_admin:
        return Report.objects.all()
    condition = Q()
    for m in user.active_memberships:
        condition |= Q(unit__path__startswith=m.unit.path)
    if user.former_memberships:  # a dissolved unit's own reports, read-only
        condition |= Q(unit_id__in=[m.unit_id for m in user.former_memberships])
    return Report.objects.filter(condition) if condition else Report.objects.none()


def report_values_by_code(report: Report) -> dict:
    """code → Decimal (numbers, yes/no as 1/0) or str, for validation."""
    result = {}
    for code, number, text in Value.objects.filter(report=report).values_list("indicator__code", "number", "text"):
        result[code] = number if number is not None else (text or None)
    return result


def report_values(report: Report | None) -> dict[str, Value]:
    if report is None or report.pk is None:
        return {}
    return {v.indicator.code: v for v in Value.objects.filter(report=report).select_related("indicator")}


def previous_report(*, period: Period, unit: Unit) -> Report | None:
    """The unit's report of its previous filed period in the same cycle: the figures shown beside the
    fields and the reference of the unusual-value warnings (a quarter of 2019 says nothing about 2026)."""
    return (
        Report.objects.filter(
            unit=unit, cycle_id=period.cycle_id, status__in=FILED_STATUSES, period__ends_on__lt=period.ends_on
        )
        .select_related("period")
        .order_by("-period__ends_on")
        .first()
    )


def children_on(*, period: Period, unit: Unit) -> QuerySet[UnitPlacement]:
    """The unit's direct children on the period's reference date, with their units."""
    return placements_on(period.ends_on).filter(parent=unit).select_related("unit")


def children_missing_approval(*, period: Period, unit: Unit) -> list[Unit]:
    """Direct children (on the period's date) that had to report and have no approved report for it."""
    if unit.kind not in PARENT_KINDS:  # most approvals: a grassroots union's report, with nothing under it to read
        return []
    scope = scope_on(cycle=period.cycle, unit=unit, on=period.ends_on)
    approved = Report.objects.filter(period=period, unit=OuterRef("unit_id"), status__in=APPROVED_STATUSES)
    children = children_on(period=period, unit=unit).exclude(Exists(approved)).order_by("unit__sort_key")
    return [p.unit for p in children if scope.expects(lineage=p.lineage, kind=p.unit.kind)]


def _parent_on(unit_ref, on_ref) -> Subquery:
    """The id of a unit's parent on a date, as a subquery (both may be OuterRefs)."""
    return Subquery(UnitPlacement.objects.filter(valid_on_q(on_ref), unit=unit_ref).values("parent_id")[:1])


def parent_report_approved(report: Report) -> bool:
    """Whether the unit's parent on the period's date has an approved report for the period."""
    return Report.objects.filter(
        period_id=report.period_id,
        status__in=APPROVED_STATUSES,
        unit_id=_parent_on(report.unit_id, report.period.ends_on),
    ).exists()


# ---------------------------------------------------------------- approval levels (DHIS2 style)
def annotate_children_readiness(reports: list[Report]) -> None:
    """Sets .children_expected, .children_approved and .approval_level on each report,
    in two queries for the whole list. Children are those of the period's reference date."""
    if not reports:
        return
    unit_ids = {r.unit_id for r in reports}
    dates = {r.period.ends_on for r in reports}
    on_any = Q()
    for on in dates:
        on_any |= valid_on_q(on)
    # Grouped by validity interval: a handful of rows whatever the number of children.
    expected_rows = list(
        UnitPlacement.objects.filter(on_any, parent_id__in=unit_ids)
        .values("parent_id", "unit__kind", "valid_from", "valid_to")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Joined to the children's placements on their period's date, not a parent subquery per approved report: the
    # database starts from these parents' children instead of every approved report of the periods.
    approved_rows = list(
        Report.objects.filter(
            valid_on_q(F("period__ends_on"), prefix="unit__placements__"),
            unit__placements__parent_id__in=unit_ids,
            period_id__in={r.period_id for r in reports},
            status__in=APPROVED_STATUSES,
        )
        .values("period_id", "unit__kind", then_parent=F("unit__placements__parent_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for report in reports:
        kinds = set(report.cycle.scope_kinds or [])
        on = report.period.ends_on
        report.children_expected = sum(
            r["n"]
            for r in expected_rows
            if r["parent_id"] == report.unit_id
            and r["valid_from"] <= on
            and (r["valid_to"] is None or r["valid_to"] > on)
            and (not kinds or r["unit__kind"] in kinds)
        )
        report.children_approved = sum(
            r["n"]
            for r in approved_rows
            if r["then_parent"] == report.unit_id
            and r["period_id"] == report.period_id
            and (not kinds or r["unit__kind"] in kinds)
        )
        report.approval_level = approval_level(report)


def approval_level(report: Report | None) -> str:
    if report is None or report.status in EDITABLE_STATUSES:
        return ApprovalLevel.NOT_FILED
    if report.status == ReportStatus.ACCEPTED:
        return ApprovalLevel.ACCEPTED
    if report.status == ReportStatus.APPROVED:
        return ApprovalLevel.APPROVED
    if getattr(report, "children_expected", 0) > getattr(report, "children_approved", 0) and not report.closed_missing:
        return ApprovalLevel.WAITING_LOWER
    return ApprovalLevel.READY


# ---------------------------------------------------------------- officer's to-do list
@dataclass
class TodoItem:
    unit: Unit
    period: Period
    report: Report | None
    locked: bool = False
    last_reminded_at: dt.datetime | None = None  # a supervisor's last "Đôn đốc" for this unit and period
    today: dt.date | None = None  # the day the list was made, for the overdue count

    @property
    def needs_action(self) -> bool:
        return (self.report is None or self.report.status in EDITABLE_STATUSES) and not self.locked

    @property
    def action_label(self) -> str:
        """The one wording of the filing link, for the reports page and the home panel alike: "Tiếp tục"
        once a report exists (a draft, or a returned one), "Lập báo cáo" before."""
        return _("Tiếp tục") if self.report is not None else _("Lập báo cáo")

    @property
    def overdue_days(self) -> int:
        """Days past the due date of a report still to be filed; 0 when not overdue."""
        if not self.needs_action or self.today is None:
            return 0
        return days_overdue(self.period.due_on, self.today)


def todo_for(user: User, today: dt.date | None = None) -> list[TodoItem]:
    """What the user's units must file: every started period not locked (or excepted),
    with the report if it exists and its last reminder. Five queries."""
    today = today or timezone.localdate()
    units = [m.unit for m in user.active_memberships if m.role in WORK_ROLES]
    if not units:
        return []
    exceptions = LockException.objects.filter(unit__in=units, until__gte=today)
    periods = list(
        Period.objects.filter(starts_on__lte=today)
        .filter(Q(locks_on__gt=today) | Q(pk__in=exceptions.values("period_id")))
        .select_related("cycle", "cycle__scope_root")
        .order_by("due_on")
    )
    reports = {
        (r.period_id, r.unit_id): r
        for r in Report.objects.filter(period__in=periods, unit__in=units).only(
            "id", "period_id", "unit_id", "status", "is_late", "version", "submitted_at"
        )
    }
    excepted = set(exceptions.values_list("period_id", "unit_id"))
    reminded = {
        (row["period_id"], row["unit_id"]): row["last"]
        for row in ReportReminder.objects.filter(period__in=periods, unit__in=units)
        .values("period_id", "unit_id")
        .annotate(last=Max("reminded_at"))
        .order_by()
    }
    # Expected on each period's date (for a current period, the live tree).
    lineages = Lineages(units + [p.cycle.scope_root for p in periods if p.cycle.scope_root_id])
    items = []
    for period in periods:
        scope = scope_on(cycle=period.cycle, unit=None, on=period.ends_on, lineages=lineages)
        for unit in units:
            if scope.expects(lineage=lineages.on(unit.pk, period.ends_on), kind=unit.kind):
                locked = today >= period.locks_on and (period.pk, unit.pk) not in excepted
                items.append(
                    TodoItem(
                        unit=unit,
                        period=period,
                        report=reports.get((period.pk, unit.pk)),
                        locked=locked,
                        last_reminded_at=reminded.get((period.pk, unit.pk)),
                        today=today,
                    )
                )
    items.sort(key=lambda i: (not i.needs_action, i.period.due_on, i.unit.sort_key))
    return items


# ---------------------------------------------------------------- review queue
def review_queue_for(user: User) -> QuerySet[Report]:
    """Reports waiting for this head: one-step, the children's submitted reports;
    two-step, her own unit's submitted reports (approve) and the children's approved ones (accept)."""
    heads = [m.unit for m in user.active_memberships if m.role == Role.HEAD]
    if not heads:
        return Report.objects.none()
    children_q, own_q = Q(), Q()
    for unit in heads:
        children_q |= Q(unit__path__startswith=unit.path, unit__depth=unit.depth + 1)
        own_q |= Q(unit=unit)
    # The two-step cycles by id, not by a join: with the join PostgreSQL matched the rule against every submitted or
    # approved report of every period (132,000 at four years, ~130 ms per view); by id it starts from the children.
    two_step = list(ReportingCycle.objects.filter(two_step=True).values_list("id", flat=True))
    condition = (
        Q(status=ReportStatus.SUBMITTED) & ~Q(cycle_id__in=two_step) & children_q
        | Q(cycle_id__in=two_step, status=ReportStatus.SUBMITTED) & own_q
        | Q(cycle_id__in=two_step, status=ReportStatus.APPROVED) & children_q
    )
    return (
        Report.objects.filter(condition)
        .select_related("unit", "period", "cycle", "entered_by")
        .order_by("period__due_on", "submitted_at", "id")
    )


def review_waiting_counts() -> dict[str, int]:
    """How many reports wait in each head's review queue, by the path of the unit she heads, for every unit at
    once (one query): the rule of review_queue_for, so that a digest says what the queue page shows. One-step,
    a submitted report waits for the parent's head; two-step, for its own head, then (approved) the parent's."""
    counts: dict[str, int] = {}
    waiting = Report.objects.filter(
        Q(status=ReportStatus.SUBMITTED) | Q(cycle__two_step=True, status=ReportStatus.APPROVED)
    ).values_list("unit__path", "status", "cycle__two_step")
    for path, status, two_step in waiting:
        reviewer_path = path if two_step and status == ReportStatus.SUBMITTED else path[: -Unit.steplen]
        if reviewer_path:
            counts[reviewer_path] = counts.get(reviewer_path, 0) + 1
    return counts


def review_queue_next(user: User, *, after: Report | None = None) -> Report | None:
    """The report the head should open next: the first of her queue, other than the one she just handled."""
    queue = review_queue_for(user)
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.first()


def dashboard_entry_for(user: User, today: dt.date | None = None) -> tuple[ReportingCycle, Unit] | None:
    """Where the menu's "Thống kê báo cáo" leads: the cycle of the latest started period, seen from the user's
    highest unit. None when no cycle has started or the user has no unit. Two queries at most."""
    tops = root_units_for(user)
    if not tops:
        return None
    latest = (
        Period.objects.filter(starts_on__lte=today or timezone.localdate())
        .select_related("cycle")
        .order_by("-starts_on", "-id")
        .first()
    )
    return (latest.cycle, tops[0]) if latest else None


def report_submission_taken(*, report: Report, key: uuid.UUID) -> bool:
    """Whether the server already took the filing POST with this key for this report."""
    return ReportSubmission.objects.filter(report=report, key=key).exists()
