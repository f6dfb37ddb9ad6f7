"""Reporting periods as Vietnam's reporting regime defines them (Nghị định 09/2019/NĐ-CP):
data are cut off on the 14th, and the report is due a few working days later
(weekends and Vietnamese public holidays, Tết included, do not count: campaign_portal.calendar)."""

import datetime as dt
from dataclasses import dataclass

from .enums import PeriodScheme, PeriodType


@dataclass(frozen=True)
class PeriodSpec:
    label: str
    starts_on: dt.date
    ends_on: dt.date


def _month_start(year: int, month: int) -> dt.date:
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def _last_day(year: int, month: int) -> dt.date:
    first_next = _month_start(year, month + 1) if month < 12 else dt.date(year + 1, 1, 1)
    return first_next - dt.timedelta(days=1)


def _span(year: int, first_month: int, last_month: int, scheme: str) -> tuple[dt.date, dt.date]:
    """[first_month, last_month] of `year`; with the 14th cut-off, from the 15th of the
    month before first_month to the 14th of last_month."""
    if scheme == PeriodScheme.CUTOFF_14:
        before = _month_start(year, first_month - 1)
        return before.replace(day=15), dt.date(year, last_month, 14)
    return dt.date(year, first_month, 1), _last_day(year, last_month)


def periods_for(*, period_type: str, year: int, scheme: str = PeriodScheme.CUTOFF_14) -> list[PeriodSpec]:
    if period_type == PeriodType.MONTH:
        return [PeriodSpec(f"Tháng {m}/{year}", *_span(year, m, m, scheme)) for m in range(1, 13)]
    if period_type == PeriodType.QUARTER:
        return [PeriodSpec(f"Quý {q}/{year}", *_span(year, 3 * q - 2, 3 * q, scheme)) for q in range(1, 5)]
    if period_type == PeriodType.HALF_YEAR:
        return [
            PeriodSpec(f"6 tháng đầu năm {year}", *_span(year, 1, 6, scheme)),
            PeriodSpec(f"6 tháng cuối năm {year}", *_span(year, 7, 12, scheme)),
        ]
    if period_type == PeriodType.YEAR:
        return [PeriodSpec(f"Năm {year}", *_span(year, 1, 12, scheme))]
    raise ValueError(f"periods of type {period_type} are given explicitly")
