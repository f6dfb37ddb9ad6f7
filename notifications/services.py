"""Writes: the sweep (insert what is due, once), notify / notify_many (events other apps
announce, with the recipients they decide), the digest sender (one e-mail per person per day), the immediate sender
(transactional mail: one e-mail per row, at once), read marks, preferences.

Every e-mail of the portal leaves through this module: a row first (committed with the
action that asked for it), then a task that sends it, retries with backoff and records
the failure where admins (and, where it matters, the user) can see it."""

import contextlib
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from campaign_portal.background import serve_batch
from campaign_portal.emails import absolute_url, render_email
from campaign_portal.phones import normalise_mobile
from campaign_portal.registry import IMMEDIATE_MAIL, REMINDER_PROVIDERS, ReminderProvider

from .delivery import digest_channel_messages, urgent_enqueue
from .enums import IMMEDIATE_KINDS, Channel, NotificationStatus
from .messages import describe
from .models import Notification, Preference
from .specs import ReminderSpec
from .sweep_stamp import source_changes_take, sweep_stamp_holding, sweep_stamp_record
from .windows import local_now

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = settings.NOTIFICATIONS_MAX_ATTEMPTS
INSERT_BATCH = 2000


# --- the sweep -----------------------------------------------------------------


def reminder_providers() -> list[ReminderProvider]:
    """What the apps registered in their AppConfig.ready(), then NOTIFICATIONS_EXTRA_PROVIDERS (tests)."""
    return list(REMINDER_PROVIDERS)


class _ContentTypes:
    """ContentType ids by "app_label.model", one query for all of them."""

    def __init__(self):
        self._ids: dict[str, int] = {}

    def id_for(self, label: str) -> int:
        if label not in self._ids:
            app_label, model = label.lower().split(".", 1)
            self._ids[label] = ContentType.objects.get_by_natural_key(app_label, model).pk
        return self._ids[label]


@dataclass
class SweepResult:
    due: int  # reminders due now
    inserted: int  # of which new
    withdrawn: int


def reminders_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Finds everything due now, inserts it once (the unique key makes a second sweep a
    no-op) and withdraws pending deadline reminders that are no longer due, e.g. a
    report filed after the row was inserted but before the digest went out. When nothing the
    providers read has changed and the clock has not moved them on, the last sweep's answer
    stands and the sweep returns at once (sweep_stamp)."""
    now = now or timezone.now()
    providers = reminder_providers()
    # One transaction: the change marks taken, the rows inserted and the new stamp commit together (or none).
    with transaction.atomic():
        changed = source_changes_take()
        stamp = None if changed else sweep_stamp_holding(now=now, providers=providers)
        if stamp is not None:
            return SweepResult(due=stamp.due, inserted=0, withdrawn=0)
        content_types = _ContentTypes()
        specs: dict[tuple, ReminderSpec] = {}
        managed_kinds: set[str] = set()
        complete = True
        for provider in providers:
            try:
                # A savepoint: one app's broken query must not stop the others' reminders.
                with transaction.atomic():
                    found = list(provider.due_reminders(now=now))
            except Exception:
                logger.exception("reminder provider %s failed; its pending reminders are kept", provider.name)
                complete = False
                continue
            managed_kinds.update(provider.kinds)
            for spec in found:
                specs.setdefault(spec.key, spec)
        keys = {
            (spec.recipient_id, spec.kind, content_types.id_for(spec.subject_model), spec.subject_id, spec.window): spec
            for spec in specs.values()
        }
        # Skip what a previous sweep inserted (cheaper than letting the database refuse it);
        # the insert's ON CONFLICT DO NOTHING still settles a race with a concurrent sweep.
        existing = (
            set(
                Notification.objects.filter(kind__in={k[1] for k in keys}, window__in={k[4] for k in keys}).values_list(
                    "recipient_id", "kind", "subject_type_id", "subject_id", "window"
                )
            )
            if keys
            else set()
        )
        new = {key: spec for key, spec in keys.items() if key not in existing}
        # Rows above this id are this sweep's: due by construction, so _withdraw_stale need not read them back.
        before_insert = (
            (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) if new else None
        )
        _notifications_insert(rows=[(*key, spec.payload) for key, spec in new.items()])
        urgent_enqueue(notifications=new.values())
        withdrawn = _withdraw_stale(managed_kinds=managed_kinds, due_keys=set(keys), up_to_pk=before_insert)
        sweep_stamp_record(now=now, providers=providers, due=len(keys), complete=complete)
    return SweepResult(due=len(keys), inserted=len(new), withdrawn=withdrawn)


def _notifications_insert(*, rows: list[tuple]) -> None:
    """Inserts pending notifications given as (recipient_id, kind, subject_type_id, subject_id, window, payload),
    each key at most once (ON CONFLICT DO NOTHING on notification_once_per_key). Plain SQL, because a model
    instance per row and the ORM's preparation of every field cost the sweep seconds at city scale."""
    if not rows:
        return
    table = connection.ops.quote_name(Notification._meta.db_table)
    fields = ["recipient", "kind", "subject_type", "subject_id", "window", "payload"]
    fields += ["status", "attempts", "last_error", "created_at"]
    columns = ", ".join(connection.ops.quote_name(Notification._meta.get_field(name).column) for name in fields)
    created_at = connection.ops.adapt_datetimefield_value(timezone.now())
    status = NotificationStatus.PENDING
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            if connection.vendor == "postgresql":
                # One statement per batch: the columns as arrays, unnested into rows.
                recipients, kinds, types, subjects, windows, payloads = zip(*batch, strict=True)
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "
                    "SELECT r, k, t, s, w, p::jsonb, %s, 0, '', %s "
                    "FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::bigint[], %s::text[], %s::text[]) "
                    "AS u(r, k, t, s, w, p) ON CONFLICT DO NOTHING",
                    [status, created_at, list(recipients), list(kinds), list(types), list(subjects), list(windows)]
                    + [[json.dumps(p) for p in payloads]],
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, '', %s) "
                    "ON CONFLICT DO NOTHING",
                    [(*row[:5], json.dumps(row[5]), status, created_at) for row in batch],
                )


def _withdraw_stale(*, managed_kinds: set[str], due_keys: set[tuple], up_to_pk: int | None = None) -> int:
    """Withdraws the pending reminders of these kinds whose key is no longer due; `up_to_pk`: only rows up to it
    (those after it were just inserted as due: 22,000 rows on a busy day, not worth reading back)."""
    if not managed_kinds:
        return 0
    pending = Notification.objects.filter(status=NotificationStatus.PENDING, kind__in=managed_kinds)
    if up_to_pk is not None:
        pending = pending.filter(pk__lte=up_to_pk)
    pending = pending.values_list("pk", "recipient_id", "kind", "subject_type_id", "subject_id", "window")
    stale = [pk for pk, *key in pending if tuple(key) not in due_keys]
    if not stale:
        return 0
    return Notification.objects.filter(pk__in=stale, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.WITHDRAWN
    )


# --- events (announced by other apps, with the recipients they decide) -----------------------


def notify(*, recipient_ids: Iterable[int], kind: str, subject, window: str, payload: dict) -> int:
    """Records an event for each recipient once per key; it goes out in the next digest.
    The announcing app decides who the recipients are; this module never does."""
    subject_type = ContentType.objects.get_for_model(subject)
    rows = [
        Notification(
            recipient_id=rid,
            kind=kind,
            subject_type=subject_type,
            subject_id=subject.pk,
            window=window,
            payload=payload,
        )
        for rid in sorted(set(recipient_ids))
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)
    urgent_enqueue(notifications=rows)
    return len(rows)


def notify_many(*, specs: Iterable[ReminderSpec]) -> int:
    """Records many events at once (a document sent to thousands of units), once per key, each
    row with its own recipient, subject and payload: bulk inserts, one content-type query per model."""
    content_types = _ContentTypes()
    rows = [
        Notification(
            recipient_id=spec.recipient_id,
            kind=spec.kind,
            subject_type_id=content_types.id_for(spec.subject_model),
            subject_id=spec.subject_id,
            window=spec.window,
            payload=spec.payload,
        )
        for spec in specs
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)
    urgent_enqueue(notifications=rows)
    return len(rows)


# --- the digest -----------------------------------------------------------------------


def preference_for(user_id: int) -> Preference:
    # get_or_create settles a concurrent creation itself (savepoint, IntegrityError, get).
    return Preference.objects.get_or_create(user_id=user_id)[0]


def preferences_for(user_ids: Iterable[int]) -> None:
    """Makes sure each of these people has her Preference row (defaults), in two queries whatever their number;
    a row another worker creates meanwhile is left as it is."""
    user_ids = set(user_ids)
    missing = user_ids - set(Preference.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))
    Preference.objects.bulk_create([Preference(user_id=pk) for pk in sorted(missing)], ignore_conflicts=True)


def digest_message_id(*, user, notifications: list[Notification]) -> str:
    """The same rows give the same Message-ID. A worker killed after the mail left but before
    the rows were marked sent makes the next run send them again: with the same Message-ID,
    mail servers and clients that de-duplicate show the person one message, not two."""
    rows = ",".join(str(pk) for pk in sorted(n.pk for n in notifications))
    digest = hashlib.sha256(f"{user.pk}:{rows}".encode()).hexdigest()[:24]
    return f"<digest.{user.pk}.{digest}@{DNS_NAME.get_fqdn()}>"


def digest_message(*, user, notifications: list[Notification], language: str, connection=None, urgent: bool = False):
    """One e-mail (plain text + HTML) listing every notification, in the person's language; urgent: one item
    sent at once (delivery.urgent_send), said so in the subject and footer."""
    with translation.override(language):
        items = [
            {"text": describe(kind=n.kind, payload=n.payload), "url": absolute_url(n.url), "kind": n.get_kind_display()}
            for n in notifications
        ]
    context = {
        "user": user,
        "items": items,
        "count": len(items),
        "urgent": urgent,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "list_url": absolute_url(reverse("notifications:list")),
    }
    return render_email(
        "notifications_digest",
        to=user.email,
        context=context,
        language=language,
        connection=connection,
        headers={"Message-ID": digest_message_id(user=user, notifications=notifications)},
    )


@dataclass
class DigestResult:
    sent: int = 0  # e-mails
    notified: int = 0  # rows marked sent
    portal_only: int = 0
    skipped: str = ""


def digest_send(
    *, recipient_id: int, now: dt.datetime | None = None, force: bool = False, connection=None
) -> DigestResult:
    """Sends the person's pending notifications as one e-mail, once a day.

    Exactly once: the person's Preference row is locked (skip_locked: another worker
    already on this person makes us step aside), pending rows are locked, the e-mail
    is sent and the rows marked sent in the same transaction. A worker killed before
    the commit leaves the rows pending for the next run. On SQLite, whose
    transactions here are IMMEDIATE, the write lock serialises senders instead."""
    preference_for(recipient_id)
    return _digest_send(recipient_id=recipient_id, now=now, force=force, connection=connection)


def _digest_send(*, recipient_id: int, now: dt.datetime | None, force: bool, connection) -> DigestResult:
    """digest_send once the person's Preference row exists (a batch makes sure of its rows in two queries)."""
    now = now or timezone.now()
    local = local_now(now)
    rows: list[Notification] = []
    try:
        with transaction.atomic():
            preference = (
                Preference.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(user_id=recipient_id)
                .first()
            )
            if preference is None:
                return DigestResult(skipped="locked")
            if not force and preference.last_digest_on == local.date():
                return DigestResult(skipped="already_today")
            if not force and local.hour < preference.digest_hour:
                return DigestResult(skipped="not_yet")
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, status=NotificationStatus.PENDING)
                .exclude(kind__in=IMMEDIATE_KINDS)
                .order_by("created_at", "id")
            )
            if not rows:
                return DigestResult(skipped="nothing")
            user = preference.user
            can_mail = bool(user.email) and user.is_active
            mailed = [n for n in rows if can_mail and preference.wants_email(n.kind)]
            portal_only = [n for n in rows if n not in mailed]
            if mailed:
                message = digest_message(
                    user=user, notifications=mailed, language=preference.email_language(), connection=connection
                )
                message.send(fail_silently=False)
                Notification.objects.filter(pk__in=[n.pk for n in mailed]).update(
                    status=NotificationStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
                )
            # Zalo, SMS: one short summary a day per chosen channel, sent by their own tasks on commit.
            phoned = digest_channel_messages(preference=preference, notifications=rows, day=local.date())
            if mailed or phoned:
                preference.last_digest_on = local.date()
                preference.save(update_fields=["last_digest_on", "updated_at"])
            if portal_only:
                Notification.objects.filter(pk__in=[n.pk for n in portal_only]).update(
                    status=NotificationStatus.PORTAL_ONLY
                )
            return DigestResult(sent=1 if mailed else 0, notified=len(mailed), portal_only=len(portal_only))
    except Exception as error:
        if not rows:
            raise
        final = _record_failure(pks=[n.pk for n in rows], error=error)
        logger.warning("digest to user %s failed (%s): %s", recipient_id, "final" if final else "will retry", error)
        if final:
            return DigestResult(skipped="failed")
        raise


def _record_failure(*, pks: list[int], error: Exception, waiting: str = NotificationStatus.PENDING) -> bool:
    """Counts the attempt on each row; after MAX_ATTEMPTS the rows are failed (visible in admin).
    Digest rows wait as pending (the next digest takes them); immediate rows as retrying."""
    waiting_rows = Notification.objects.filter(
        pk__in=pks, status__in=[NotificationStatus.PENDING, NotificationStatus.RETRYING]
    )
    with transaction.atomic():
        waiting_rows.update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:1000], status=waiting
        )
        exhausted = waiting_rows.filter(attempts__gte=MAX_ATTEMPTS).update(status=NotificationStatus.FAILED)
    return exhausted > 0


def digests_send(*, recipient_ids: Iterable[int], now: dt.datetime | None = None, force: bool = False) -> int:
    """Each person's digest (digest_send), all through one SMTP connection, as one batch (serve_batch: one
    person's failure counts her attempt and does not stop the others). Returns the number of e-mails sent."""
    recipient_ids = list(recipient_ids)
    preferences_for(recipient_ids)
    connection = get_connection()

    def serve(recipient_id: int) -> int:
        try:
            return _digest_send(recipient_id=recipient_id, now=now, force=force, connection=connection).sent
        except Exception:
            with contextlib.suppress(Exception):  # a broken connection is dropped; the next send reopens it
                connection.close()
            raise

    with connection:
        return serve_batch(recipient_ids, serve)


def digests_send_due(*, now: dt.datetime | None = None) -> int:
    """Sends every due digest in this process (benchmarks, demo)."""
    from .selectors import recipients_due_for_digest

    now = now or timezone.now()
    return digests_send(recipient_ids=recipients_due_for_digest(now=now), now=now)


# --- immediate (transactional) mail -----------------------------------------------------

# One function per e-mail, registered by the app that owns it (campaign_portal.registry.IMMEDIATE_MAIL),
# each building its message from the stored object (never stored bytes):
# builder(notification, *, to, language, headers, connection) -> EmailMultiAlternatives | None (nothing
# left to send, e.g. the address already verified).
WAITING_STATUSES = [NotificationStatus.PENDING, NotificationStatus.RETRYING]


def mail_enqueue(
    *, recipient, kind: str, subject, window: str, language: str = "", payload: dict | None = None
) -> Notification:
    """Records a transactional e-mail once per key (recipient, kind, subject, window) and has it
    sent right after the surrounding transaction commits. The action that asked for it never
    waits for, nor fails with, the mail server."""
    assert kind in IMMEDIATE_KINDS, kind
    subject_type = ContentType.objects.get_for_model(subject)
    payload = {**(payload or {}), "language": language or translation.get_language() or settings.LANGUAGE_CODE}
    key = dict(recipient_id=recipient.pk, kind=kind, subject_type=subject_type, subject_id=subject.pk, window=window)
    Notification.objects.bulk_create([Notification(**key, payload=payload)], ignore_conflicts=True)
    row = Notification.objects.get(**key)
    if row.status == NotificationStatus.FAILED:
        # Asked for again (a "resend" press) after every attempt failed: one more round of tries.
        # Never sent yet, so this cannot make a second mail for the key.
        Notification.objects.filter(pk=row.pk, status=NotificationStatus.FAILED).update(
            status=NotificationStatus.PENDING, attempts=0
        )
        row.refresh_from_db()
    if row.status in WAITING_STATUSES:
        from .tasks import enqueue_immediate

        enqueue_immediate(notification_id=row.pk)
    return row


def immediate_message_id(notification: Notification) -> str:
    """Fixed per row: a mail sent again after a worker died before marking it is one message to clients."""
    return f"<{notification.kind}.{notification.pk}@{DNS_NAME.get_fqdn()}>"


def immediate_send(*, notification_id: int, connection=None, now: dt.datetime | None = None) -> bool:
    """Sends one transactional e-mail, exactly once: the row is locked (skip_locked: another
    worker on it makes us step aside), sent, and marked sent in one transaction. A failure
    counts an attempt and leaves the row retrying (the task retries with backoff), or failed
    after MAX_ATTEMPTS. Returns True when a mail left."""
    found = False
    try:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=notification_id, kind__in=IMMEDIATE_KINDS, status__in=WAITING_STATUSES)
                .first()
            )
            if row is None:
                return False  # sent, given up, gone, or in another worker's hands
            found = True
            builder = IMMEDIATE_MAIL[row.kind]
            message = None
            if row.recipient.email:
                message = builder(
                    row,
                    to=row.recipient.email,
                    connection=connection,
                    language=row.payload.get("language") or settings.LANGUAGE_CODE,
                    headers={"Message-ID": immediate_message_id(row)},
                )
            if message is None:
                row.status = NotificationStatus.WITHDRAWN
                row.save(update_fields=["status"])
                return False
            message.send(fail_silently=False)
            row.status, row.sent_at, row.last_error = NotificationStatus.SENT, now or timezone.now(), ""
            row.attempts = F("attempts") + 1
            row.save(update_fields=["status", "sent_at", "last_error", "attempts"])
            return True
    except Exception as error:
        if not found:
            raise
        final = _record_failure(pks=[notification_id], error=error, waiting=NotificationStatus.RETRYING)
        logger.warning("e-mail %s failed (%s): %s", notification_id, "final" if final else "will retry", error)
        if final:
            return False
        raise


def immediate_waiting_ids(
    *, older_than: dt.timedelta = dt.timedelta(minutes=10), now: dt.datetime | None = None
) -> list[int]:
    """Transactional mail still waiting long after it was queued (broker down at commit, task
    lost): the sweep queues it again."""
    cutoff = (now or timezone.now()) - older_than
    return list(
        Notification.objects.filter(kind__in=IMMEDIATE_KINDS, status__in=WAITING_STATUSES, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- admin and the reader -----------------------------------------------------------------


def notifications_resend(*, notification_ids: Iterable[int]) -> list[int]:
    """Puts failed rows back to pending with a fresh attempt count; returns the recipients of
    the digest rows. Immediate rows are queued again themselves, on commit."""
    from .tasks import enqueue_immediate

    ids = list(notification_ids)
    with transaction.atomic():
        rows = Notification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED)
        recipients = sorted(set(rows.exclude(kind__in=IMMEDIATE_KINDS).values_list("recipient_id", flat=True)))
        immediate = list(rows.filter(kind__in=IMMEDIATE_KINDS).values_list("pk", flat=True))
        rows.update(status=NotificationStatus.PENDING, attempts=0)
        for pk in immediate:
            enqueue_immediate(notification_id=pk)
    return recipients


def notification_mark_read(*, notification: Notification, now: dt.datetime | None = None) -> Notification:
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user, now: dt.datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())


def preference_update(
    *,
    user,
    email_disabled_kinds: list[str],
    digest_hour: int,
    language: str,
    channels: list[str] | None = None,
    phone: str | None = None,
) -> Preference:
    """Saves the person's choices; channels None keeps them, phone None keeps hers (a phone given is
    normalised here too, whoever calls)."""
    preference = preference_for(user.pk)
    preference.email_disabled_kinds = sorted(set(email_disabled_kinds))
    preference.digest_hour = digest_hour
    preference.language = language
    fields = ["email_disabled_kinds", "digest_hour", "language", "updated_at"]
    if channels is not None:
        preference.channels = [c for c in Channel.values if c in set(channels)]
        fields.append("channels")
    with transaction.atomic():
        preference.save(update_fields=fields)
        if phone is not None and normalise_mobile(phone) != user.phone:
            user.phone = normalise_mobile(phone)
            user.save(update_fields=["phone"])
    return preference
