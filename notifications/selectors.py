"""Reads: a person's notifications, the unread count, who is due a digest now."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from .enums import NotificationStatus
from .models import DEFAULT_DIGEST_HOUR, Notification, Preference
from .windows import local_now


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).exclude(status=NotificationStatus.WITHDRAWN)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .exclude(status=NotificationStatus.WITHDRAWN).count()
    )


def recipients_due_for_digest(*, now: dt.datetime) -> list[int]:
    """People with pending rows whose digest hour has come and who had no digest today (two queries)."""
    local = local_now(now)
    pending = Notification.objects.filter(recipient_id=OuterRef("user_id"), status=NotificationStatus.PENDING)
    with_preference = list(
        Preference.objects.filter(Exists(pending), digest_hour__lte=local.hour)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=local.date()))
        .values_list("user_id", flat=True)
    )
    without_preference = []
    if local.hour >= DEFAULT_DIGEST_HOUR:
        without_preference = list(
            Notification.objects.filter(status=NotificationStatus.PENDING, recipient__notification_preference=None)
            .values_list("recipient_id", flat=True).distinct()
        )
    return sorted(set(with_preference) | set(without_preference))


def preference_of(user_id: int) -> Preference:
    """The person's preference, or an unsaved default: reading the page must not create the row
    (issue 14: a GET never writes); the first save goes through services.preference_update."""
    return Preference.objects.filter(user_id=user_id).first() or Preference(user_id=user_id)
