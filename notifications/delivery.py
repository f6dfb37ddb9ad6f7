"""Delivery on the person's channels (e-mail, Zalo, SMS): one ChannelMessage per message and channel, with its
state (queued → sent | failed; sent → delivered when a provider reports it; failed → queued on an admin's
resend), moved only by channel_message_set_state.

- Urgent kinds (URGENT_KINDS) go out at once on every channel the person chose: urgent_send, queued on commit
  by notify / notify_many / the sweep.
- Everything else waits for the day's digest: by e-mail as before (services.digest_send), and by Zalo or SMS as
  one short summary with a link (digest_channel_messages), at most one a day per person per channel.
- Exactly once per key per channel: the key (the notification's idempotency key, or the person's digest of the
  day, extended by the channel) is unique, and the sender claims the row with select_for_update(skip_locked).
- A ZNS refusal because the number has no Zalo account (-118) falls back to SMS: the Zalo row fails with that
  code, an SMS row with the same base key is queued (if the person chose SMS too, that row exists already, so
  she still gets one SMS)."""

import datetime as dt
import logging
from collections.abc import Iterable
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaign_portal.background import serve_batch
from campaign_portal.emails import absolute_url
from campaign_portal.exceptions import PortalError

from .channels import channels_enabled, sms_enabled
from .channels.email import email_send
from .channels.sms import sms_send
from .channels.zalo import NO_ZALO_ACCOUNT, template_for, zalo_send
from .enums import (
    CHANNEL_MESSAGE_TRANSITIONS,
    URGENT_KINDS,
    Channel,
    ChannelMessageState,
    NotificationStatus,
)
from .messages import describe
from .models import ChannelMessage, Notification, Preference
from .specs import ReminderSpec

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = settings.NOTIFICATIONS_MAX_ATTEMPTS
SUMMARY_MAX = 160  # one SMS segment's worth of the sentence; the link follows


# --- the one mover -------------------------------------------------------------------------


def channel_message_set_state(
    *,
    message: ChannelMessage,
    to: str,
    provider_id: str = "",
    error_code: str = "",
    error: str = "",
    now: dt.datetime | None = None,
) -> ChannelMessage:
    """Moves a message along CHANNEL_MESSAGE_TRANSITIONS (else PortalError), saves with update_fields (a history
    row). No person acts here: providers, workers and an admin's resend do."""
    if to not in CHANNEL_MESSAGE_TRANSITIONS.get(message.state, set()):
        raise PortalError(
            _("Không thể chuyển tin từ “%(from)s” sang “%(to)s”.")
            % {"from": ChannelMessageState(message.state).label, "to": ChannelMessageState(to).label}
        )
    message.state = to
    fields = ["state", "updated_at"]
    if to == ChannelMessageState.SENT:
        message.provider_id, message.sent_at, message.error_code, message.error = (
            provider_id,
            now or timezone.now(),
            "",
            "",
        )
        fields += ["provider_id", "sent_at", "error_code", "error"]
    elif to == ChannelMessageState.FAILED:
        message.error_code, message.error = error_code, error[:1000]
        fields += ["error_code", "error"]
    elif to == ChannelMessageState.DELIVERED:
        message.delivered_at = now or timezone.now()
        fields += ["delivered_at"]
    elif to == ChannelMessageState.QUEUED:
        message.attempts = 0
        fields += ["attempts"]
    message.save(update_fields=fields)
    return message


def channel_message_report(
    *,
    channel: str,
    provider_id: str,
    delivered: bool,
    error_code: str = "",
    error: str = "",
    now: dt.datetime | None = None,
) -> ChannelMessage | None:
    """A provider's delivery report: the sent message it names becomes delivered (or failed). Providers repeat
    their calls, so a second report, an unknown id or a message no longer "sent" changes nothing (None)."""
    if not provider_id:
        return None
    with transaction.atomic():
        message = (
            ChannelMessage.objects.select_for_update()
            .filter(channel=channel, provider_id=provider_id, state=ChannelMessageState.SENT)
            .first()
        )
        if message is None:
            return None
        to = ChannelMessageState.DELIVERED if delivered else ChannelMessageState.FAILED
        return channel_message_set_state(message=message, to=to, error_code=error_code, error=error, now=now)


# --- who gets what, where ------------------------------------------------------------------


def channels_of(*, preference: Preference, user) -> list[str]:
    """The channels the person chose that are on and reachable (an address, a phone)."""
    enabled = channels_enabled()
    reachable = {
        Channel.EMAIL: bool(user.email) and user.is_active,
        Channel.ZALO: bool(user.phone) and user.is_active,
        Channel.SMS: bool(user.phone) and user.is_active,
    }
    return [c for c in Channel.values if c in (preference.channels or []) and c in enabled and reachable[c]]


def notification_key(notification: Notification, channel: str) -> str:
    """The notification's idempotency key (recipient, kind, subject, window) extended by the channel."""
    n = notification
    return f"{n.recipient_id}:{n.kind}:{n.subject_type_id}:{n.subject_id}:{n.window}:{channel}"[:200]


def digest_key(*, user_id: int, day: dt.date, channel: str) -> str:
    return f"{user_id}:digest:{day.isoformat()}:{channel}"


def _short(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1].rstrip() + "…"


def urgent_text(*, notification: Notification, language: str) -> str:
    with translation.override(language):
        sentence = describe(kind=notification.kind, payload=notification.payload)
    return f"{_short(sentence)} {absolute_url(notification.url or reverse('notifications:list'))}"


def digest_text(*, notifications: list[Notification], language: str) -> str:
    """ "Bạn có 3 việc cần làm trên Cổng CCHC: <the first>… <link>"."""
    count = len(notifications)
    with translation.override(language):
        first = describe(kind=notifications[0].kind, payload=notifications[0].payload)
        head = ngettext(
            "Bạn có %(count)d việc cần làm trên Cổng CCHC:", "Bạn có %(count)d việc cần làm trên Cổng CCHC:", count
        ) % {"count": count}
    return f"{head} {_short(first)} {absolute_url(reverse('notifications:list'))}"


def _message(*, key: str, user, channel: str, text: str, **extra) -> ChannelMessage:
    return ChannelMessage(
        key=key,
        user=user,
        channel=channel,
        to=user.email if channel == Channel.EMAIL else user.phone,
        text=text,
        **extra,
    )


def _enqueue_sends(keys: Iterable[str]) -> list[int]:
    """The queued rows of these keys are sent by their own tasks after the surrounding transaction commits."""
    from .tasks import enqueue_channel_messages

    ids = list(
        ChannelMessage.objects.filter(key__in=list(keys), state=ChannelMessageState.QUEUED).values_list("pk", flat=True)
    )
    enqueue_channel_messages(message_ids=ids)
    return ids


# --- urgent: at once, on every chosen channel -------------------------------------------------


def urgent_enqueue(*, notifications: Iterable[Notification | ReminderSpec]) -> None:
    """After an insert: the recipients of urgent rows are served at once (on commit). Only `recipient_id` and
    `kind` are read, so the sweep passes the specs it inserted."""
    from .tasks import enqueue_urgent

    recipients = sorted({n.recipient_id for n in notifications if n.kind in URGENT_KINDS})
    if recipients:
        enqueue_urgent(recipient_ids=recipients)


def urgent_send(*, recipient_ids: list[int], now: dt.datetime | None = None) -> list[int]:
    """Turns these people's pending urgent notifications into one message per chosen channel (once per key),
    marks the notifications sent (the digest leaves them out) and queues the sends. Returns the queued ids.

    One batch costs the same few queries for one person or a few hundred: on deadline day the sweep serves
    thousands of officers at once, and a task per person cost the worker more than the sends themselves."""
    from .services import preferences_for

    now = now or timezone.now()
    preferences_for(recipient_ids)
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id__in=recipient_ids, kind__in=URGENT_KINDS, status=NotificationStatus.PENDING)
            .order_by("recipient_id", "created_at", "id")
        )
        if not rows:
            return []
        preferences = {
            p.user_id: p
            for p in Preference.objects.select_related("user").filter(user_id__in={n.recipient_id for n in rows})
        }
        messages, reached = [], set()
        for recipient_id, group in groupby(rows, key=attrgetter("recipient_id")):
            preference = preferences[recipient_id]
            user, language = preference.user, preference.email_language()
            channels = channels_of(preference=preference, user=user)
            for n in group:
                for channel in channels:
                    if channel == Channel.EMAIL and not preference.wants_email(n.kind):
                        continue
                    text = urgent_text(notification=n, language=language)
                    messages.append(
                        _message(
                            key=notification_key(n, channel), user=user, channel=channel, text=text, notification=n
                        )
                    )
                    reached.add(n.pk)
        ChannelMessage.objects.bulk_create(messages, ignore_conflicts=True)
        Notification.objects.filter(pk__in=[n.pk for n in rows if n.pk in reached]).update(
            status=NotificationStatus.SENT, sent_at=now
        )
        Notification.objects.filter(pk__in=[n.pk for n in rows if n.pk not in reached]).update(
            status=NotificationStatus.PORTAL_ONLY
        )
        return _enqueue_sends(m.key for m in messages)


def urgent_waiting_recipients(*, older_than: dt.timedelta, now: dt.datetime) -> list[int]:
    """Urgent rows still pending long after insert (broker down at commit): the sweep serves them again."""
    return sorted(
        set(
            Notification.objects.filter(
                kind__in=URGENT_KINDS, status=NotificationStatus.PENDING, created_at__lt=now - older_than
            ).values_list("recipient_id", flat=True)
        )
    )


def channel_messages_waiting(*, older_than: dt.timedelta, now: dt.datetime) -> list[int]:
    return list(
        ChannelMessage.objects.filter(state=ChannelMessageState.QUEUED, created_at__lt=now - older_than)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- the digest on Zalo and SMS ------------------------------------------------------------------


def digest_channel_messages(*, preference: Preference, notifications: list[Notification], day: dt.date) -> list[int]:
    """Inside digest_send's transaction: one short summary per chosen phone channel for the day (the key holds
    it to one a day per channel, a forced or second run included). Returns the queued ids."""
    user = preference.user
    channels = [c for c in channels_of(preference=preference, user=user) if c != Channel.EMAIL]
    if not channels or not notifications:
        return []
    text = digest_text(notifications=notifications, language=preference.email_language())
    messages = [
        _message(key=digest_key(user_id=user.pk, day=day, channel=c), user=user, channel=c, text=text, digest_on=day)
        for c in channels
    ]
    ChannelMessage.objects.bulk_create(messages, ignore_conflicts=True)
    return _enqueue_sends(m.key for m in messages)


# --- sending one message, exactly once --------------------------------------------------------------


def _email_for(message: ChannelMessage):
    from .services import digest_message, immediate_message_id, preference_for

    preference = preference_for(message.user_id)
    email = digest_message(
        user=message.user, notifications=[message.notification], language=preference.email_language(), urgent=True
    )
    email.extra_headers["Message-ID"] = immediate_message_id(message.notification)
    return email


def _template_data(message: ChannelMessage) -> dict:
    """The general template's parameters: the person's name, the sentence, the link (the text's last word)."""
    summary, _space, link = message.text.rpartition(" ")
    return {"name": message.user.full_name[:30], "summary": summary, "url": link}


def _provider_send(message: ChannelMessage):
    tracking_id = f"cm{message.pk}"
    if message.channel == Channel.ZALO:
        kind = message.notification.kind if message.notification_id else "digest"
        return zalo_send(
            phone=message.to,
            template_id=template_for(kind),
            template_data=_template_data(message),
            tracking_id=tracking_id,
        )
    if message.channel == Channel.SMS:
        return sms_send(phone=message.to, text=message.text, tracking_id=tracking_id)
    return email_send(message=_email_for(message), tracking_id=tracking_id)


def _sms_fallback(message: ChannelMessage) -> list[int]:
    if not sms_enabled():
        return []
    key = message.key.removesuffix(f":{Channel.ZALO}") + f":{Channel.SMS}"
    fallback = ChannelMessage(
        key=key,
        user=message.user,
        channel=Channel.SMS,
        to=message.to,
        text=message.text,
        notification=message.notification,
        digest_on=message.digest_on,
        fallback_of=message,
    )
    ChannelMessage.objects.bulk_create([fallback], ignore_conflicts=True)
    return _enqueue_sends([key])


def channel_message_send(*, message_id: int, now: dt.datetime | None = None) -> bool:
    """Sends one message exactly once: the row is claimed (skip_locked: a worker already on it makes us step
    aside), sent and marked in one transaction; a worker killed before the commit leaves it queued, and the
    provider is given the same tracking id again. A provider that cannot be reached counts an attempt and
    raises (the task retries with backoff); after MAX_ATTEMPTS the message fails. Returns True when sent."""
    found = False
    try:
        with transaction.atomic():
            message = (
                ChannelMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user", "notification")
                .filter(pk=message_id, state=ChannelMessageState.QUEUED)
                .first()
            )
            if message is None:
                return False  # sent, failed, gone, or in another worker's hands
            found = True
            result = _provider_send(message)
            message.attempts += 1
            message.save(update_fields=["attempts"])
            if result.ok:
                channel_message_set_state(
                    message=message, to=ChannelMessageState.SENT, provider_id=result.provider_id, now=now
                )
                return True
            channel_message_set_state(
                message=message, to=ChannelMessageState.FAILED, error_code=result.error_code, error=result.error
            )
            if message.channel == Channel.ZALO and result.error_code == str(NO_ZALO_ACCOUNT):
                _sms_fallback(message)
            return False
    except Exception as error:
        if not found:
            raise
        final = _record_attempt(message_id=message_id, error=error)
        logger.warning("message %s failed (%s): %s", message_id, "final" if final else "will retry", error)
        if final:
            return False
        raise


def channel_messages_send(*, message_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Each message once (channel_message_send), as one batch (serve_batch: a message that fails counts its
    attempt and does not stop the others). Returns the number sent."""
    return serve_batch(message_ids, lambda message_id: channel_message_send(message_id=message_id, now=now))


def _record_attempt(*, message_id: int, error: Exception) -> bool:
    """Counts a failed attempt; the message fails after MAX_ATTEMPTS. True when it is final."""
    with transaction.atomic():
        message = ChannelMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != ChannelMessageState.QUEUED:
            return True
        message.attempts += 1
        message.error = f"{type(error).__name__}: {error}"[:1000]
        message.save(update_fields=["attempts", "error", "updated_at"])
        if message.attempts < MAX_ATTEMPTS:
            return False
        channel_message_set_state(
            message=message, to=ChannelMessageState.FAILED, error_code="unreachable", error=message.error
        )
        return True


def channel_messages_resend(*, message_ids: Iterable[int]) -> list[int]:
    """An admin's resend of failed messages that never went out: queued again, sent on commit."""
    with transaction.atomic():
        messages = list(
            ChannelMessage.objects.select_for_update().filter(
                pk__in=list(message_ids), state=ChannelMessageState.FAILED
            )
        )
        for message in messages:
            channel_message_set_state(message=message, to=ChannelMessageState.QUEUED)
        return _enqueue_sends(m.key for m in messages)
