"""The portal's one calendar: Hanoi's time zone and Vietnam's working days.

Working days skip weekends and Vietnamese public holidays (Tết included), as both the
reporting regime (Nghị định 09/2019/NĐ-CP) and the feedback answer deadline count them."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

# The campaign runs in Hanoi; settings.TIME_ZONE is that zone, named once.
HANOI = ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=32)
def _vn_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _vn_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself is not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def days_overdue(due_on: dt.date | None, today: dt.date) -> int:
    """Calendar days past a due date (the "Quá hạn N ngày" of every list); 0 when not yet due or no due date."""
    if due_on is None:
        return 0
    return max((today - due_on).days, 0)
