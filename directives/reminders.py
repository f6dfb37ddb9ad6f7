"""Directives' reminders, found by notifications' sweep (owned by the notifications app).

Addressee units' officers: acknowledge a received document (one day after delivery,
then weekly), and its implementation deadline (3 days before, on the day, after)."""

import datetime as dt
from collections.abc import Iterator

from django.db.models import Min, Q

from notifications.enums import NotificationKind as K
from notifications.specs import ReminderSpec, shorten, url_or
from notifications.windows import AFTER_EVERY_DAYS, deadline_window, earliest_due_in_window, local_now, local_today
from organizations.selectors import unit_officers

from .enums import IMPLEMENTED_OUTCOMES, DocumentStatus
from .models import Delivery

KINDS = (K.DIRECTIVE_ACKNOWLEDGE, K.DIRECTIVE_DEADLINE)
# What due_reminders reads (the sweep skips a tick where none of them changed).
WATCHES = ("directives.Delivery", "directives.Document", "organizations.Unit", "organizations.Membership")
DELIVERY = "directives.delivery"
ACK_AFTER_DAYS = 1
# After this many days, reminders stop: an old, forgotten delivery is the heads' business (dashboards).
GIVE_UP_DAYS = 90


def acknowledge_window(*, delivered_on: dt.date, today: dt.date) -> str | None:
    waited = (today - delivered_on).days
    if waited < ACK_AFTER_DAYS:
        return None
    step = (waited - ACK_AFTER_DAYS) // AFTER_EVERY_DAYS
    return f"ack+{ACK_AFTER_DAYS + step * AFTER_EVERY_DAYS}"


def _open_deliveries(today: dt.date, now: dt.datetime):
    """Deliveries of issued documents still waiting for an acknowledgement or within a deadline window."""
    ack_due = Q(
        acknowledged_at__isnull=True,
        delivered_at__lte=now - dt.timedelta(days=ACK_AFTER_DAYS),
        delivered_at__gt=now - dt.timedelta(days=GIVE_UP_DAYS),
    )
    deadline_due = Q(
        due_on__isnull=False,
        due_on__lte=earliest_due_in_window(today),
        due_on__gt=today - dt.timedelta(days=GIVE_UP_DAYS),
    ) & ~Q(outcome__in=IMPLEMENTED_OUTCOMES)
    return Delivery.objects.filter(document__status=DocumentStatus.ISSUED, unit__dissolved_on__isnull=True).filter(
        ack_due | deadline_due
    )


def due_reminders(*, now: dt.datetime) -> Iterator[ReminderSpec]:
    today = local_today(now)
    rows = list(
        _open_deliveries(today, now).values_list(
            "pk",
            "unit_id",
            "unit__name",
            "delivered_at",
            "due_on",
            "acknowledged_at",
            "outcome",
            "document_id",
            "document__number_symbol",
            "document__subject",
        )
    )
    if not rows:
        return
    officers: dict[int, list[int]] = {}
    # The units as a subquery: a list of thousands of ids costs more to prepare than the query takes.
    open_units = _open_deliveries(today, now).values("unit_id")
    for user_id, unit_id in unit_officers().filter(unit_id__in=open_units).values_list("user_id", "unit_id"):
        officers.setdefault(unit_id, []).append(user_id)
    # One title and one reverse() per document, not per delivery (a document goes to thousands of units).
    documents: dict[int, tuple[str, str]] = {}
    for pk, unit_id, unit_name, delivered_at, due_on, acknowledged_at, outcome, doc_id, symbol, subject in rows:
        if doc_id not in documents:
            title = f"{symbol} – {shorten(subject)}" if symbol else shorten(subject)
            documents[doc_id] = (title, url_or("directives:document_detail", [doc_id], "/directives/"))
        title, url = documents[doc_id]
        payload = {"title": title, "unit": unit_name, "url": url}
        specs = []
        if acknowledged_at is None and (today - local_now(delivered_at).date()).days < GIVE_UP_DAYS:
            window = acknowledge_window(delivered_on=local_now(delivered_at).date(), today=today)
            if window:
                specs.append((K.DIRECTIVE_ACKNOWLEDGE, window, {}))
        if due_on is not None and outcome not in IMPLEMENTED_OUTCOMES and (today - due_on).days < GIVE_UP_DAYS:
            window = deadline_window(due_on=due_on, today=today)
            if window:
                specs.append(
                    (K.DIRECTIVE_DEADLINE, window.key, {"due": due_on.isoformat(), "days_late": window.days_late})
                )
        for kind, window, extra in specs:
            for user_id in officers.get(unit_id, ()):
                yield ReminderSpec(
                    recipient_id=user_id,
                    kind=kind,
                    subject_model=DELIVERY,
                    subject_id=pk,
                    window=window,
                    payload={**payload, **extra},
                )


def changes_at(*, now: dt.datetime) -> dt.datetime | None:
    """The next moment a delivery enters its acknowledgement reminders (a day after delivery, to the minute) or
    leaves them (GIVE_UP_DAYS): every other window turns at midnight."""
    firsts = Delivery.objects.aggregate(
        entering=Min("delivered_at", filter=Q(delivered_at__gt=now - dt.timedelta(days=ACK_AFTER_DAYS))),
        leaving=Min("delivered_at", filter=Q(delivered_at__gt=now - dt.timedelta(days=GIVE_UP_DAYS))),
    )
    moments = []
    if firsts["entering"] is not None:
        moments.append(firsts["entering"] + dt.timedelta(days=ACK_AFTER_DAYS))
    if firsts["leaving"] is not None:
        moments.append(firsts["leaving"] + dt.timedelta(days=GIVE_UP_DAYS))
    return min(moments, default=None)
