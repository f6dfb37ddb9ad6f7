"""Celery tasks of the public face: primitive keyword arguments, explicit names, retried on mail-server errors."""

import smtplib

from celery import shared_task

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
def feedback_send_tracking_code(*, feedback_id: int, language: str = "") -> None:
    feedback = Feedback.objects.filter(pk=feedback_id).select_related("unit").first()
    if feedback is None:
        return
    message = feedback_tracking_code(feedback=feedback, language=language or None)
    if message is not None:
        message.send(fail_silently=False)
