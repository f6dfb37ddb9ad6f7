"""Celery tasks: primitive keyword arguments, explicit names, acks_late, idempotent.
Beat runs `notifications.sweep` (schedules live in the database, django-celery-beat)."""

import datetime as dt
import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from campaign_portal import registry
from campaign_portal.background import chunks, delay_on_commit

from . import delivery, services
from .selectors import recipients_due_for_digest

RETRY_BACKOFF = settings.NOTIFICATIONS_RETRY_BACKOFF
RETRY_JITTER = settings.NOTIFICATIONS_RETRY_JITTER
# The mail server, or the database restarting: try again later (the rows stay waiting meanwhile).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, OperationalError, InterfaceError)
# Every task that sends mail: retried with exponential backoff, MAX_ATTEMPTS tries in all.
SENDING_TASK = dict(
    acks_late=True,
    ignore_result=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=3600,
    retry_jitter=RETRY_JITTER,
    max_retries=services.MAX_ATTEMPTS,
)

logger = logging.getLogger(__name__)
WAITING_AGAIN_AFTER = dt.timedelta(minutes=10)
# People served per task. Per person, a task's own overhead cost the worker as much as the work: the morning's
# 10,000 digests and the deadline day's thousands of urgent reminders now go out in a few dozen tasks.
URGENT_BATCH = 200
DIGEST_BATCH = 50  # a mail each: a batch retried after one person's failure stays short
CHANNEL_MESSAGE_BATCH = 50  # deadline day: an urgent e-mail to each of thousands of officers


def _parse_now(now: str | None) -> dt.datetime | None:
    return parse_datetime(now) if now else None


def enqueue_digests(*, recipient_ids: list[int], now: str | None = None, force: bool = False) -> None:
    """One digest task per batch of people (one SMTP connection each)."""
    calls = [{"recipient_ids": batch, "now": now, "force": force} for batch in chunks(recipient_ids, DIGEST_BATCH)]
    delay_on_commit(send_digests, calls, what="digests")


def enqueue_immediate(*, notification_id: int) -> None:
    """The send task of one transactional e-mail."""
    delay_on_commit(send_immediate, [{"notification_id": notification_id}], what="e-mail")


def enqueue_urgent(*, recipient_ids: list[int]) -> None:
    """One task per batch of people with urgent notifications."""
    calls = [{"recipient_ids": batch} for batch in chunks(recipient_ids, URGENT_BATCH)]
    delay_on_commit(send_urgent, calls, what="urgent items")


def enqueue_channel_messages(*, message_ids: list[int]) -> None:
    """One send task per batch of channel messages (Zalo, SMS, urgent e-mail)."""
    calls = [{"message_ids": batch} for batch in chunks(message_ids, CHANNEL_MESSAGE_BATCH)]
    delay_on_commit(send_channel_messages, calls, what="messages")


@shared_task(name="notifications.sweep", acks_late=True, ignore_result=True)
def sweep(*, now: str | None = None) -> dict:
    """Inserts what is due (once), then queues the digests that are due, any transactional e-mail left waiting
    (broker down when it was queued) and the other apps' lost work (registry.CATCH_UPS)."""
    moment = _parse_now(now) or timezone.now()
    with transaction.atomic():
        result = services.reminders_sweep(now=moment)
        due = recipients_due_for_digest(now=moment)
        enqueue_digests(recipient_ids=due, now=now)
        waiting = services.immediate_waiting_ids(now=moment)
        for notification_id in waiting:
            enqueue_immediate(notification_id=notification_id)
        # Urgent items and channel messages left waiting (broker down when they were queued).
        urgent = delivery.urgent_waiting_recipients(older_than=WAITING_AGAIN_AFTER, now=moment)
        enqueue_urgent(recipient_ids=urgent)
        queued = delivery.channel_messages_waiting(older_than=WAITING_AGAIN_AFTER, now=moment)
        enqueue_channel_messages(message_ids=queued)
        # The other apps' work whose task was lost (their signing, say), queued again.
        caught_up = sum(catch_up(now=moment) for catch_up in registry.CATCH_UPS)
    return {
        "due": result.due,
        "withdrawn": result.withdrawn,
        "digests": len(due),
        "immediate": len(waiting),
        "urgent": len(urgent),
        "channel_messages": len(queued),
        "caught_up": caught_up,
    }


@shared_task(name="notifications.dispatch_digests", acks_late=True, ignore_result=True)
def dispatch_digests(*, now: str | None = None) -> int:
    moment = _parse_now(now) or timezone.now()
    with transaction.atomic():
        due = recipients_due_for_digest(now=moment)
        enqueue_digests(recipient_ids=due, now=now)
    return len(due)


# The batch tasks were renamed with their arguments: a message of an old one-person or one-message task left in
# the broker at deploy is refused as unknown, and its rows, still waiting, are queued again by the sweep.
@shared_task(name="notifications.send_digest_batch", **SENDING_TASK)
def send_digests(*, recipient_ids: list[int], now: str | None = None, force: bool = False) -> int:
    """Idempotent: a second run finds nothing pending (or the day's digest already sent), so a retried batch
    only serves those still waiting."""
    return services.digests_send(recipient_ids=recipient_ids, now=_parse_now(now), force=force)


@shared_task(name="notifications.send_immediate", **SENDING_TASK)
def send_immediate(*, notification_id: int) -> bool:
    """Idempotent: a row already sent (or given up) is skipped, so one mail per key at most."""
    return services.immediate_send(notification_id=notification_id)


@shared_task(name="notifications.send_urgent_batch", **SENDING_TASK)
def send_urgent(*, recipient_ids: list[int]) -> int:
    """Idempotent: urgent rows already turned into channel messages are not pending any more, so a retried
    batch only serves those still waiting."""
    return len(delivery.urgent_send(recipient_ids=recipient_ids))


@shared_task(name="notifications.send_channel_message_batch", **SENDING_TASK)
def send_channel_messages(*, message_ids: list[int]) -> int:
    """Idempotent: a message sent, failed or in another worker's hands is skipped, so one per key at most, and a
    retried batch only sends those still queued."""
    return delivery.channel_messages_send(message_ids=message_ids)


@shared_task(name="notifications.dispatch_channel_messages", acks_late=True, ignore_result=True)
def dispatch_channel_messages(*, older_than_seconds: int = 600) -> int:
    """Queues again the channel messages still waiting (a worker killed, the broker down): each is claimed
    with skip_locked and sent at most once, so queuing one twice is harmless."""
    with transaction.atomic():
        ids = delivery.channel_messages_waiting(older_than=dt.timedelta(seconds=older_than_seconds), now=timezone.now())
        enqueue_channel_messages(message_ids=ids)
    return len(ids)
