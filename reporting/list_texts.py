"""Live roll-up texts: the non-empty texts of LIST-rollup indicators in a period's approved reports, each with the
lineage its report stored (ReportListText), so that a roll-up reads its subtree's few texts by lineage prefix instead
of scanning the values of every approved report of the period.

As for reporting.value_nodes, a report's stored lineage never changes and its values change only while it is
editable, so the rows change only when a report enters or leaves the approved statuses (reporting.services
._report_move): its texts are copied in, or deleted, in the transaction of the move.

The check and the rebuild (`manage.py portal_summaries`) compare the rows with the raw values, one period at a
time."""

from django.db import transaction

from .enums import APPROVED_STATUSES, Rollup
from .models import Period, Report, ReportListText, Value
from .summaries import period_rows_differences, period_rows_rebuild

FIELDS = ("period_id", "unit_id", "lineage", "text")


def _texts(values) -> dict[tuple[int, int], tuple]:
    """{(report_id, indicator_id): (period_id, unit_id, lineage, text)} of the LIST indicators' non-empty texts."""
    return {
        (report_id, indicator_id): tuple(rest)
        for report_id, indicator_id, *rest in values.filter(indicator__rollup=Rollup.LIST)
        .exclude(text="")
        .values_list("report_id", "indicator_id", "report__period_id", "report__unit_id", "report__lineage", "text")
    }


def _rows(texts: dict[tuple[int, int], tuple]) -> list[ReportListText]:
    return [
        ReportListText(report_id=report_id, indicator_id=indicator_id, **dict(zip(FIELDS, rest, strict=True)))
        for (report_id, indicator_id), rest in texts.items()
    ]


@transaction.atomic(savepoint=False)
def list_texts_report_moved(*, report: Report, approved: bool) -> None:
    """The report entered (approved=True) or left the approved statuses: its texts are copied in or taken out."""
    if approved:
        ReportListText.objects.bulk_create(_rows(_texts(Value.objects.filter(report=report))))
    else:
        ReportListText.objects.filter(report=report).delete()


# ---------------------------------------------------------------- check and rebuild
def _differences(period: Period) -> tuple[dict, list]:
    true = _texts(Value.objects.filter(report__period=period, report__status__in=APPROVED_STATUSES))
    stored = {
        (report_id, indicator_id): tuple(rest)
        for report_id, indicator_id, *rest in ReportListText.objects.filter(period=period).values_list(
            "report_id", "indicator_id", *FIELDS
        )
    }
    changed = {key: values for key, values in true.items() if stored.get(key) != values}
    return changed, [key for key in stored if key not in true]


def list_texts_differences(*, stdout=None) -> int:
    """How many stored rows differ from the raw values, are missing or are extra; names the first few."""
    return period_rows_differences(differences=_differences, label="report list text", stdout=stdout)


def _write(period: Period, changed: dict, extra: list) -> None:
    for report_id, indicator_id in extra:
        ReportListText.objects.filter(report_id=report_id, indicator_id=indicator_id).delete()
    ReportListText.objects.bulk_create(
        _rows(changed),
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["report", "indicator"],
        update_fields=["period", "unit", "lineage", "text"],
    )


def list_texts_rebuild(*, stdout=None) -> int:
    """Rewrites every period's rows from the raw values (one period at a time); returns how many it changed."""
    return period_rows_rebuild(differences=_differences, write=_write)
