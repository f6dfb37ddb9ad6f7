"""Live report summaries: one ReportSummary row per (period, unit) that had to report on the period's reference
date or has a report, with its status, on-time and approved flags and its lineage then.

One function (_true_rows) computes the rows from the raw ones (periods, placements, units, reports); the same
function serves the live update (summaries_refresh, called by every write that changes a report's status or who
is expected, inside that write's transaction) and the check and rebuild of `manage.py portal_summaries`. So the
rows are consistent by construction, and the check proves that no write path forgot to call it.

The rows are also counted per node of the tree (ReportSummaryNode, _true_nodes). A report's change of status adds
its row's difference to the nodes above it, under the nodes' row locks (_nodes_add); a change of who is expected or
where units stand recounts them (nodes_rebuild). The check computes them from the true rows."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from organizations.models import Unit, UnitPlacement
from organizations.selectors import valid_on_q

from .enums import APPROVED_STATUSES, FILED_STATUSES
from .models import Period, Report, ReportSummary, ReportSummaryNode
from .selectors.scope import Lineages, Scope, scope_on

# The columns a row is compared and rewritten on (besides its key, period and unit).
FIELDS = (
    "cycle_id",
    "lineage",
    "tree_order",
    "unit_kind",
    "expected",
    # From the report (_report_columns):
    "report_lineage",
    "status",
    "filed",
    "on_time",
    "approved",
)
# The counts a node row holds.
NODE_COUNTS = ("expected", "filed", "on_time", "approved")
# How many differences the check names before it only counts them.
NAMED_DIFFERENCES = 20


def _held_on(placements: list[tuple], on) -> str | None:
    return next((lineage for lineage, start, end in placements if start <= on and (end is None or end > on)), None)


def _true_rows(periods: list[Period], unit_ids: set[int] | None) -> dict[tuple[int, int], tuple]:
    """{(period_id, unit_id): values of FIELDS} as the raw rows say, for the periods (and only these units when
    unit_ids is given). Three queries whatever the number of periods and units."""
    if not periods:
        return {}
    on_any = Q()
    for on in {period.ends_on for period in periods}:
        on_any |= valid_on_q(on)
    placements = UnitPlacement.objects.filter(on_any)
    reports = Report.objects.filter(period__in=periods)
    if unit_ids is not None:
        placements = placements.filter(unit_id__in=unit_ids)
        reports = reports.filter(unit_id__in=unit_ids)
    held: dict[int, list[tuple]] = {}
    kinds: dict[int, str] = {}
    for unit_id, lineage, start, end, kind in placements.values_list(
        "unit_id", "lineage", "valid_from", "valid_to", "unit__kind"
    ):
        held.setdefault(unit_id, []).append((lineage, start, end))
        kinds[unit_id] = kind
    by_period: dict[int, dict[int, tuple]] = {}
    for period_id, unit_id, status, is_late, lineage, kind in reports.values_list(
        "period_id", "unit_id", "status", "is_late", "lineage", "unit__kind"
    ):
        by_period.setdefault(period_id, {})[unit_id] = (status, is_late, lineage)
        kinds[unit_id] = kind
    lineages = Lineages([period.cycle.scope_root for period in periods])
    rows = {}
    for period in periods:
        scope = scope_on(cycle=period.cycle, unit=None, on=period.ends_on, lineages=lineages)
        reports_then = by_period.get(period.pk, {})
        for unit_id in held.keys() | reports_then.keys():
            placed = _held_on(held.get(unit_id, []), period.ends_on)
            expected = placed is not None and scope.expects(lineage=placed, kind=kinds[unit_id])
            report = reports_then.get(unit_id)
            if not expected and report is None:
                continue
            status, is_late, report_lineage = report or ("", False, "")
            lineage = placed if placed is not None else report_lineage
            rows[(period.pk, unit_id)] = (
                period.cycle_id,
                lineage,
                lineage.replace("/", " "),
                kinds[unit_id],
                expected,
                *_report_columns(status=status, is_late=is_late, lineage=report_lineage).values(),
            )
    return rows


def _report_columns(*, status: str, is_late: bool, lineage: str) -> dict:
    """The columns a row takes from its report (status "" and lineage "" without one), in FIELDS' order."""
    filed = status in FILED_STATUSES
    return {
        "report_lineage": lineage,
        "status": status,
        "filed": filed,
        "on_time": filed and not is_late,
        "approved": status in APPROVED_STATUSES,
    }


def _stored_rows(periods: list[Period], unit_ids: set[int] | None) -> dict[tuple[int, int], tuple]:
    stored = ReportSummary.objects.filter(period__in=periods)
    if unit_ids is not None:
        stored = stored.filter(unit_id__in=unit_ids)
    return {(row[0], row[1]): tuple(row[2:]) for row in stored.values_list("period_id", "unit_id", *FIELDS)}


def _differences(periods: list[Period], unit_ids: set[int] | None, true: dict | None = None) -> tuple[dict, list]:
    """The rows to write (missing or different) and the keys of the rows to delete (no longer true)."""
    true = _true_rows(periods, unit_ids) if true is None else true
    stored = _stored_rows(periods, unit_ids)
    changed = {key: values for key, values in true.items() if stored.get(key) != values}
    extra = [key for key in stored if key not in true]
    return changed, extra


@transaction.atomic(savepoint=False)  # the node locks need a transaction (the command has none)
def summaries_refresh(*, periods: Iterable[Period], units: Iterable[Unit | int] | None = None) -> int:
    """Makes the summary rows of these periods (of these units only, when given) true to the raw rows, and recounts
    the nodes of the periods whose rows changed; returns how many rows it wrote or deleted. Called inside the
    transaction of every change a summary depends on."""
    if isinstance(periods, QuerySet):
        periods = periods.select_related("cycle__scope_root")
    periods = list(periods)
    unit_ids = None if units is None else {u.pk if isinstance(u, Unit) else u for u in units}
    written, touched = _rows_write(periods, unit_ids)
    if touched:
        nodes_rebuild(periods=[period for period in periods if period.pk in touched])
    return written


def _rows_write(periods: list[Period], unit_ids: set[int] | None) -> tuple[int, set[int]]:
    """Writes the rows that differ from the raw rows, deletes those no longer true; returns how many, and the ids
    of the periods they belong to."""
    changed, extra = _differences(periods, unit_ids)
    if extra:
        gone = Q()
        for period_id, unit_id in extra:
            gone |= Q(period_id=period_id, unit_id=unit_id)
        ReportSummary.objects.filter(gone).delete()
    if changed:
        ReportSummary.objects.bulk_create(
            [
                ReportSummary(period_id=period_id, unit_id=unit_id, **dict(zip(FIELDS, values, strict=True)))
                for (period_id, unit_id), values in changed.items()
            ],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["period", "unit"],
            update_fields=[field.removesuffix("_id") for field in FIELDS],
        )
    return len(changed) + len(extra), {period_id for period_id, _unit_id in [*changed, *extra]}


def summaries_report_changed(*, report: Report) -> None:
    """A report was made or changed status: its row takes the report's columns, and the nodes it counts under take
    the difference. The row's other columns (where the unit stood, whether it was expected) change only with the
    tree or the period, so the filing and review paths change only the report's counts; a unit that was not
    expected has no row yet and gets it by summaries_refresh."""
    columns = _report_columns(status=report.status, is_late=report.is_late, lineage=report.lineage)
    before = (
        ReportSummary.objects.select_for_update()
        .filter(period_id=report.period_id, unit_id=report.unit_id)
        .values_list("unit_kind", "lineage", "report_lineage", *NODE_COUNTS[1:])
        .first()
    )
    if before is None:
        summaries_refresh(periods=[report.period], units=[report.unit_id])
        return
    ReportSummary.objects.filter(period_id=report.period_id, unit_id=report.unit_id).update(**columns)
    kind, lineage, old_lineage, *old_counts = before
    new_counts = [columns[name] for name in NODE_COUNTS[1:]]
    if old_counts == new_counts and (
        columns["report_lineage"] == old_lineage or (not any(new_counts) and columns["report_lineage"] == lineage)
    ):
        # Nothing counted changed (a status within the same counts, a new draft), and the nodes of the report's
        # lineage exist already: those of its lineage before, or of the row's own lineage.
        return
    _nodes_add(
        report.period,
        kind=kind,
        old=(old_lineage, old_counts),
        new=(columns["report_lineage"], new_counts),
    )


def summaries_differences(*, stdout=None) -> int:
    """How many stored rows differ from the raw rows, are missing or are extra, over every period (one at a time);
    names the first few on stdout."""
    total = 0
    for period in Period.objects.select_related("cycle__scope_root").order_by("pk"):
        true = _true_rows([period], None)
        changed, extra = _differences([period], None, true)
        stored = _stored_rows([period], {unit_id for _period, unit_id in changed}) if changed else {}
        for key in [*changed, *extra]:
            total += 1
            if stdout is not None and total <= NAMED_DIFFERENCES:
                state = "extra" if key not in changed else ("differs" if key in stored else "missing")
                stdout.write(f"  report summary (period {key[0]}, unit {key[1]}): {state}")
        true_nodes = _true_nodes(period, true.values())
        changed_nodes, extra_nodes = _node_differences(period, true_nodes)
        for lineage in [*changed_nodes, *extra_nodes]:
            total += 1
            if stdout is not None and total <= NAMED_DIFFERENCES:
                state = "extra" if lineage in extra_nodes else "differs or missing"
                stdout.write(f"  report summary node (period {period.pk}, {lineage}): {state}")
    return total


def summaries_rebuild(*, stdout=None) -> int:
    """Rewrites every period's rows from the raw rows, then its nodes from the rows, once each (one period at a
    time, each in its own transaction); returns how many rows and nodes it changed."""
    total = 0
    for period in Period.objects.select_related("cycle__scope_root").order_by("pk"):
        with transaction.atomic():
            total += _rows_write([period], None)[0] + nodes_rebuild(periods=[period])
    return total


def period_rows_differences(*, differences: Callable, label: str, stdout=None) -> int:
    """The check of a summary kept per period (the roll-up rows and texts): `differences(period)` returns the rows
    that differ or are missing ({key: values}) and the extra keys; names the first few, `label` and the key."""
    total = 0
    for period in Period.objects.order_by("pk"):
        changed, extra = differences(period)
        for key in [*changed, *extra]:
            total += 1
            if stdout is not None and total <= NAMED_DIFFERENCES:
                state = "extra" if key in extra else "differs or missing"
                stdout.write(f"  {label} (period {period.pk}, {', '.join(map(str, key))}): {state}")
    return total


def period_rows_rebuild(*, differences: Callable, write: Callable) -> int:
    """The rebuild of such a summary: `write(period, changed, extra)` repairs one period's rows, in one transaction
    each; returns how many rows it changed."""
    total = 0
    for period in Period.objects.order_by("pk"):
        with transaction.atomic():
            changed, extra = differences(period)
            write(period, changed, extra)
        total += len(changed) + len(extra)
    return total


def summaries_follow_tree(sender, *, unit_ids: list[int], since, **kwargs) -> None:
    """A unit was created, moved (with its subtree), dissolved or changed kind (organizations.signals.units_placed,
    sent inside the change's transaction): the rows of the periods whose reference date falls on or after the
    change (every period when `since` is None), for those units only."""
    periods = Period.objects.all() if since is None else Period.objects.filter(ends_on__gte=since)
    summaries_refresh(periods=periods, units=unit_ids)


# ---------------------------------------------------------------- nodes
def _nodes_of(lineage: str) -> list[str]:
    """The ancestor-or-self prefixes of a lineage, root first: "/A/B/" -> ["/A/", "/A/B/"] ("" -> [])."""
    segments = lineage.strip("/").split("/") if lineage else []
    return [f"/{'/'.join(segments[: depth + 1])}/" for depth in range(len(segments))]


def _parent_of(node: str) -> str:
    return node[: node.rstrip("/").rfind("/") + 1] if node.count("/") > 2 else ""


def _cycle_scope(period: Period) -> Scope:
    """The period's scope for the whole cycle: reports count only inside it (as the dashboard always counted them)."""
    return scope_on(cycle=period.cycle, unit=None, on=period.ends_on, lineages=Lineages([period.cycle.scope_root_id]))


def _report_counts(scope: Scope, *, report_lineage: str, kind: str) -> bool:
    """Whether a report counts in the nodes: inside the cycle's scope by the lineage it stored (in SQL: _nodes_refresh)."""
    return scope.expects(lineage=report_lineage, kind=kind) if report_lineage else False


def _true_nodes(period: Period, rows: Iterable[tuple]) -> dict[str, tuple]:
    """{node lineage: NODE_COUNTS} computed in Python from summary rows (values of FIELDS) of one period."""
    scope = _cycle_scope(period)
    index = {name: FIELDS.index(name) for name in ("lineage", "report_lineage", "unit_kind", *NODE_COUNTS)}
    nodes: dict[str, list[int]] = {}
    for row in rows:
        for node in _nodes_of(row[index["lineage"]]):
            nodes.setdefault(node, [0, 0, 0, 0])[0] += row[index["expected"]]
        report_lineage = row[index["report_lineage"]]
        counted = _report_counts(scope, report_lineage=report_lineage, kind=row[index["unit_kind"]])
        for node in _nodes_of(report_lineage):
            counts = nodes.setdefault(node, [0, 0, 0, 0])
            if counted:
                for position, name in enumerate(NODE_COUNTS[1:], start=1):
                    counts[position] += row[index[name]]
    return {node: tuple(counts) for node, counts in nodes.items()}


def _stored_nodes(period: Period) -> dict[str, tuple]:
    stored = ReportSummaryNode.objects.filter(period=period).values_list("lineage", *NODE_COUNTS)
    return {row[0]: tuple(row[1:]) for row in stored}


def _node_differences(period: Period, true: dict[str, tuple]) -> tuple[dict, list]:
    stored = _stored_nodes(period)
    changed = {node: counts for node, counts in true.items() if stored.get(node) != counts}
    return changed, [node for node in stored if node not in true]


def _nodes_write(period: Period, nodes: dict[str, tuple]) -> None:
    ReportSummaryNode.objects.bulk_create(
        [
            ReportSummaryNode(
                cycle_id=period.cycle_id,
                period=period,
                lineage=node,
                parent_lineage=_parent_of(node),
                **dict(zip(NODE_COUNTS, counts, strict=True)),
            )
            for node, counts in nodes.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["period", "lineage"],
        update_fields=list(NODE_COUNTS),
    )


def _lock_nodes(period: Period, q: Q) -> list[str]:
    """Locks node rows in lineage order (a root before its subtree), so that concurrent writers of a period queue
    on its root and never deadlock; the counts read after the lock see every committed change (READ COMMITTED).
    Returns the lineages of the rows it locked."""
    return list(
        ReportSummaryNode.objects.select_for_update()
        .filter(q, period=period)
        .order_by("lineage")
        .values_list("lineage", flat=True)
    )


@transaction.atomic(savepoint=False)
def _nodes_add(period: Period, *, kind: str, old: tuple[str, list], new: tuple[str, list]) -> None:
    """One summary row's report counts went from `old` to `new` ((report lineage, counts of NODE_COUNTS[1:])):
    each node above takes the difference in one UPDATE, under the locks _nodes_refresh takes, so that concurrent
    filers add up instead of each recounting the whole period. A node that does not exist yet is counted."""
    scope = _cycle_scope(period)
    deltas: dict[str, list[int]] = {}
    for (lineage, counts), sign in ((old, -1), (new, 1)):
        counted = _report_counts(scope, report_lineage=lineage, kind=kind)
        for node in _nodes_of(lineage):
            total = deltas.setdefault(node, [0] * len(counts))
            if counted:
                for position, count in enumerate(counts):
                    total[position] += sign * count
    nodes = sorted(deltas)
    existing = set(_lock_nodes(period, Q(lineage__in=nodes)))
    by_delta: dict[tuple, list[str]] = {}
    for node in nodes:
        if node in existing and any(deltas[node]):
            by_delta.setdefault(tuple(deltas[node]), []).append(node)
    for delta, same in by_delta.items():
        ReportSummaryNode.objects.filter(period=period, lineage__in=same).update(
            **{name: F(name) + change for name, change in zip(NODE_COUNTS[1:], delta, strict=True)}
        )
    if missing := set(nodes) - existing:
        _nodes_refresh(period, missing)


@transaction.atomic(savepoint=False)
def _nodes_refresh(period: Period, nodes: set[str]) -> None:
    """Recounts these nodes of the period from its summary rows (one query); creates those that are missing."""
    _lock_nodes(period, Q(lineage__in=nodes))
    scope = _cycle_scope(period)
    reports_q = Q(report_lineage__startswith=scope.prefix) if scope.prefix is not None else Q(pk__in=[])
    if scope.kinds:
        reports_q &= Q(unit_kind__in=scope.kinds)
    ordered = sorted(nodes)
    aggregates = {}
    for position, node in enumerate(ordered):
        aggregates[f"expected_{position}"] = Count("id", filter=Q(expected=True, lineage__startswith=node))
        for name in NODE_COUNTS[1:]:
            aggregates[f"{name}_{position}"] = Count(
                "id", filter=reports_q & Q(**{name: True, "report_lineage__startswith": node})
            )
    counts = ReportSummary.objects.filter(period=period).aggregate(**aggregates)
    _nodes_write(
        period,
        {node: tuple(counts[f"{name}_{position}"] for name in NODE_COUNTS) for position, node in enumerate(ordered)},
    )


@transaction.atomic(savepoint=False)
def nodes_rebuild(*, periods: Iterable[Period]) -> int:
    """Recomputes every node of these periods from their stored summary rows (after a change of who is expected or
    where units stand, or a rebuild): writes the changed nodes, deletes the nodes no row lies under any more;
    returns how many it wrote or deleted."""
    total = 0
    for period in periods:
        _lock_nodes(period, Q(parent_lineage=""))
        rows = ReportSummary.objects.filter(period=period).values_list(*FIELDS)
        changed, extra = _node_differences(period, _true_nodes(period, rows))
        if extra:
            ReportSummaryNode.objects.filter(period=period, lineage__in=extra).delete()
        if changed:
            _nodes_write(period, changed)
        total += len(changed) + len(extra)
    return total
