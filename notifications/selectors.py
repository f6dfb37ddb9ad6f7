"""Reads: a person's notifications, the unread count, who is due a digest now."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from .enums import IMMEDIATE_KINDS, NotificationStatus
from .models import DEFAULT_DIGEST_HOUR, Notification, Preference
from .windows import local_now


def notifications_for(user) -> QuerySet[Notification]:
    # Transactional e-mails (receipts, password resets…) are mail, not notices to read in the portal.
    return (
        Notification.objects.filter(recipient=user)
        .exclude(status=NotificationStatus.WITHDRAWN)
        .exclude(kind__in=IMMEDIATE_KINDS)
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .exclude(status=NotificationStatus.WITHDRAWN)
        .exclude(kind__in=IMMEDIATE_KINDS)
        .count()
    )


def recipients_due_for_digest(*, now: dt.datetime) -> list[int]:
    """People with pending rows whose digest hour has come and who had no digest today (two queries)."""
    local = local_now(now)
    pending = Notification.objects.filter(recipient_id=OuterRef("user_id"), status=NotificationStatus.PENDING).exclude(
        kind__in=IMMEDIATE_KINDS
    )
    with_preference = list(
        Preference.objects.filter(Exists(pending), digest_hour__lte=local.hour)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=local.date()))
        .values_list("user_id", flat=True)
    )
    without_preference = []
    if local.hour >= DEFAULT_DIGEST_HOUR:
        without_preference = list(
            Notification.objects.filter(status=NotificationStatus.PENDING, recipient__notification_preference=None)
            .exclude(kind__in=IMMEDIATE_KINDS)
            # Without the model's ordering, DISTINCT is over the recipient alone, not one row per notification.
            .order_by()
            .values_list("recipient_id", flat=True)
            .distinct()
        )
    return sorted(set(with_preference) | set(without_preference))


def mail_for(*, subject, kind: str) -> Notification | None:
    """The latest transactional e-mail of a kind about an object, for pages that tell the user
    whether it left (a receipt the mail server refused is said so, with the retries)."""
    from django.contrib.contenttypes.models import ContentType

    return (
        Notification.objects.filter(
            kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )


def preference_of(user_id: int) -> Preference:
    """The person's preference, or an unsaved default: reading the page must not create the row
    (issue 14: a GET never writes); the first save goes through services.preference_update."""
    return Preference.objects.filter(user_id=user_id).first() or Preference(user_id=user_id)
