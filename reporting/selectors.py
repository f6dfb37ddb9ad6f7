"""Reads. Every function runs a fixed number of queries whatever the number of
units or reports: roll-ups and rates are GROUP BY aggregates in SQL.

Figures about a period are computed on the tree as it stood on the period's
reference date (its ends_on, the data cut-off): who was expected, under whom,
comes from UnitPlacement, and reports count by the lineage they stored. For a
current period that is the live tree; for 2019 it is the 2019 tree, whatever
was reorganised since."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models import Value as SqlValue
from django.db.models.functions import Cast, Replace, StrIndex, Substr
from django.utils import timezone

from organizations.enums import Role
from organizations.models import AdministrativeArea, Membership, Unit, UnitCoverage, UnitPlacement, User

from .enums import (
    APPROVED_STATUSES,
    EDITABLE_STATUSES,
    FILED_STATUSES,
    ApprovalLevel,
    IndicatorType,
    ReportStatus,
    Rollup,
)
from .models import Indicator, LockException, Period, Report, ReportingCycle, Value

STEP = Unit.steplen


# ---------------------------------------------------------------- scope
def expected_units_q(cycle: ReportingCycle, prefix: str = "") -> Q:
    """Units that must report in a cycle on the live tree: by kind and/or inside a subtree, not dissolved.
    For figures about a period use expected_placements() (the tree as it stood then)."""
    q = Q(**{f"{prefix}dissolved_on__isnull": True})
    if cycle.scope_kinds:
        q &= Q(**{f"{prefix}kind__in": cycle.scope_kinds})
    if cycle.scope_root_id:
        q &= Q(**{f"{prefix}path__startswith": cycle.scope_root.path})
    return q


def unit_is_expected(cycle: ReportingCycle, unit: Unit) -> bool:
    """On the live tree (filing now); see unit_was_expected() for a period's date."""
    if unit.dissolved_on is not None:
        return False
    if cycle.scope_kinds and unit.kind not in cycle.scope_kinds:
        return False
    return not (cycle.scope_root_id and not unit.path.startswith(cycle.scope_root.path))


def valid_on_q(on, prefix: str = "") -> Q:
    """Placements in force on a date (a date or an expression such as OuterRef("period__ends_on"));
    valid_to is exclusive. A unit not yet created, or dissolved by then, has none."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on}))


def placements_on(on: dt.date) -> QuerySet[UnitPlacement]:
    return UnitPlacement.objects.filter(valid_on_q(on))


class Lineages:
    """The lineages a few units (a viewed unit, cycles' scope roots) had over time, from one query."""

    def __init__(self, units):
        ids = {u.pk if isinstance(u, Unit) else u for u in units if u is not None}
        self._live = {u.pk: u.lineage for u in units if isinstance(u, Unit)}
        self._placements: dict[int, list] = {}
        for unit_id, lineage, valid_from, valid_to in (UnitPlacement.objects.filter(unit_id__in=ids)
                                                        .values_list("unit_id", "lineage", "valid_from", "valid_to")):
            self._placements.setdefault(unit_id, []).append((lineage, valid_from, valid_to))

    def on(self, unit_id: int, on: dt.date) -> str | None:
        """The unit's lineage on the date; None when it did not stand in the tree then (not yet
        created, or dissolved). A unit without any placement (made outside the services) keeps its
        live lineage."""
        placements = self._placements.get(unit_id)
        if not placements:
            return self._live.get(unit_id)
        return next((lineage for lineage, start, end in placements if start <= on and (end is None or end > on)),
                    None)


@dataclass
class Scope:
    """Who was expected to report under a unit for one period, on the tree of its reference date."""

    on: dt.date
    unit_lineage: str | None  # the viewed unit's lineage then (None: it did not stand in the tree)
    prefix: str | None  # lineage prefix of the expected units (None: nobody)
    kinds: list

    def expects(self, *, lineage: str | None, kind: str) -> bool:
        return (self.prefix is not None and lineage is not None and lineage.startswith(self.prefix)
                and (not self.kinds or kind in self.kinds))


def scope_on(*, cycle: ReportingCycle, unit: Unit | None, on: dt.date, lineages: Lineages | None = None) -> Scope:
    """The period's scope under a unit (None: the whole cycle): the deeper of the unit's and the
    cycle's scope root's lineages on the date, when one contains the other."""
    lineages = lineages or Lineages([unit, _scope_root(cycle)])
    unit_lineage = lineages.on(unit.pk, on) if unit is not None else "/"
    prefix = unit_lineage
    if cycle.scope_root_id and prefix is not None:
        root_lineage = lineages.on(cycle.scope_root_id, on)
        if root_lineage is None or not (root_lineage.startswith(prefix) or prefix.startswith(root_lineage)):
            prefix = None
        else:
            prefix = max(prefix, root_lineage, key=len)
    return Scope(on=on, unit_lineage=unit_lineage, prefix=prefix, kinds=list(cycle.scope_kinds or []))


def _in_scope(placements: QuerySet[UnitPlacement], *, prefix: str, kinds: list) -> QuerySet[UnitPlacement]:
    placements = placements.filter(lineage__startswith=prefix)
    return placements.filter(unit__kind__in=kinds) if kinds else placements


def expected_placements(scope: Scope) -> QuerySet[UnitPlacement]:
    """The placements, on the scope's date, of the units that had to report."""
    if scope.prefix is None:
        return UnitPlacement.objects.none()
    return _in_scope(placements_on(scope.on), prefix=scope.prefix, kinds=scope.kinds)


def child_segment(field: str, lineage: str):
    """The code segment ("CODE/") right after a lineage, in SQL: which direct child of the unit
    with that lineage a deeper lineage belongs to ("" for the unit itself)."""
    rest = Substr(field, len(lineage) + 1)
    return Substr(rest, 1, StrIndex(rest, SqlValue("/")))


def _scope_root(cycle: ReportingCycle) -> Unit | None:
    return cycle.scope_root if cycle.scope_root_id else None


def unit_was_expected(*, cycle: ReportingCycle, unit: Unit, on: dt.date) -> bool:
    """Whether the unit had to report for a period whose reference date is `on` (two small queries)."""
    lineages = Lineages([unit, _scope_root(cycle)])
    return scope_on(cycle=cycle, unit=None, on=on, lineages=lineages).expects(lineage=lineages.on(unit.pk, on),
                                                                              kind=unit.kind)


def period_is_locked_for(*, period: Period, unit: Unit, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if today < period.locks_on:
        return False
    return not LockException.objects.filter(period=period, unit=unit, until__gte=today).exists()


# ---------------------------------------------------------------- single reports
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
        Report.objects.filter(unit=unit, cycle_id=period.cycle_id, status__in=FILED_STATUSES,
                              period__ends_on__lt=period.ends_on)
        .select_related("period")
        .order_by("-period__ends_on")
        .first()
    )


def _children_on(*, period: Period, unit: Unit) -> QuerySet[UnitPlacement]:
    """The unit's direct children on the period's reference date, with their units."""
    return placements_on(period.ends_on).filter(parent=unit).select_related("unit")


def children_missing_approval(*, period: Period, unit: Unit) -> list[Unit]:
    """Direct children (on the period's date) that had to report and have no approved report for it."""
    scope = scope_on(cycle=period.cycle, unit=unit, on=period.ends_on)
    approved = Report.objects.filter(period=period, unit=OuterRef("unit_id"), status__in=APPROVED_STATUSES)
    children = _children_on(period=period, unit=unit).exclude(Exists(approved)).order_by("unit__sort_key")
    return [p.unit for p in children if scope.expects(lineage=p.lineage, kind=p.unit.kind)]


def _parent_on(unit_ref, on_ref) -> Subquery:
    """The id of a unit's parent on a date, as a subquery (both may be OuterRefs)."""
    return Subquery(UnitPlacement.objects.filter(valid_on_q(on_ref), unit=unit_ref).values("parent_id")[:1])


def parent_report_approved(report: Report) -> bool:
    """Whether the unit's parent on the period's date has an approved report for the period."""
    return Report.objects.filter(period_id=report.period_id, status__in=APPROVED_STATUSES,
                                 unit_id=_parent_on(report.unit_id, report.period.ends_on)).exists()


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
    approved_rows = list(
        Report.objects.filter(period_id__in={r.period_id for r in reports}, status__in=APPROVED_STATUSES)
        .annotate(then_parent=_parent_on(OuterRef("unit_id"), OuterRef("period__ends_on")))
        .filter(then_parent__in=unit_ids)
        .values("period_id", "then_parent", "unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for report in reports:
        kinds = set(report.cycle.scope_kinds or [])
        on = report.period.ends_on
        report.children_expected = sum(
            r["n"] for r in expected_rows
            if r["parent_id"] == report.unit_id and r["valid_from"] <= on and (r["valid_to"] is None or r["valid_to"] > on)
            and (not kinds or r["unit__kind"] in kinds))
        report.children_approved = sum(r["n"] for r in approved_rows
                                       if r["then_parent"] == report.unit_id and r["period_id"] == report.period_id
                                       and (not kinds or r["unit__kind"] in kinds))
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

    @property
    def needs_action(self) -> bool:
        return (self.report is None or self.report.status in EDITABLE_STATUSES) and not self.locked


def todo_for(user: User, today: dt.date | None = None) -> list[TodoItem]:
    """What the user's units must file: every started period not locked (or excepted),
    with the report if it exists. Four queries."""
    today = today or timezone.localdate()
    units = [m.unit for m in user.active_memberships if m.role in (Role.OFFICER, Role.HEAD)]
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
            "id", "period_id", "unit_id", "status", "is_late", "version", "submitted_at")
    }
    excepted = set(exceptions.values_list("period_id", "unit_id"))
    # Expected on each period's date (for a current period, the live tree).
    lineages = Lineages(units + [p.cycle.scope_root for p in periods if p.cycle.scope_root_id])
    items = []
    for period in periods:
        scope = scope_on(cycle=period.cycle, unit=None, on=period.ends_on, lineages=lineages)
        for unit in units:
            if scope.expects(lineage=lineages.on(unit.pk, period.ends_on), kind=unit.kind):
                locked = today >= period.locks_on and (period.pk, unit.pk) not in excepted
                items.append(TodoItem(unit=unit, period=period, report=reports.get((period.pk, unit.pk)),
                                      locked=locked))
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
    condition = (
        Q(cycle__two_step=False, status=ReportStatus.SUBMITTED) & children_q
        | Q(cycle__two_step=True, status=ReportStatus.SUBMITTED) & own_q
        | Q(cycle__two_step=True, status=ReportStatus.APPROVED) & children_q
    )
    return (
        Report.objects.filter(condition)
        .select_related("unit", "period", "cycle", "submitted_by")
        .order_by("period__due_on", "submitted_at", "id")
    )


# ---------------------------------------------------------------- roll-up
@dataclass
class RollupRow:
    indicator: Indicator
    own: object = None
    children: object = None
    total: object = None
    reports: int = 0
    texts: list = field(default_factory=list)


def _combine(own: dict | None, below: dict | None) -> dict | None:
    """Sum, count and maximum of two aggregated groups (the unit's own figures and the approved ones below)."""
    parts = [p for p in (own, below) if p and p["n"]]
    if not parts:
        return None
    return {"sum": sum(p["sum"] for p in parts), "n": sum(p["n"] for p in parts), "max": max(p["max"] for p in parts)}


def _rollup_value(indicator: Indicator, agg: dict | None):
    if not agg:
        return None
    if indicator.rollup == Rollup.AVERAGE:
        return agg["sum"] / agg["n"]
    if indicator.rollup == Rollup.ANY:
        return agg["max"] > 0
    return agg["sum"]


def rollup(*, period: Period, unit: Unit, list_limit: int = 200) -> dict:
    """A unit's consolidated report for a period: its own figures plus its subtree's
    approved reports. The subtree is one GROUP BY indicator over Value rows filtered by
    lineage prefix (SUM, COUNT, MAX; averages come from sum/count); the unit's own
    figures are one small query. Nine queries in all, whatever the size of the tree, on the
    tree of the period's reference date."""
    cycle = period.cycle
    indicators = list(cycle.form_version.indicators.select_related("section").order_by("section__order", "order",
                                                                                         "id"))
    scope = scope_on(cycle=cycle, unit=unit, on=period.ends_on)
    # Reports below count by the lineage they stored, under the unit's lineage of the period's date.
    lineage = scope.unit_lineage or unit.lineage
    own = Q(report__unit=unit)
    below = Q(report__status__in=APPROVED_STATUSES, report__lineage__startswith=lineage) & ~own
    base = Value.objects.filter(report__period=period)
    below_rows = {
        row["indicator_id"]: row
        for row in base.filter(below, number__isnull=False).values("indicator_id")
        .annotate(sum=Sum("number"), n=Count("number"), max=Max("number"))
    }
    own_rows = {
        row["indicator_id"]: row
        for row in base.filter(own, number__isnull=False).values("indicator_id")
        .annotate(sum=Sum("number"), n=Count("number"), max=Max("number"))
    }
    texts: dict[int, list] = {}
    list_ids = [i.pk for i in indicators if i.rollup == Rollup.LIST]
    if list_ids:
        for value in (base.filter(own | below, indicator_id__in=list_ids).exclude(text="")
                      .select_related("report__unit").order_by("indicator_id", "report__unit__sort_key")[:list_limit]):
            texts.setdefault(value.indicator_id, []).append((value.report.unit, value.text))
    rows = []
    for indicator in indicators:
        own_agg, below_agg = own_rows.get(indicator.pk), below_rows.get(indicator.pk)
        rows.append(RollupRow(
            indicator=indicator,
            own=_rollup_value(indicator, own_agg),
            children=_rollup_value(indicator, below_agg),
            total=_rollup_value(indicator, _combine(own_agg, below_agg)),
            reports=(below_agg or {}).get("n", 0) + (own_agg or {}).get("n", 0),
            texts=texts.get(indicator.pk, []),
        ))
    own_report = Report.objects.filter(period=period, unit=unit).first()
    children = children_status(period=period, unit=unit, scope=scope)
    counts = (
        Report.objects.filter(period=period, lineage__startswith=lineage)
        .exclude(unit=unit)
        .aggregate(approved=Count("id", filter=Q(status__in=APPROVED_STATUSES)),
                   filed=Count("id", filter=Q(status__in=FILED_STATUSES)))
    )
    expected_below = expected_placements(scope).exclude(unit=unit).count()
    return {
        "rows": rows,
        "own_report": own_report,
        "children": children,
        "missing": [c for c in children if not c.is_approved and c.is_expected],
        "approved_below": counts["approved"],
        "filed_below": counts["filed"],
        "expected_below": expected_below,
    }


@dataclass
class ChildStatus:
    unit: Unit
    report: Report | None
    is_expected: bool

    @property
    def is_approved(self) -> bool:
        return self.report is not None and self.report.status in APPROVED_STATUSES


def children_status(*, period: Period, unit: Unit, scope: Scope | None = None) -> list[ChildStatus]:
    """Each direct child on the period's date that had to report (or did), with its own report.
    Two queries (three without a scope)."""
    scope = scope or scope_on(cycle=period.cycle, unit=unit, on=period.ends_on)
    placements = list(_children_on(period=period, unit=unit).order_by("unit__sort_key"))
    reports = {r.unit_id: r for r in Report.objects.filter(period=period,
                                                            unit__in=[p.unit_id for p in placements])}
    result = []
    for placement in placements:
        expected = scope.expects(lineage=placement.lineage, kind=placement.unit.kind)
        if expected or placement.unit_id in reports:
            result.append(ChildStatus(unit=placement.unit, report=reports.get(placement.unit_id),
                                      is_expected=expected))
    return result


# ---------------------------------------------------------------- completeness and timeliness
@dataclass
class Rates:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0

    def _pct(self, n):
        return round(100 * n / self.expected, 1) if self.expected else None

    @property
    def reporting_rate(self):
        return self._pct(self.submitted)

    @property
    def on_time_rate(self):
        return self._pct(self.on_time)

    @property
    def approved_rate(self):
        return self._pct(self.approved)


def dashboard(*, cycle: ReportingCycle, unit: Unit) -> dict:
    """Rates per direct child (its whole subtree) and per period, for a unit's subtree, each
    period on the tree of its reference date. Four queries whatever the number of units
    (two more for each other lineage the unit had during the cycle, if it was moved)."""
    periods = list(cycle.periods.all())
    lineages = Lineages([unit, _scope_root(cycle)])
    scopes = {p.pk: scope_on(cycle=cycle, unit=unit, on=p.ends_on, lineages=lineages) for p in periods}
    # Rows are keyed by the child's code segment after the unit's lineage ("" = the unit itself).
    expected: dict[tuple[int, str], int] = {}
    reported: dict[tuple[int, str], dict] = {}
    groups: dict[tuple[str, str], list[Period]] = {}
    for period in periods:
        scope = scopes[period.pk]
        if scope.prefix is not None:
            groups.setdefault((scope.unit_lineage, scope.prefix), []).append(period)
    for (unit_lineage, _prefix), group in groups.items():
        scope = scopes[group[0].pk]
        on_any = Q()
        for period in group:
            on_any |= valid_on_q(period.ends_on)
        # Grouped by validity interval too: a few rows per child, whatever the size of its subtree.
        placement_rows = (
            _in_scope(UnitPlacement.objects.filter(on_any), prefix=scope.prefix, kinds=scope.kinds)
            .annotate(segment=child_segment("lineage", unit_lineage))
            .values("segment", "valid_from", "valid_to")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in placement_rows:
            for period in group:
                if row["valid_from"] <= period.ends_on and (row["valid_to"] is None or row["valid_to"] > period.ends_on):
                    key = (period.pk, row["segment"])
                    expected[key] = expected.get(key, 0) + row["n"]
        reports = Report.objects.filter(cycle=cycle, period__in=group, lineage__startswith=scope.prefix)
        if scope.kinds:
            reports = reports.filter(unit__kind__in=scope.kinds)
        for row in (reports.annotate(segment=child_segment("lineage", unit_lineage))
                    .values("period_id", "segment")
                    .annotate(submitted=Count("id", filter=Q(status__in=FILED_STATUSES)),
                              on_time=Count("id", filter=Q(status__in=FILED_STATUSES, is_late=False)),
                              approved=Count("id", filter=Q(status__in=APPROVED_STATUSES)))
                    .order_by()):
            reported[(row["period_id"], row["segment"])] = row
    segments = {segment for _period, segment in expected}
    child_units = {f"{u.code}/": u for u in Unit.objects.filter(code__in=[s[:-1] for s in segments if s])}
    child_units[""] = unit
    rows = []
    totals = {p.pk: Rates() for p in periods}
    for segment in sorted(segments, key=lambda s: (s != "", child_units[s].sort_key if s in child_units else s)):
        cells = []
        for period in periods:
            data = reported.get((period.pk, segment), {})
            rates = Rates(expected=expected.get((period.pk, segment), 0), submitted=data.get("submitted", 0),
                          on_time=data.get("on_time", 0), approved=data.get("approved", 0))
            cells.append(rates)
            total = totals[period.pk]
            total.expected += rates.expected
            total.submitted += rates.submitted
            total.on_time += rates.on_time
            total.approved += rates.approved
        rows.append({"unit": child_units.get(segment), "is_self": segment == "", "cells": cells})
    return {"periods": periods, "rows": rows, "totals": [totals[p.pk] for p in periods]}


def dashboard_in_area(*, cycle: ReportingCycle, unit: Unit, area: AdministrativeArea) -> dict:
    """dashboard() restricted to the units covering a commune/ward, each period on its own end date:
    who covered the area then, under which child of `unit` it stood then (UnitPlacement), and its
    report. Five queries whatever the number of units."""
    periods = list(cycle.periods.all())
    if not periods:
        return {"periods": [], "rows": [], "totals": []}
    first, last = min(p.ends_on for p in periods), max(p.ends_on for p in periods)
    overlapping = Q(valid_from__lte=last) & (Q(valid_to__isnull=True) | Q(valid_to__gt=first))
    coverage = UnitCoverage.objects.filter(overlapping, area=area)
    if cycle.scope_kinds:
        coverage = coverage.filter(unit__kind__in=cycle.scope_kinds)
    coverage = list(coverage.values_list("unit_id", "valid_from", "valid_to"))
    placements = list(UnitPlacement.objects.filter(overlapping, unit_id__in={c[0] for c in coverage})
                      .values_list("unit_id", "lineage", "valid_from", "valid_to"))
    within = [unit.lineage] + ([cycle.scope_root.lineage] if cycle.scope_root_id else [])

    def held(start, end, on):
        return start <= on and (end is None or end > on)

    # (period, unit) → the child of `unit` it stood under then ("" for the unit itself).
    keys: dict[tuple[int, int], str] = {}
    for period in periods:
        covering = {uid for uid, start, end in coverage if held(start, end, period.ends_on)}
        for uid, lineage, start, end in placements:
            if uid in covering and held(start, end, period.ends_on) and all(lineage.startswith(w) for w in within):
                keys[(period.pk, uid)] = lineage[len(unit.lineage):].split("/")[0]
    reports = Report.objects.filter(cycle=cycle, unit_id__in={uid for _pk, uid in keys}).values_list(
        "period_id", "unit_id", "status", "is_late")
    cells = {}
    for (period_pk, _uid), key in keys.items():
        cells.setdefault((period_pk, key), Rates()).expected += 1
    for period_pk, uid, status, is_late in reports:
        rates = cells.get((period_pk, keys.get((period_pk, uid))))
        if rates is not None:
            rates.submitted += status in FILED_STATUSES
            rates.on_time += status in FILED_STATUSES and not is_late
            rates.approved += status in APPROVED_STATUSES
    children = {u.code: u for u in Unit.objects.filter(code__in={key for key in keys.values() if key})}
    rows = []
    for key in sorted(set(keys.values()), key=lambda k: (k != "", children[k].sort_key if k in children else k)):
        rows.append({"unit": children.get(key, unit if key == "" else None), "is_self": key == "",
                     "cells": [cells.get((p.pk, key), Rates()) for p in periods]})
    totals = [Rates(*(sum(getattr(cells.get((p.pk, key), Rates()), f) for key in set(keys.values()))
                      for f in ("expected", "submitted", "on_time", "approved"))) for p in periods]
    return {"periods": periods, "rows": rows, "totals": totals}


def late_units(*, period: Period, unit: Unit) -> QuerySet[Unit]:
    """Units that had to report under the unit on the period's date and have not filed on time,
    with their report's status and their officers (prefetched), in the order of the tree of
    that date: paginate it."""
    scope = scope_on(cycle=period.cycle, unit=unit, on=period.ends_on)
    if scope.prefix is None:
        return Unit.objects.none()
    # cycle_id lets each look-up use the one-report-per-(cycle, period, unit) index.
    reports = Report.objects.filter(cycle_id=period.cycle_id, period=period, unit=OuterRef("pk"))
    on_time = reports.filter(status__in=FILED_STATUSES, is_late=False)
    officers = Membership.objects.filter(role=Role.OFFICER, is_active=True).select_related("user").order_by("id")
    # One filter() call: the date and the prefix apply to the same placement (one per unit on a date).
    units = Unit.objects.filter(valid_on_q(scope.on, "placements__"), placements__lineage__startswith=scope.prefix)
    if scope.kinds:
        units = units.filter(kind__in=scope.kinds)
    return (
        units.exclude(Exists(on_time))
        .annotate(report_status=Subquery(reports.values("status")[:1]),
                  report_is_late=Cast(Subquery(reports.values("is_late")[:1]), IntegerField()),
                  # "/" sorts after "-" in codes: " " in its place keeps each subtree right after its unit.
                  tree_order=Replace("placements__lineage", SqlValue("/"), SqlValue(" ")))
        .prefetch_related(Prefetch("memberships", queryset=officers, to_attr="officers"))
        .order_by("tree_order", "pk")
    )


def trend_chart(*, periods: list[Period], totals: list[Rates]) -> str:
    """The rates over the periods as an SVG (pygal), without any script, so it prints."""
    import pygal
    from django.utils.translation import gettext as _

    chart = pygal.Line(
        js=[], disable_xml_declaration=True, width=720, height=300, range=(0, 100), show_dots=True,
        dots_size=4, legend_at_bottom=True, explicit_size=False, style=pygal.style.CleanStyle,
        title=_("Xu hướng qua các kỳ (%)"),
    )
    chart.x_labels = [p.label for p in periods]
    chart.add(_("Tỷ lệ nộp"), [t.reporting_rate for t in totals])
    chart.add(_("Tỷ lệ đúng hạn"), [t.on_time_rate for t in totals])
    chart.add(_("Tỷ lệ được duyệt"), [t.approved_rate for t in totals])
    # pygal inlines a config <script> even without its JS: drop it (CSP, printing).
    return re.sub(r"<script.*?</script>", "", chart.render(is_unicode=True), flags=re.DOTALL)


def numeric_types() -> set:
    return {IndicatorType.INTEGER, IndicatorType.DECIMAL, IndicatorType.PERCENT, IndicatorType.BOOLEAN}
