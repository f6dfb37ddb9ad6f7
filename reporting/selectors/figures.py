"""Figures about a period: roll-ups, children, rates per child unit, late units. Every function runs a fixed
number of queries whatever the number of units or reports (GROUP BY aggregates in SQL), on the tree of the
period's date (reporting.selectors.scope)."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models import Value as SqlValue
from django.db.models.functions import NullIf
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organizations.models import AdministrativeArea, Unit, UnitCoverage, UnitPlacement
from organizations.selectors import unit_officers

from ..enums import (
    APPROVED_STATUSES,
    FILED_STATUSES,
    Rollup,
)
from ..models import (
    Indicator,
    Period,
    Report,
    ReportingCycle,
    ReportListText,
    ReportReminder,
    ReportSummary,
    ReportSummaryNode,
    ReportValueNode,
    Value,
)
from .reports import children_on
from .scope import (
    Lineages,
    Scope,
    cycle_scope_root,
    scope_on,
)


# ---------------------------------------------------------------- roll-up
@dataclass
class RollupRow:
    indicator: Indicator
    own: object = None
    children: object = None
    total: object = None
    reports: int = 0
    texts: list = field(default_factory=list)  # [(unit name, text)]


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


def _aggregates(prefix: str, only: Q) -> dict:
    """SUM, COUNT and MAX of the numbers of the rows matching `only`, named <prefix>_sum, _n and _max."""
    return {
        f"{prefix}_sum": Sum("number", filter=only),
        f"{prefix}_n": Count("number", filter=only),
        f"{prefix}_max": Max("number", filter=only),
    }


def _rollup_texts(
    *, period: Period, unit: Unit, lineage: str, own_report: Report | None, list_ids: list[int], limit: int
) -> dict:
    """{indicator_id: [(unit name, text)]}: the LIST indicators' texts of the unit's own report (whatever its
    status) and of the approved reports stored under its lineage, by indicator and unit name, at most `limit` in
    all. The approved ones come from the live rows (reporting.list_texts), with their unit's current name; the own
    report's from its values, unless it is approved and stored under the lineage (then the rows hold it). One
    query, two with an own report outside the rows."""
    found = list(
        ReportListText.objects.filter(period=period, lineage__startswith=lineage)
        .order_by("indicator_id", "unit__sort_key", "unit_id")
        .values_list("indicator_id", "unit__sort_key", "unit_id", "unit__name", "text")[:limit]
    )
    if own_report is not None and not (
        own_report.status in APPROVED_STATUSES and own_report.lineage.startswith(lineage)
    ):
        own = own_report.values.filter(indicator_id__in=list_ids).exclude(text="").values_list("indicator_id", "text")
        found += [(indicator_id, unit.sort_key, unit.pk, unit.name, text) for indicator_id, text in own]
        # The own texts take their place among the others' by the unit's name, as the query orders them (the
        # database collates the sort keys, digits and "|", by code point too).
        found.sort(key=lambda row: row[:3])
    texts: dict[int, list] = {}
    for indicator_id, _sort_key, _unit_id, name, text in found[:limit]:
        texts.setdefault(indicator_id, []).append((name, text))
    return texts


def rollup(*, period: Period, unit: Unit, list_limit: int = 200) -> dict:
    """A unit's consolidated report for a period: its own figures plus its subtree's
    approved reports. The subtree's figures come from the live roll-up rows of the unit's node
    (reporting.value_nodes: the approved reports stored strictly below its lineage) plus one small
    GROUP BY over the reports stored at its lineage itself (its own, and any other approved one there);
    averages come from sum/count; the texts from the live rows of reporting.list_texts. Nine queries in all (ten
    when the unit's own report is not among those rows), whatever the size of the tree, on the
    tree of the period's reference date."""
    cycle = period.cycle
    indicators = list(cycle.form_version.indicators.select_related("section").order_by("section__order", "order", "id"))
    scope = scope_on(cycle=cycle, unit=unit, on=period.ends_on)
    # Reports below count by the lineage they stored, under the unit's lineage of the period's date.
    lineage = scope.unit_lineage or unit.lineage
    own = Q(report__unit=unit)
    base = Value.objects.filter(report__period=period)
    # The approved reports stored at the unit's lineage itself: the node's rows hold only those strictly below.
    here = Q(report__status__in=APPROVED_STATUSES, report__lineage=lineage) & ~own
    own_rows, below_rows = {}, {}
    for row in (
        base.filter(own | here, number__isnull=False)
        .values("indicator_id")
        .annotate(**_aggregates("own", own), **_aggregates("here", here))
    ):
        for prefix, rows_of in (("own", own_rows), ("here", below_rows)):
            if row[f"{prefix}_n"]:
                rows_of[row["indicator_id"]] = {name: row[f"{prefix}_{name}"] for name in ("sum", "n", "max")}
    # A lineage ends with its unit's (unique) code: no report of the unit lies strictly below it, so the node's
    # rows hold none of the unit's own figures.
    for indicator_id, *figures in ReportValueNode.objects.filter(period=period, lineage=lineage).values_list(
        "indicator_id", "number_sum", "number_count", "number_max"
    ):
        node = dict(zip(("sum", "n", "max"), figures, strict=True))
        below_rows[indicator_id] = _combine(node, below_rows.get(indicator_id))
    own_report = Report.objects.filter(period=period, unit=unit).first()
    list_ids = [i.pk for i in indicators if i.rollup == Rollup.LIST]
    texts = (
        _rollup_texts(
            period=period, unit=unit, lineage=lineage, own_report=own_report, list_ids=list_ids, limit=list_limit
        )
        if list_ids
        else {}
    )
    rows = []
    for indicator in indicators:
        own_agg, below_agg = own_rows.get(indicator.pk), below_rows.get(indicator.pk)
        rows.append(
            RollupRow(
                indicator=indicator,
                own=_rollup_value(indicator, own_agg),
                children=_rollup_value(indicator, below_agg),
                total=_rollup_value(indicator, _combine(own_agg, below_agg)),
                reports=(below_agg or {}).get("n", 0) + (own_agg or {}).get("n", 0),
                texts=texts.get(indicator.pk, []),
            )
        )
    children = children_status(period=period, unit=unit, scope=scope)
    # Reports below by the lineage they stored; expected units by their lineage on the period's date.
    counted = {
        "approved": Count("id", filter=Q(approved=True, report_lineage__startswith=lineage)),
        "filed": Count("id", filter=Q(filed=True, report_lineage__startswith=lineage)),
    }
    if scope.prefix is not None:
        counted["expected"] = Count("id", filter=Q(expected=True, lineage__startswith=scope.prefix))
    counts = (
        ReportSummary.objects.filter(period=period)
        .filter(Q(report_lineage__startswith=lineage) | Q(lineage__startswith=lineage))
        .exclude(unit=unit)
        .aggregate(**counted)
    )
    expected_below = counts.get("expected", 0)
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
    placements = list(children_on(period=period, unit=unit).order_by("unit__sort_key"))
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=[p.unit_id for p in placements])}
    result = []
    for placement in placements:
        expected = scope.expects(lineage=placement.lineage, kind=placement.unit.kind)
        if expected or placement.unit_id in reports:
            result.append(ChildStatus(unit=placement.unit, report=reports.get(placement.unit_id), is_expected=expected))
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


def _add_node(expected: dict, reported: dict, key: tuple[int, str], counts: list[int], *, sign: int) -> None:
    """Adds (or takes away: a child's counts from its parent's node, leaving the parent's own) a node's counts."""
    node_expected, filed, on_time, approved = counts
    expected[key] = expected.get(key, 0) + sign * node_expected
    row = reported.setdefault(key, {"submitted": 0, "on_time": 0, "approved": 0})
    row["submitted"] += sign * filed
    row["on_time"] += sign * on_time
    row["approved"] += sign * approved


def dashboard(*, cycle: ReportingCycle, unit: Unit) -> dict:
    """Rates per direct child (its whole subtree) and per period, for a unit's subtree, each
    period on the tree of its reference date, from the report summaries counted per node of the tree
    (reporting.summaries): the unit's node and its children's, a few hundred rows whatever the size of the subtree.
    Four queries whatever the number of units and periods."""
    periods = list(cycle.periods.all())
    lineages = Lineages([unit, cycle_scope_root(cycle)])
    scopes = {p.pk: scope_on(cycle=cycle, unit=unit, on=p.ends_on, lineages=lineages) for p in periods}
    viewed = {pk: scope.unit_lineage for pk, scope in scopes.items() if scope.prefix is not None}
    # Rows are keyed by the child's code segment after the unit's lineage ("" = the unit itself). The node counts
    # are already inside the cycle's scope, so the unit's children hold the rows under a deeper scope root too.
    expected: dict[tuple[int, str], int] = {}
    reported: dict[tuple[int, str], dict] = {}
    # Two index scans: the unit's nodes by (period, lineage), its children's by (cycle, parent_lineage).
    unit_lineages = set(viewed.values())
    nodes = ReportSummaryNode.objects.filter(
        Q(period__in=list(viewed), lineage__in=unit_lineages) | Q(cycle=cycle, parent_lineage__in=unit_lineages),
        period__in=list(viewed),
    )
    for period_id, lineage, parent, *counts in nodes.values_list(
        "period_id", "lineage", "parent_lineage", "expected", "filed", "on_time", "approved"
    ):
        unit_lineage = viewed[period_id]
        if lineage == unit_lineage:
            _add_node(expected, reported, (period_id, ""), counts, sign=1)
        elif parent == unit_lineage:  # a child: its own row, and out of the unit's own
            _add_node(expected, reported, (period_id, lineage[len(unit_lineage) :]), counts, sign=1)
            _add_node(expected, reported, (period_id, ""), counts, sign=-1)
    segments = {segment for (_period, segment), n in expected.items() if n}
    child_units = {f"{u.code}/": u for u in Unit.objects.filter(code__in=[s[:-1] for s in segments if s])}
    child_units[""] = unit
    rows = []
    totals = {p.pk: Rates() for p in periods}
    for segment in sorted(segments, key=lambda s: (s != "", child_units[s].sort_key if s in child_units else s)):
        cells = []
        for period in periods:
            data = reported.get((period.pk, segment), {})
            rates = Rates(
                expected=expected.get((period.pk, segment), 0),
                submitted=data.get("submitted", 0),
                on_time=data.get("on_time", 0),
                approved=data.get("approved", 0),
            )
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
    placements = list(
        UnitPlacement.objects.filter(overlapping, unit_id__in={c[0] for c in coverage}).values_list(
            "unit_id", "lineage", "valid_from", "valid_to"
        )
    )
    within = [unit.lineage] + ([cycle.scope_root.lineage] if cycle.scope_root_id else [])

    def held(start, end, on):
        return start <= on and (end is None or end > on)

    # (period, unit) → the child of `unit` it stood under then ("" for the unit itself).
    keys: dict[tuple[int, int], str] = {}
    for period in periods:
        covering = {uid for uid, start, end in coverage if held(start, end, period.ends_on)}
        for uid, lineage, start, end in placements:
            if uid in covering and held(start, end, period.ends_on) and all(lineage.startswith(w) for w in within):
                keys[(period.pk, uid)] = lineage[len(unit.lineage) :].split("/")[0]
    reports = Report.objects.filter(cycle=cycle, unit_id__in={uid for _pk, uid in keys}).values_list(
        "period_id", "unit_id", "status", "is_late"
    )
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
        rows.append(
            {
                "unit": children.get(key, unit if key == "" else None),
                "is_self": key == "",
                "cells": [cells.get((p.pk, key), Rates()) for p in periods],
            }
        )
    totals = [
        Rates(
            *(
                sum(getattr(cells.get((p.pk, key), Rates()), f) for key in set(keys.values()))
                for f in ("expected", "submitted", "on_time", "approved")
            )
        )
        for p in periods
    ]
    return {"periods": periods, "rows": rows, "totals": totals}


def dashboard_period(*, periods: list[Period], requested: str | None, today: dt.date | None = None) -> Period | None:
    """The period a dashboard shows: the one asked for, else the latest already due, else the first."""
    period = next((p for p in periods if str(p.pk) == requested), None)
    if period is not None:
        return period
    today = today or timezone.localdate()
    past = [p for p in periods if p.due_on < today]
    return past[-1] if past else (periods[0] if periods else None)


def late_units(*, period: Period, unit: Unit | None, today: dt.date | None = None) -> QuerySet[Unit]:
    """Units that had to report under the unit on the period's date and have not filed on time (from the report
    summaries), with their report's status and their officers (prefetched), in the order of the tree of
    that date: paginate it. Each also carries its lineage then (`lineage_then`), when it was last reminded
    (`last_reminded_at`), and whether a reminder may reach it (`remindable`: past the deadline and not filed)."""
    today = today or timezone.localdate()
    scope = scope_on(cycle=period.cycle, unit=unit, on=period.ends_on)
    if scope.prefix is None:
        return Unit.objects.none()
    officers = unit_officers().select_related("user").order_by("id")
    reminders = ReportReminder.objects.filter(period=period, unit=OuterRef("pk")).order_by("-reminded_at")
    # One filter() call: every condition, and the annotations below, apply to the same summary row.
    units = Unit.objects.filter(
        report_summaries__period=period,
        report_summaries__expected=True,
        report_summaries__on_time=False,
        report_summaries__lineage__startswith=scope.prefix,
    )
    # On-time reports are excluded above: a filed one here was filed late.
    filed = F("report_summaries__filed")
    return (
        units.annotate(
            report_status=NullIf("report_summaries__status", SqlValue("")),
            report_filed_late=filed,
            tree_order=F("report_summaries__tree_order"),
            lineage_then=F("report_summaries__lineage"),
            last_reminded_at=Subquery(reminders.values("reminded_at")[:1]),
            remindable=(
                ExpressionWrapper(Q(report_summaries__filed=False), output_field=BooleanField())
                if period.due_on < today
                else SqlValue(False, output_field=BooleanField())
            ),
        )
        .prefetch_related(Prefetch("memberships", queryset=officers, to_attr="officers"))
        .order_by("tree_order", "pk")
    )


# The chart's key holds everything it is drawn from, so a changed figure is a new key: nothing to invalidate. The
# timeout only bounds how long a chart nobody asks for any more occupies the cache.
TREND_CHART_SECONDS = 60 * 60


def trend_chart(*, periods: list[Period], totals: list[Rates]) -> str:
    """The rates over the periods as an SVG (pygal), without any script, so it prints. Empty with fewer than two
    periods: one period is a lone dot, not a trend; the page says so and shows that period's rates as a table.
    Cached by its figures, its labels and the language (drawing it costs more than the rest of the dashboard)."""
    if len(periods) < 2:
        return ""
    labels = [p.label for p in periods]
    series = [[getattr(t, rate) for t in totals] for rate in ("reporting_rate", "on_time_rate", "approved_rate")]
    fingerprint = repr((translation.get_language(), labels, series))
    key = "reporting:trend-chart:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = _draw_trend_chart(labels=labels, series=series)
        cache.set(key, svg, TREND_CHART_SECONDS)
    return svg


def _draw_trend_chart(*, labels: list[str], series: list[list]) -> str:
    import pygal

    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        width=720,
        height=300,
        range=(0, 100),
        show_dots=True,
        dots_size=4,
        legend_at_bottom=True,
        explicit_size=False,
        style=pygal.style.CleanStyle,
        title=_("Xu hướng qua các kỳ (%)"),
    )
    chart.x_labels = labels
    for title, values in zip((_("Tỷ lệ nộp"), _("Tỷ lệ đúng hạn"), _("Tỷ lệ được duyệt")), series, strict=True):
        chart.add(title, values)
    # pygal inlines a config <script> even without its JS: drop it (CSP, printing).
    return re.sub(r"<script.*?</script>", "", chart.render(is_unicode=True), flags=re.DOTALL)
