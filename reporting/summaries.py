"""Live report summaries: one ReportSummary row per (period, unit) that had to report on the period's reference
date or has a report, with its status, on-time and approved flags and its lineage then.

One function (_true_rows) computes the rows from the raw ones (periods, placements, units, reports); the same
function serves the live update (summaries_refresh, called by every write that changes a report's status or who
is expected, inside that write's transaction) and the check and rebuild of `manage.py portal_summaries`. So the
rows are consistent by construction, and the check proves that no write path forgot to call it."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from organizations.models import Unit, UnitPlacement
from organizations.selectors import valid_on_q

from .enums import APPROVED_STATUSES, FILED_STATUSES
from .models import Period, Report, ReportSummary
from .selectors.scope import Lineages, scope_on

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


def _differences(periods: list[Period], unit_ids: set[int] | None) -> tuple[dict, list]:
    """The rows to write (missing or different) and the keys of the rows to delete (no longer true)."""
    true, stored = _true_rows(periods, unit_ids), _stored_rows(periods, unit_ids)
    changed = {key: values for key, values in true.items() if stored.get(key) != values}
    extra = [key for key in stored if key not in true]
    return changed, extra


def summaries_refresh(*, periods: Iterable[Period], units: Iterable[Unit | int] | None = None) -> int:
    """Makes the summary rows of these periods (of these units only, when given) true to the raw rows; returns
    how many it wrote or deleted. Called inside the transaction of every change a summary depends on."""
    if isinstance(periods, QuerySet):
        periods = periods.select_related("cycle__scope_root")
    periods = list(periods)
    unit_ids = None if units is None else {u.pk if isinstance(u, Unit) else u for u in units}
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
    return len(changed) + len(extra)


def summaries_report_changed(*, report: Report) -> None:
    """A report was made or changed status: its row takes the report's columns. The row's other columns (where
    the unit stood, whether it was expected) change only with the tree or the period, so one UPDATE does on the
    filing and review paths; a unit that was not expected has no row yet and gets it by summaries_refresh."""
    columns = _report_columns(status=report.status, is_late=report.is_late, lineage=report.lineage)
    if not ReportSummary.objects.filter(period_id=report.period_id, unit_id=report.unit_id).update(**columns):
        summaries_refresh(periods=[report.period], units=[report.unit_id])


def summaries_differences(*, stdout=None) -> int:
    """How many stored rows differ from the raw rows, are missing or are extra, over every period (one at a time);
    names the first few on stdout."""
    total = 0
    for period in Period.objects.select_related("cycle__scope_root").order_by("pk"):
        changed, extra = _differences([period], None)
        stored = _stored_rows([period], {unit_id for _period, unit_id in changed}) if changed else {}
        for key in [*changed, *extra]:
            total += 1
            if stdout is not None and total <= NAMED_DIFFERENCES:
                state = "extra" if key not in changed else ("differs" if key in stored else "missing")
                stdout.write(f"  report summary (period {key[0]}, unit {key[1]}): {state}")
    return total


def summaries_rebuild(*, stdout=None) -> int:
    """Rewrites every period's rows from the raw rows (one period at a time); returns how many it changed."""
    periods = Period.objects.select_related("cycle__scope_root").order_by("pk")
    return sum(summaries_refresh(periods=[period]) for period in periods)


def summaries_follow_tree(sender, *, unit_ids: list[int], since, **kwargs) -> None:
    """A unit was created, moved (with its subtree), dissolved or changed kind (organizations.signals.units_placed,
    sent inside the change's transaction): the rows of the periods whose reference date falls on or after the
    change (every period when `since` is None), for those units only."""
    periods = Period.objects.all() if since is None else Period.objects.filter(ends_on__gte=since)
    summaries_refresh(periods=periods, units=unit_ids)
