"""Scale data for benchmarks: four quarters a year (2019, and the years after it with `years`) of reports for every
unit that must report in the 10,000-union tree, in bulk (some late, returned, approved, a few drafts). Bulk rows
bypass the services, so generate_scale rebuilds the summaries (registry.SUMMARIES) afterwards.

Idempotent: a unit/period that already has a report is skipped."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaign_portal.calendar import HANOI
from organizations.enums import Role, UnitKind
from organizations.models import Membership, Unit

from . import cycles
from .canonical_form import standard_form_version
from .enums import IndicatorType, PeriodScheme, PeriodType, ReportStatus
from .models import Report, ReportingCycle, Value
from .selectors import expected_units_q

SCALE_CYCLE_NAME = "Quy mô: báo cáo kết quả tuyên truyền CCHC 4 quý năm {year}"
FIRST_YEAR = 2019
SCALE_CYCLE = SCALE_CYCLE_NAME.format(year=FIRST_YEAR)
# An open cycle with no reports: the filing load test (locust) files into it.
SCALE_OPEN_CYCLE = "Quy mô: báo cáo nhanh (đang mở)"
SCOPE_KINDS = [
    UnitKind.DISTRICT_FEDERATION,
    UnitKind.INDUSTRY_UNION,
    UnitKind.DIRECT_SUPERIOR_UNION,
    UnitKind.GRASSROOTS_UNION,
]
BATCH = 2000


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.62:
        return ReportStatus.APPROVED
    if roll < 0.82:
        return ReportStatus.SUBMITTED
    if roll < 0.88:
        return ReportStatus.RETURNED
    return ReportStatus.DRAFT


def generate(*, stdout=None, years: int = 1, **kwargs) -> dict:
    version = standard_form_version()
    federation = Unit.objects.get(code="HN-LDLD")
    created = units = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        result = _generate_year(year=year, version=version, federation=federation, stdout=stdout)
        created, units = created + result["reports"], result["units"]
    open_cycle = ReportingCycle.objects.filter(name=SCALE_OPEN_CYCLE).first()
    if open_cycle is None:
        today = timezone.localdate()
        open_cycle = cycles.cycle_open(
            name=SCALE_OPEN_CYCLE,
            form_version=version,
            period_type=PeriodType.ONE_OFF,
            scope_kinds=SCOPE_KINDS,
            scope_root=federation,
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=5),
            by=None,
        )
    if stdout:
        stdout.write(f"  reporting: open scale period {open_cycle.periods.get().pk}")
    return {"reports": created, "units": units}


def _generate_year(*, year: int, version, federation: Unit, stdout) -> dict:
    """One quarterly cycle of the year, with a report per unit and quarter (the units of the live tree, which the
    scale tree has had since 2018)."""
    rng = random.Random(20190314 + year - FIRST_YEAR)  # 2019 stays what it always was
    name = SCALE_CYCLE_NAME.format(year=year)
    cycle = ReportingCycle.objects.filter(name=name).first() or cycles.cycle_open(
        name=name,
        form_version=version,
        period_type=PeriodType.QUARTER,
        year=year,
        scheme=PeriodScheme.CUTOFF_14,
        scope_kinds=SCOPE_KINDS,
        scope_root=federation,
        by=None,
        directive_reference="153/LĐLĐ",
    )
    periods = list(cycle.periods.all())
    indicators = [
        i
        for i in version.indicators.all()
        if i.type in (IndicatorType.INTEGER, IndicatorType.PERCENT, IndicatorType.BOOLEAN)
    ]
    results_text = version.indicators.get(code="results_text")
    units = list(
        Unit.objects.filter(expected_units_q(cycle))
        .order_by("path")
        .values_list("id", "path", "lineage", "member_count")
    )
    by_path = {path: pk for pk, path, _lineage, _members in units}
    by_path[federation.path] = federation.pk
    officers = dict(Membership.objects.filter(role=Role.OFFICER, is_active=True).values_list("unit_id", "user_id"))
    heads = dict(Membership.objects.filter(role=Role.HEAD, is_active=True).values_list("unit_id", "user_id"))
    existing = set(Report.objects.filter(cycle=cycle).values_list("unit_id", "period_id"))
    created = 0
    for period in periods:
        todo = [u for u in units if (u[0], period.pk) not in existing]
        for start in range(0, len(todo), BATCH):
            chunk = todo[start : start + BATCH]
            reports, value_specs = [], []
            for unit_id, path, lineage, members in chunk:
                status = _status(rng)
                parent_id = by_path.get(path[: -Unit.steplen])
                late = rng.random() < 0.15
                submitted_at = dt.datetime.combine(
                    period.due_on + dt.timedelta(days=rng.randint(1, 9) if late else -rng.randint(0, 6)),
                    dt.time(rng.randint(8, 17), rng.randint(0, 59)),
                    tzinfo=HANOI,
                )
                filed = status != ReportStatus.DRAFT
                approved = status == ReportStatus.APPROVED
                reports.append(
                    Report(
                        cycle=cycle,
                        period=period,
                        unit_id=unit_id,
                        lineage=lineage,
                        form_version=version,
                        status=status,
                        is_late=filed and late,
                        submitted_at=submitted_at if filed else None,
                        submitted_by_id=officers.get(unit_id) if filed else None,
                        created_by_id=officers.get(unit_id),
                        approved_at=submitted_at + dt.timedelta(days=3) if approved else None,
                        approved_by_id=heads.get(parent_id) if approved else None,
                        approved_level_id=parent_id if approved else None,
                    )
                )
                value_specs.append(max(members or 0, 20))
            with transaction.atomic():
                Report.objects.bulk_create(reports, batch_size=BATCH)
                values = []
                for report, members in zip(reports, value_specs, strict=True):
                    for indicator in indicators:
                        values.append(
                            Value(
                                report_id=report.pk, indicator_id=indicator.pk, number=_number(rng, indicator, members)
                            )
                        )
                    if rng.random() < 0.1:
                        values.append(
                            Value(
                                report_id=report.pk,
                                indicator_id=results_text.pk,
                                text="Đã phổ biến Kế hoạch 33/KH-UBND tới đoàn viên.",
                            )
                        )
                Value.objects.bulk_create(values, batch_size=BATCH)
            created += len(reports)
    if stdout:
        stdout.write(f"  reporting: {year}: {created} reports over {len(periods)} quarters for {len(units)} units")
    return {"reports": created, "units": len(units)}


def _number(rng: random.Random, indicator, members: int) -> Decimal:
    if indicator.type == IndicatorType.BOOLEAN:
        return Decimal(1 if rng.random() < 0.9 else 0)
    if indicator.type == IndicatorType.PERCENT:
        return Decimal(rng.randint(60, 100))
    code = indicator.code
    if code.endswith("_reached") or code == "online_services_members":
        return Decimal(rng.randint(members // 4, members))
    if code == "feedback_answered":
        return Decimal(0)  # never above feedback_received
    return Decimal(rng.randint(0, 5))
