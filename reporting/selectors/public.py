"""What the public home page may show of the reporting: the campaign's results of the latest closed period,
approved figures only, rolled up for the whole city by the same roll-up the officers' dashboard uses."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from ..enums import APPROVED_STATUSES
from ..models import Period, Report
from .figures import rollup
from .scope import cycle_scope_root, unit_was_expected

# The few counts of the standard form that mean something to a citizen (reporting.canonical_form); the others
# (percentages, yes/no, choices, free text) do not add up into a city-wide figure worth publishing.
PUBLIC_INDICATOR_CODES = ("meeting_sessions", "meeting_reached", "good_models", "feedback_answered")


@dataclass(frozen=True)
class PublicFigure:
    label: str
    measure_unit: str
    value: Decimal


@dataclass(frozen=True)
class CampaignResults:
    period: Period
    approved_units: int
    expected_units: int
    figures: list[PublicFigure]


def latest_public_period(*, today: dt.date | None = None) -> Period | None:
    """The newest period closed for filing (its lock date passed) that has an approved report. One query; EXISTS, not
    a join, so that PostgreSQL probes the periods newest first instead of joining every approved report (48 → 5 ms)."""
    today = today or timezone.localdate()
    approved = Report.objects.filter(period=OuterRef("pk"), status__in=APPROVED_STATUSES)
    return (
        Period.objects.filter(Exists(approved), locks_on__lte=today)
        .select_related("cycle__form_version", "cycle__scope_root")
        .order_by("-ends_on", "-pk")
        .first()
    )


def campaign_results(*, today: dt.date | None = None) -> CampaignResults | None:
    """The city-wide roll-up of the latest closed period, keeping only approved figures: the reports approved below
    the cycle's root, and the root's own report only once it is approved itself."""
    period = latest_public_period(today=today)
    root = cycle_scope_root(period.cycle) if period else None
    if root is None:
        return None
    data = rollup(period=period, unit=root)
    own_report = data["own_report"]
    own_approved = own_report is not None and own_report.status in APPROVED_STATUSES
    figures = []
    for row in data["rows"]:
        if row.indicator.code not in PUBLIC_INDICATOR_CODES:
            continue
        value = (row.children or 0) + ((row.own or 0) if own_approved else 0)
        figures.append(PublicFigure(row.indicator.label, row.indicator.measure_unit, value))
    return CampaignResults(
        period=period,
        approved_units=data["approved_below"] + int(own_approved),
        expected_units=data["expected_below"]
        + int(unit_was_expected(cycle=period.cycle, unit=root, on=period.ends_on)),
        figures=figures,
    )


def campaign_results_stamp() -> str:
    """Changes when a report is approved or loses its approval, and each day (a period closes on a date). One query,
    answered from the (status, approved_at) index alone: COUNT(*), as COUNT(id) would read every row for its id."""
    approved = Report.objects.filter(status__in=APPROVED_STATUSES).aggregate(n=Count("*"), last=Max("approved_at"))
    return f"{timezone.localdate()}:{approved['n']}:{approved['last']}"
