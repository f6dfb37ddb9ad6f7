"""Live roll-up figures: per (period, node of the tree, indicator), the sum, count and maximum of the numbers of the
period's approved reports stored strictly below the node (ReportValueNode), which is what a roll-up aggregated
from every Value row of its subtree.

A report's stored lineage never changes (it is copied when the report is made; tree changes move units, not
reports) and its values change only while it is editable, never approved. So the rows change only when a report
enters or leaves the approved statuses (reporting.services._report_move): its numbers are added to (or taken from)
each of its strict ancestors' rows in one upsert, in the transaction of the move. A root recount would scan the
whole period on every approval; the increment touches a few rows. Only a maximum cannot be taken away: it is
recounted when the number removed was the maximum.

The check and the rebuild (`manage.py portal_summaries`) compute the rows from the raw values, one period at a
time."""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum

from .enums import APPROVED_STATUSES
from .models import Period, Report, ReportValueNode, Value
from .summaries import _nodes_of, period_rows_differences, period_rows_rebuild

FIELDS = ("number_sum", "number_count", "number_max")
TABLE = ReportValueNode._meta.db_table
# Incrementing upsert: a negative count takes a report away and leaves the maximum to _recount_max.
UPSERT = (
    f"INSERT INTO {TABLE} (period_id, lineage, indicator_id, number_sum, number_count, number_max) VALUES {{rows}} "
    "ON CONFLICT (period_id, lineage, indicator_id) DO UPDATE SET "
    f"number_sum = {TABLE}.number_sum + excluded.number_sum, "
    f"number_count = {TABLE}.number_count + excluded.number_count, "
    f"number_max = CASE WHEN excluded.number_count > 0 AND excluded.number_max > {TABLE}.number_max "
    f"THEN excluded.number_max ELSE {TABLE}.number_max END"
)


def _strict_nodes(lineage: str) -> list[str]:
    """The nodes a report stored at this lineage counts under: its ancestors, not its own lineage."""
    return _nodes_of(lineage)[:-1]


def _approved_values(period: Period):
    return Value.objects.filter(report__period=period, report__status__in=APPROVED_STATUSES, number__isnull=False)


@transaction.atomic(savepoint=False)
def value_nodes_report_moved(*, report: Report, approved: bool) -> None:
    """The report entered (approved=True) or left the approved statuses: its numbers are added to or taken from
    the rows of every node above it. Called by the status mover after the report summaries (whose node lock on
    the period's root queues concurrent movers of a period, so these rows are written one mover at a time)."""
    nodes = _strict_nodes(report.lineage)
    numbers = dict(Value.objects.filter(report=report, number__isnull=False).values_list("indicator_id", "number"))
    if not nodes or not numbers:
        return
    sign = 1 if approved else -1
    # Sorted rows: concurrent upserts lock them in the same order.
    rows = [
        (report.period_id, node, indicator_id, sign * number, sign, number)
        for node in nodes
        for indicator_id, number in sorted(numbers.items())
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            UPSERT.format(rows=", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))),
            [param for row in rows for param in row],
        )
    if not approved:
        stored = ReportValueNode.objects.filter(period_id=report.period_id, lineage__in=nodes)
        stored.filter(number_count__lte=0).delete()
        _recount_max(report.period_id, stored, numbers)


def _recount_max(period_id: int, stored, removed: dict[int, Decimal]) -> None:
    """Recounts the maximum of the rows whose maximum was a number just taken away: one scan of the topmost such
    node's subtree for those indicators, each node's maximum filtered out of it, and one bulk update."""
    stale = [
        (pk, lineage, indicator_id)
        for pk, lineage, indicator_id, number_max in stored.filter(indicator_id__in=removed).values_list(
            "pk", "lineage", "indicator_id", "number_max"
        )
        if removed[indicator_id] >= number_max
    ]
    if not stale:
        return
    nodes = sorted({lineage for _pk, lineage, _indicator in stale})  # nested: the first is the topmost
    maxima = {
        indicator_id: figures
        for indicator_id, *figures in _approved_values(Period(pk=period_id))
        .filter(report__lineage__startswith=nodes[0], indicator_id__in={indicator for *_rest, indicator in stale})
        .values_list("indicator_id")
        .annotate(
            **{
                f"max_{position}": Max("number", filter=Q(report__lineage__startswith=node) & ~Q(report__lineage=node))
                for position, node in enumerate(nodes)
            }
        )
        .order_by()
    }
    ReportValueNode.objects.bulk_update(
        [
            ReportValueNode(pk=pk, number_max=maxima[indicator_id][nodes.index(lineage)])
            for pk, lineage, indicator_id in stale
        ],
        ["number_max"],
    )


# ---------------------------------------------------------------- check and rebuild
def _true_rows(period: Period) -> dict[tuple[str, int], tuple]:
    """{(node, indicator_id): (sum, count, max)} from the raw values: one GROUP BY per stored lineage, added up in
    every node above it."""
    rows: dict[tuple[str, int], list] = {}
    groups = (
        _approved_values(period)
        .values_list("report__lineage", "indicator_id")
        .annotate(number_sum=Sum("number"), number_count=Count("number"), number_max=Max("number"))
        .order_by()
    )
    for lineage, indicator_id, number_sum, number_count, number_max in groups:
        for node in _strict_nodes(lineage):
            row = rows.get((node, indicator_id))
            if row is None:
                rows[(node, indicator_id)] = [number_sum, number_count, number_max]
            else:
                row[0] += number_sum
                row[1] += number_count
                row[2] = max(row[2], number_max)
    return {key: tuple(row) for key, row in rows.items()}


def _differences(period: Period) -> tuple[dict, list]:
    true = _true_rows(period)
    stored = {
        (lineage, indicator_id): tuple(values)
        for lineage, indicator_id, *values in ReportValueNode.objects.filter(period=period).values_list(
            "lineage", "indicator_id", *FIELDS
        )
    }
    changed = {key: values for key, values in true.items() if stored.get(key) != values}
    return changed, [key for key in stored if key not in true]


def value_nodes_differences(*, stdout=None) -> int:
    """How many stored rows differ from the raw values, are missing or are extra; names the first few."""
    return period_rows_differences(differences=_differences, label="report value node", stdout=stdout)


def _write(period: Period, changed: dict, extra: list) -> None:
    for lineage, indicator_id in extra:
        ReportValueNode.objects.filter(period=period, lineage=lineage, indicator_id=indicator_id).delete()
    ReportValueNode.objects.bulk_create(
        [
            ReportValueNode(
                period=period,
                lineage=lineage,
                indicator_id=indicator_id,
                **dict(zip(FIELDS, values, strict=True)),
            )
            for (lineage, indicator_id), values in changed.items()
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["period", "lineage", "indicator"],
        update_fields=list(FIELDS),
    )


def value_nodes_rebuild(*, stdout=None) -> int:
    """Rewrites every period's rows from the raw values (one period at a time); returns how many it changed."""
    return period_rows_rebuild(differences=_differences, write=_write)
