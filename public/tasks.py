"""Celery tasks of the public face: primitive keyword arguments, explicit names, retried on mail-server errors."""

import smtplib

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .emails import feedback_tracking_code
from .models import Feedback

# The mail server down or refusing for a while: try again with backoff.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(
    name="public.feedback_send_tracking_code",
    acks_late=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=5,
)
def feedback_send_tracking_code(*, feedback_id: int, language: str = "") -> bool:
    """Once per feedback: the row is locked (another worker on it makes this one step aside), the mail sent and
    the row marked in one transaction, so a retried or duplicated task sends no second mail. The sender has no
    account, so this is not the notification outbox's (it addresses accounts); it keeps the outbox's guarantee."""
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("unit")
            .filter(pk=feedback_id, tracking_code_mailed_at__isnull=True)
            .first()
        )
        if feedback is None:
            return False  # mailed already, gone, or in another worker's hands
        message = feedback_tracking_code(feedback=feedback, language=language or None)
        if message is None:
            return False
        message.send(fail_silently=False)
        feedback.tracking_code_mailed_at = timezone.now()
        feedback.save(update_fields=["tracking_code_mailed_at"])
        return True
