"""Delivery summaries: one narrow DeliverySummary row per delivery, the facts the cascade's counts read.

delivery_summary_rows computes the true rows from the raw deliveries; every write path that changes those facts
(deliveries_create at issue, deliveries_set_outcome for reading, acknowledging and every outcome, the scale
world's synthetic deadlines) calls delivery_summaries_refresh in its own transaction, and `manage.py
portal_summaries` compares (delivery_summary_differences) or repairs (delivery_summaries_rebuild) with the same
computation (registered in apps.ready as registry.SUMMARIES)."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate

from campaign_portal.calendar import HANOI
from campaign_portal.db_statistics import tables_analyze

from .enums import IMPLEMENTED_OUTCOMES
from .models import Delivery, DeliverySummary

# The stored columns, in the order delivery_summary_rows selects them.
SUMMARY_COLUMNS = (
    "delivery_id",
    "document_id",
    "unit_id",
    "lineage",
    "depth",
    "unit_kind",
    "due_on",
    "is_read",
    "is_acknowledged",
    "is_implemented",
    "completed_on",
)
SHOWN_DIFFERENCES = 20  # what the check writes out; the count covers them all


def _is(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def delivery_summary_rows(*, document_ids: Iterable[int] | None = None, unit_ids: Iterable[int] | None = None):
    """The true summary rows of the deliveries of these documents (all: None), optionally only to these units,
    computed from the raw rows in one query: tuples in SUMMARY_COLUMNS order."""
    deliveries = Delivery.objects.order_by()
    if document_ids is not None:
        deliveries = deliveries.filter(document_id__in=list(document_ids))
    if unit_ids is not None:
        deliveries = deliveries.filter(unit_id__in=list(unit_ids))
    return deliveries.annotate(
        delivery_id=F("id"),
        is_read=_is(Q(read_at__isnull=False)),
        is_acknowledged=_is(Q(acknowledged_at__isnull=False)),
        is_implemented=_is(Q(outcome__in=IMPLEMENTED_OUTCOMES)),
        # The Hanoi day, as Delivery.is_late compares it with the due date.
        completed_on=TruncDate("completed_at", tzinfo=HANOI),
    ).values_list(*SUMMARY_COLUMNS)


def delivery_summaries_refresh(*, document_ids: Iterable[int], unit_ids: Iterable[int] | None = None) -> None:
    """Rewrites the summary rows of these documents' deliveries (optionally only to these units) from the raw rows,
    in the caller's transaction: one DELETE and one INSERT … SELECT, whatever the number of rows."""
    document_ids = list(document_ids)
    unit_ids = None if unit_ids is None else list(unit_ids)
    stale = DeliverySummary.objects.filter(document_id__in=document_ids)
    if unit_ids is not None:
        stale = stale.filter(unit_id__in=unit_ids)
    stale._raw_delete(stale.db)  # nothing refers to a summary row: no cascade to collect
    sql, params = delivery_summary_rows(document_ids=document_ids, unit_ids=unit_ids).query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(DeliverySummary._meta.get_field(c).column) for c in SUMMARY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(DeliverySummary._meta.db_table)} ({columns}) {sql}", params)


def _stored_rows(document_ids=None) -> QuerySet:
    rows = DeliverySummary.objects.order_by()
    if document_ids is not None:
        rows = rows.filter(document_id__in=document_ids)
    return rows.values_list(*SUMMARY_COLUMNS)


def _differing(stdout=None) -> tuple[int, set[int]]:
    """How many stored rows differ from the true ones (or are missing or extra), and their documents."""
    true_rows = {row[0]: row for row in delivery_summary_rows()}
    stored = {row[0]: row for row in _stored_rows()}
    differing = sorted(pk for pk in true_rows.keys() | stored.keys() if true_rows.get(pk) != stored.get(pk))
    for pk in differing[:SHOWN_DIFFERENCES]:
        if stdout is not None:
            stdout.write(f"  delivery {pk}: stored {stored.get(pk)}, true {true_rows.get(pk)}")
    documents = {(true_rows.get(pk) or stored[pk])[1] for pk in differing}
    return len(differing), documents


def delivery_summary_differences(*, stdout=None) -> int:
    """How many summary rows differ from the deliveries (missing, extra or changed); the first ones are written."""
    count, _documents = _differing(stdout)
    return count


def delivery_summaries_rebuild(*, stdout=None) -> int:
    """Rewrites the summaries of every document with a differing row, then refreshes the planner's statistics of
    the table (a bulk rewrite leaves none); returns how many rows differed."""
    with transaction.atomic():
        count, documents = _differing()
        if documents:
            delivery_summaries_refresh(document_ids=sorted(documents))
            tables_analyze(models=[DeliverySummary])
    return count
