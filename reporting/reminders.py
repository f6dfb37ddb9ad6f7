"""Reporting's reminders, found by notifications' sweep (owned by the notifications app).

A few set-based queries: the periods in a reminder window, then per period the
officers of expected units that have not filed, then heads of their parents."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Exists, Min, OuterRef

from notifications.enums import NotificationKind as K
from notifications.specs import ReminderSpec, url_or
from notifications.windows import daily_window, deadline_window, earliest_due_in_window, local_today
from organizations.enums import Role
from organizations.models import Membership
from organizations.selectors import unit_officers

from .enums import FILED_STATUSES
from .models import Period, Report
from .selectors import expected_units_q, review_waiting_counts

KINDS = (K.REPORT_DUE_SOON, K.REPORT_DUE_TODAY, K.REPORT_OVERDUE, K.REPORT_CHILDREN_DIGEST)
PHASE_KIND = {"before": K.REPORT_DUE_SOON, "on": K.REPORT_DUE_TODAY, "after": K.REPORT_OVERDUE}
UNIT = "organizations.unit"
# What due_reminders reads (the sweep skips a tick where none of them changed).
WATCHES = (
    "reporting.Period",
    "reporting.ReportingCycle",
    "reporting.Report",
    "organizations.Unit",
    "organizations.Membership",
)


def open_periods(today: dt.date):
    """Periods whose deadline window has started and that can still be filed."""
    return (
        Period.objects.filter(due_on__lte=earliest_due_in_window(today), locks_on__gt=today)
        .select_related("cycle", "cycle__scope_root")
        .order_by("due_on", "id")
    )


def missing_officers(period: Period, *, now: dt.datetime):
    """(user_id, unit_id, unit name, unit code) for officers of expected units not filed at `now`: one query."""
    # cycle + period + unit: the one-report-per-unit unique index answers the anti-join.
    filed = Report.objects.filter(
        cycle_id=period.cycle_id,
        period=period,
        unit_id=OuterRef("unit_id"),
        status__in=FILED_STATUSES,
        submitted_at__lte=now,
    )
    return (
        unit_officers()
        .filter(expected_units_q(period.cycle, prefix="unit__"), unit__active_from__lte=period.ends_on)
        .filter(~Exists(filed))
        .values_list("user_id", "unit_id", "unit__name", "unit__code")
    )


def missing_units(period: Period, *, now: dt.datetime):
    """(unit_id, path) of expected units not filed at `now`, whether or not they have an officer."""
    from organizations.models import Unit

    filed = Report.objects.filter(
        cycle_id=period.cycle_id,
        period=period,
        unit_id=OuterRef("pk"),
        status__in=FILED_STATUSES,
        submitted_at__lte=now,
    )
    return (
        Unit.objects.filter(expected_units_q(period.cycle), active_from__lte=period.ends_on)
        .filter(~Exists(filed))
        .values_list("pk", "path")
    )


def due_reminders(*, now: dt.datetime) -> Iterator[ReminderSpec]:
    today = local_today(now)
    periods = list(open_periods(today))
    for period in periods:
        window = deadline_window(due_on=period.due_on, today=today)
        if window is None:
            continue
        title = period.title
        # One reverse() per period: the unit code is substituted per row.
        url = url_or("reporting:file_report", [period.pk, "UNITCODE"], "/reports/")
        days_left = (period.due_on - today).days
        for user_id, unit_id, unit_name, code in missing_officers(period, now=now):
            yield ReminderSpec(
                recipient_id=user_id,
                kind=PHASE_KIND[window.phase],
                subject_model=UNIT,
                subject_id=unit_id,
                window=f"p{period.pk}:{window.key}",
                payload={
                    "title": title,
                    "unit": unit_name,
                    "due": period.due_on.isoformat(),
                    "url": url.replace("UNITCODE", code),
                    "days_left": days_left,
                    "days_late": window.days_late,
                },
            )
    yield from _heads_digest(periods=periods, today=today, now=now)


def _heads_digest(*, periods: list[Period], today: dt.date, now: dt.datetime) -> Iterator[ReminderSpec]:
    """Heads of a parent unit: how many children are late, how many reports wait for review."""
    late: dict[str, int] = defaultdict(int)
    for period in periods:
        if period.due_on < today:
            for _unit_id, path in missing_units(period, now=now):
                late[path[:-4]] += 1
    # What waits in each head's review queue, counted by the queue's own rule (two-step cycles included).
    pending = review_waiting_counts()
    parent_paths = {p for p in (set(late) | set(pending)) if p}
    if not parent_paths:
        return
    heads = Membership.objects.filter(role=Role.HEAD, is_active=True, unit__path__in=parent_paths).values_list(
        "user_id", "unit_id", "unit__name", "unit__path"
    )
    url = url_or("reporting:review_queue", [], "/reports/")
    for user_id, unit_id, unit_name, path in heads:
        yield ReminderSpec(
            recipient_id=user_id,
            kind=K.REPORT_CHILDREN_DIGEST,
            subject_model=UNIT,
            subject_id=unit_id,
            window=daily_window(today),
            payload={"unit": unit_name, "late": late.get(path, 0), "pending": pending.get(path, 0), "url": url},
        )


def changes_at(*, now: dt.datetime) -> dt.datetime | None:
    """A report counts as filed from its submission time: one stamped later than `now` turns the answer then.
    The deadline windows turn at midnight."""
    return Report.objects.filter(submitted_at__gt=now).aggregate(first=Min("submitted_at"))["first"]
