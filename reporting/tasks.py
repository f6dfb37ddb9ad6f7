"""Celery tasks of reporting: each fetches by id and calls a service."""

from celery import shared_task

from campaign_portal.background import delay_on_commit
from signatures.selectors import signing_overdue

from .enums import FILED_STATUSES
from .models import Report
from .signing import report_sign_once


@shared_task(name="reporting.report_sign", acks_late=True, soft_time_limit=120, time_limit=150)
def report_sign(*, report_id: int) -> None:
    report_sign_once(report_id=report_id)


def signing_catch_up(*, now) -> int:
    """The sweep's catch-up (registry.CATCH_UPS): queue again the signing of filed reports whose task was lost."""
    filed = Report.objects.filter(status__in=FILED_STATUSES)
    pending = signing_overdue(filed, since_field="submitted_at", now=now)
    delay_on_commit(report_sign, [{"report_id": pk} for pk in pending], what="report signing")
    return len(pending)
