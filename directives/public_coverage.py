"""Reads for the public home page: how far the newest city directive has gone down the cascade. Kept apart from
directives.selectors (already long); it reuses the cascade selectors the issuer's cascade page uses."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from organizations.enums import UnitKind

from .enums import DocumentStatus
from .models import DeliverySummary, Document
from .selectors import cascade_document_ids, cascade_levels, cascade_totals


@dataclass(frozen=True)
class DirectiveCoverage:
    document: Document
    delivered: int
    acknowledged_pct: float
    implemented_pct: float


def newest_city_directive() -> Document | None:
    """The newest document issued by the city federation that reached at least one unit. One query."""
    return (
        Document.objects.filter(
            status=DocumentStatus.ISSUED, issuing_unit__kind=UnitKind.CITY_FEDERATION, deliveries__isnull=False
        )
        .only("id", "number_symbol", "subject", "issued_on", "doc_type")
        .order_by("-issued_on", "-pk")
        .first()
    )


def newest_directive_coverage() -> DirectiveCoverage | None:
    """Share of the units reached by the newest city directive, or by a document implementing it, that acknowledged
    and that implemented it (a few queries: one per level of the cascade, one for the counts on the summary rows)."""
    document = newest_city_directive()
    if document is None:
        return None
    summaries = DeliverySummary.objects.filter(document_id__in=cascade_document_ids(document))
    totals = cascade_totals(cascade_levels(summaries))
    delivered = totals["delivered"]
    return DirectiveCoverage(
        document=document,
        delivered=delivered,
        acknowledged_pct=round(100 * totals["acknowledged"] / (delivered or 1), 1),
        implemented_pct=totals["implemented_pct"],
    )


def directive_coverage_stamp() -> str:
    """Changes when a document is delivered, or a delivery is acknowledged or its outcome is recorded. One query,
    on the narrow summary rows."""
    row = DeliverySummary.objects.aggregate(
        n=Count("pk"),
        last_document=Max("document_id"),
        acknowledged=Count("pk", filter=Q(is_acknowledged=True)),
        implemented=Count("pk", filter=Q(is_implemented=True)),
    )
    return repr(sorted(row.items()))
