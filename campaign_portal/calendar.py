"""The portal's one calendar: Hanoi's time zone and Vietnam's working days.

Working days skip weekends and Vietnamese public holidays (Tết included), as both the
reporting regime (Nghị định 09/2019/NĐ-CP) and the feedback answer deadline count them."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils.translation import gettext

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


def deadline_text(value: dt.datetime | dt.date | None) -> str:
    """A deadline written so that nobody misreads it: the last minute (or day) still inside it.

    A window that closes at 27/02/2027 00:00 accepts work until 23:59 on 26/02/2027: "hết 23 giờ 59 ngày
    26/02/2027". A date-only deadline includes its whole day. One wording for every page, mail and PDF."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        local = value.astimezone(HANOI) if value.tzinfo else value
        # Closing instants are exclusive: the last accepted minute is the one before.
        last = local - dt.timedelta(minutes=1) if (local.second, local.microsecond) == (0, 0) else local
        return gettext("hết %(hour)s giờ %(minute)s ngày %(date)s") % {
            "hour": f"{last.hour:02d}",
            "minute": f"{last.minute:02d}",
            "date": last.strftime("%d/%m/%Y"),
        }
    return gettext("hết ngày %(date)s") % {"date": value.strftime("%d/%m/%Y")}
