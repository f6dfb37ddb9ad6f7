"""Celery tasks of reporting: each fetches by id and calls a service."""

import datetime as dt

from celery import shared_task

from campaign_portal.background import delay_on_commit

from .signing import report_sign_once, reports_to_sign

# The sweep leaves a fresh submission to its own task, and looks back far enough to outlast a broker outage.
SIGN_GRACE = dt.timedelta(minutes=5)
SIGN_LOOKBACK = dt.timedelta(days=7)


@shared_task(name="reporting.report_sign", acks_late=True, soft_time_limit=120, time_limit=150)
def report_sign(*, report_id: int) -> None:
    report_sign_once(report_id=report_id)


def signing_catch_up(*, now) -> int:
    """The sweep's catch-up (registry.CATCH_UPS): queue again the signing of the last week's submissions whose
    task was lost (the broker down, a worker killed). A fresh submission is left to its own task."""
    pending = reports_to_sign(filed_before=now - SIGN_GRACE, filed_after=now - SIGN_LOOKBACK)
    delay_on_commit(report_sign, [{"report_id": pk} for pk in pending], what="report signing")
    return len(pending)
