"""Reads. Every function runs a fixed number of queries whatever the number of
units or reports: roll-ups and rates are GROUP BY aggregates in SQL."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Length, Substr
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
    """Units that must report in a cycle: by kind and/or inside a subtree, not dissolved."""
    q = Q(**{f"{prefix}dissolved_on__isnull": True})
    if cycle.scope_kinds:
        q &= Q(**{f"{prefix}kind__in": cycle.scope_kinds})
    if cycle.scope_root_id:
        q &= Q(**{f"{prefix}path__startswith": cycle.scope_root.path})
    return q


def unit_is_expected(cycle: ReportingCycle, unit: Unit) -> bool:
    if unit.dissolved_on is not None:
        return False
    if cycle.scope_kinds and unit.kind not in cycle.scope_kinds:
        return False
    return not (cycle.scope_root_id and not unit.path.startswith(cycle.scope_root.path))


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
    """The unit's last report on the same form before this period (any cycle)."""
    return (
        Report.objects.filter(unit=unit, form_version__form_id=period.cycle.form_version.form_id,
                              period__ends_on__lt=period.ends_on)
        .select_related("period")
        .order_by("-period__ends_on")
        .first()
    )


def usual_maxima(*, period: Period, unit: Unit) -> dict[str, Decimal]:
    """The highest figure the unit filed for each numeric indicator in earlier periods."""
    rows = (
        Value.objects.filter(report__unit=unit, report__form_version__form_id=period.cycle.form_version.form_id,
                             report__status__in=FILED_STATUSES, report__period__ends_on__lt=period.ends_on,
                             number__isnull=False)
        .values("indicator__code")
        .annotate(highest=Max("number"))
    )
    return {row["indicator__code"]: row["highest"] for row in rows}


def children_missing_approval(*, period: Period, unit: Unit) -> list[Unit]:
    """Direct children that must report and have no approved report for the period."""
    cycle = period.cycle
    approved = Report.objects.filter(period=period, unit=OuterRef("pk"), status__in=APPROVED_STATUSES)
    return list(
        Unit.objects.filter(expected_units_q(cycle), path__startswith=unit.path, depth=unit.depth + 1)
        .exclude(Exists(approved))
        .order_by("sort_key")
    )


def parent_report_approved(report: Report) -> bool:
    if report.unit.depth <= 1:
        return False
    return Report.objects.filter(period_id=report.period_id, unit__path=report.unit.path[:-STEP],
                                 status__in=APPROVED_STATUSES).exists()


# ---------------------------------------------------------------- approval levels (DHIS2 style)
def annotate_children_readiness(reports: list[Report]) -> None:
    """Sets .children_expected, .children_approved and .approval_level on each report,
    in two queries for the whole list."""
    if not reports:
        return
    parent_q = Q()
    for report in reports:
        parent_q |= Q(path__startswith=report.unit.path, depth=report.unit.depth + 1)
    parent_path = Substr("path", 1, Length("path") - STEP)
    expected = (
        Unit.objects.filter(parent_q, dissolved_on__isnull=True)
        .annotate(parent_path=parent_path)
        .order_by()
        .values("parent_path", "kind")
        .annotate(n=Count("id"))
    )
    child_q = Q()
    for report in reports:
        child_q |= Q(unit__path__startswith=report.unit.path, unit__depth=report.unit.depth + 1)
    approved = (
        Report.objects.filter(child_q, period_id__in={r.period_id for r in reports}, status__in=APPROVED_STATUSES,
                              unit__dissolved_on__isnull=True)
        .annotate(parent_path=Substr("unit__path", 1, Length("unit__path") - STEP))
        .values("period_id", "parent_path", "unit__kind")
        .annotate(n=Count("id"))
    )
    expected_rows = list(expected)
    approved_rows = list(approved)
    for report in reports:
        kinds = set(report.cycle.scope_kinds or [])
        report.children_expected = sum(r["n"] for r in expected_rows
                                       if r["parent_path"] == report.unit.path and (not kinds or r["kind"] in kinds))
        report.children_approved = sum(r["n"] for r in approved_rows
                                       if r["parent_path"] == report.unit.path and r["period_id"] == report.period_id
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
    with the report if it exists. Three queries."""
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
    items = []
    for period in periods:
        for unit in units:
            if unit_is_expected(period.cycle, unit):
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
    figures are one small query. Eight queries in all, whatever the size of the tree."""
    cycle = period.cycle
    indicators = list(cycle.form_version.indicators.select_related("section").order_by("section__order", "order",
                                                                                         "id"))
    own = Q(report__unit=unit)
    below = Q(report__status__in=APPROVED_STATUSES, report__lineage__startswith=unit.lineage) & ~own
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
    children = children_status(period=period, unit=unit)
    counts = (
        Report.objects.filter(period=period, lineage__startswith=unit.lineage)
        .exclude(unit=unit)
        .aggregate(approved=Count("id", filter=Q(status__in=APPROVED_STATUSES)),
                   filed=Count("id", filter=Q(status__in=FILED_STATUSES)))
    )
    expected_below = Unit.objects.filter(expected_units_q(cycle), path__startswith=unit.path,
                                         depth__gt=unit.depth).count()
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


def children_status(*, period: Period, unit: Unit) -> list[ChildStatus]:
    """Each direct child that must report (or did), with its own report. Two queries."""
    children = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, dissolved_on__isnull=True)
                    .order_by("sort_key"))
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=[c.pk for c in children])}
    result = []
    for child in children:
        expected = unit_is_expected(period.cycle, child)
        if expected or child.pk in reports:
            result.append(ChildStatus(unit=child, report=reports.get(child.pk), is_expected=expected))
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
    """Rates per direct child (its whole subtree) and per period, for a unit's subtree.
    Four queries whatever the number of units."""
    periods = list(cycle.periods.all())
    prefix_len = len(unit.path) + STEP
    # The unit itself counts as its own row (prefix = its path).
    prefix = Substr("path", 1, prefix_len)
    expected_rows = (
        Unit.objects.filter(expected_units_q(cycle), path__startswith=unit.path)
        .annotate(prefix=prefix)
        .order_by()  # treebeard orders by path, which would split the groups
        .values("prefix")
        .annotate(n=Count("id"))
    )
    expected = {row["prefix"]: row["n"] for row in expected_rows}
    report_rows = (
        Report.objects.filter(expected_units_q(cycle, "unit__"), cycle=cycle, unit__path__startswith=unit.path)
        .annotate(prefix=Substr("unit__path", 1, prefix_len))
        .values("period_id", "prefix")
        .annotate(
            submitted=Count("id", filter=Q(status__in=FILED_STATUSES)),
            on_time=Count("id", filter=Q(status__in=FILED_STATUSES, is_late=False)),
            approved=Count("id", filter=Q(status__in=APPROVED_STATUSES)),
        )
    )
    reported = {(row["period_id"], row["prefix"]): row for row in report_rows}
    child_units = {u.path: u for u in Unit.objects.filter(path__in=list(expected))}
    rows = []
    totals = {p.pk: Rates() for p in periods}
    for path in sorted(expected, key=lambda p: (p != unit.path, child_units[p].sort_key if p in child_units else p)):
        cells = []
        for period in periods:
            data = reported.get((period.pk, path), {})
            rates = Rates(expected=expected[path], submitted=data.get("submitted", 0),
                          on_time=data.get("on_time", 0), approved=data.get("approved", 0))
            cells.append(rates)
            total = totals[period.pk]
            total.expected += rates.expected
            total.submitted += rates.submitted
            total.on_time += rates.on_time
            total.approved += rates.approved
        rows.append({"unit": child_units.get(path), "is_self": path == unit.path, "cells": cells})
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
    """Units of the subtree that must report and have not filed on time, with their
    report's status and their officers (prefetched): paginate it."""
    cycle = period.cycle
    on_time = Report.objects.filter(period=period, unit=OuterRef("pk"), status__in=FILED_STATUSES, is_late=False)
    own = Report.objects.filter(period=period, unit=OuterRef("pk"))
    officers = Membership.objects.filter(role=Role.OFFICER, is_active=True).select_related("user").order_by("id")
    return (
        Unit.objects.filter(expected_units_q(cycle), path__startswith=unit.path)
        .exclude(Exists(on_time))
        .annotate(report_status=Subquery(own.values("status")[:1]),
                  report_is_late=Cast(Subquery(own.values("is_late")[:1]), IntegerField()))
        .prefetch_related(Prefetch("memberships", queryset=officers, to_attr="officers"))
        .order_by("path")
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
