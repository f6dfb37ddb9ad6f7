"""Reminder windows, computed on the calendar of Asia/Ho_Chi_Minh.

A window is the part of the idempotency key that says *which* reminder this is:
the same report gets one "before" reminder, one "on the day" reminder, and one
"after" reminder per week while it is missing."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from campaign_portal.calendar import HANOI

BEFORE_DAYS = 3
AFTER_FIRST_DAYS = 1
AFTER_EVERY_DAYS = 7


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(HANOI)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return local_now(now).date()


@dataclass(frozen=True, slots=True)
class DeadlineWindow:
    phase: str  # "before" | "on" | "after"
    key: str
    days_late: int = 0


def deadline_window(
    *,
    due_on: dt.date,
    today: dt.date,
    before_days: int = BEFORE_DAYS,
    after_first_days: int = AFTER_FIRST_DAYS,
    after_every_days: int = AFTER_EVERY_DAYS,
) -> DeadlineWindow | None:
    """The window `today` falls in for something due on `due_on` (and still missing), or None."""
    days_left = (due_on - today).days
    if 0 < days_left <= before_days:
        return DeadlineWindow("before", f"{due_on.isoformat()}:before")
    if days_left == 0:
        return DeadlineWindow("on", f"{due_on.isoformat()}:on")
    days_late = -days_left
    if days_late >= after_first_days:
        step = (days_late - after_first_days) // after_every_days
        return DeadlineWindow(
            "after", f"{due_on.isoformat()}:after+{after_first_days + step * after_every_days}", days_late
        )
    return None


def earliest_due_in_window(today: dt.date, before_days: int = BEFORE_DAYS) -> dt.date:
    """Anything due after this date is not yet in any window (providers filter on it)."""
    return today + dt.timedelta(days=before_days)


def daily_window(today: dt.date) -> str:
    """For reminders repeated at most once a day (heads' digest, judges)."""
    return today.isoformat()


def weekly_window(today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"
