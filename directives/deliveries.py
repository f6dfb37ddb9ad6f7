"""The receiving side of a directive: each delivery's progress (read, acknowledged, implemented) moves only
through deliveries_set_outcome, the one mover, which DELIVERY_TRANSITIONS (directives.enums) guards."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from campaign_portal.exceptions import PortalError
from campaign_portal.nudges import NudgeResult
from campaign_portal.text import nfc
from campaign_portal.uploads import ATTACHMENT, upload_check
from notifications.enums import NotificationKind
from notifications.services import notify, notify_many
from notifications.specs import ReminderSpec
from organizations.models import User
from organizations.selectors import unit_officer_ids, unit_officers, units_by_codes

from . import signals
from .enums import (
    DELIVERY_TRANSITIONS,
    DeliveryOutcome,
)
from .models import Delivery, DeliveryReminder
from .rules import delivery_supervisor_codes
from .summaries import delivery_summaries_refresh


def _locked(delivery: Delivery) -> Delivery:
    return Delivery.objects.select_for_update().select_related("document", "unit").get(pk=delivery.pk)


def _delivery_step(
    delivery: Delivery, *, to: str | None, acknowledge: bool, by: User | None, now: dt.datetime, changes: dict
) -> list[str]:
    """Moves one delivery in memory and returns the fields it changed (none: nothing to save).

    Reading and acknowledging are set once; an outcome must be allowed by DELIVERY_TRANSITIONS."""
    if to is not None and to not in DELIVERY_TRANSITIONS[DeliveryOutcome(delivery.outcome)]:
        if delivery.is_implemented:
            raise PortalError(_("Đơn vị đã báo cáo thực hiện văn bản này."))
        raise PortalError(
            _("Không thể chuyển kết quả thực hiện từ “%(from)s” sang “%(to)s”.")
            % {"from": DeliveryOutcome(delivery.outcome).label, "to": DeliveryOutcome(to).label}
        )
    fields = {}
    if delivery.read_at is None:
        fields.update(read_at=now, read_by=by)
    if (acknowledge or to is not None) and delivery.acknowledged_at is None:
        fields.update(acknowledged_at=now, acknowledged_by=by)
    if to is not None:
        fields.update(outcome=to, completed_at=now, completed_by=by, **changes)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return list(fields)


def deliveries_set_outcome(
    *,
    deliveries: list[Delivery],
    to: str | None,
    by: User | None,
    now: dt.datetime | None = None,
    acknowledge: bool = False,
    changes: dict | None = None,
    announce: bool = True,
) -> list[Delivery]:
    """The one mover of deliveries' progress, for one row or many (the caller holds the rows' locks).

    to: the new outcome (None: only read, or acknowledged when acknowledge). Every row is checked before any
    is written; the changed rows are saved with their history (one row each: a save for one,
    bulk_update_with_history for many), their summary rows rewritten, and announced after the commit: delivery_completed for an outcome,
    delivery_acknowledged for a receipt confirmed. Returns the rows that changed."""
    now = now or timezone.now()
    changes = changes or {}
    was_acknowledged = {d.pk: d.acknowledged_at is not None for d in deliveries}
    moved = [
        (d, _delivery_step(d, to=to, acknowledge=acknowledge, by=by, now=now, changes=changes)) for d in deliveries
    ]
    moved = [(d, fields) for d, fields in moved if fields]
    if len(moved) == 1:
        delivery, fields = moved[0]
        delivery._history_user = by
        delivery.save(update_fields=fields)
    elif moved:
        fields = sorted({name for _d, names in moved for name in names})
        bulk_update_with_history([d for d, _f in moved], Delivery, fields, batch_size=1000, default_user=by)
    changed = [d for d, _f in moved]
    units_by_document: dict[int, list[int]] = {}
    for delivery in changed:
        units_by_document.setdefault(delivery.document_id, []).append(delivery.unit_id)
    for document_id, unit_ids in units_by_document.items():
        delivery_summaries_refresh(document_ids=[document_id], unit_ids=unit_ids)
    if announce and changed:

        def _announce():
            for delivery in changed:
                if to is not None:
                    signals.delivery_completed.send(sender=Delivery, delivery=delivery, by=by)
                elif acknowledge and not was_acknowledged[delivery.pk]:
                    signals.delivery_acknowledged.send(sender=Delivery, delivery=delivery, by=by)

        transaction.on_commit(_announce)
    return changed


def _delivery_move(
    *, delivery: Delivery, by: User, now: dt.datetime | None, to: str | None = None, acknowledge=False, **changes
) -> Delivery:
    with transaction.atomic():
        locked = _locked(delivery)
        deliveries_set_outcome(deliveries=[locked], to=to, by=by, now=now, acknowledge=acknowledge, changes=changes)
    return locked


def delivery_open(*, delivery: Delivery, by: User, now: dt.datetime | None = None) -> Delivery:
    """Read by the receiving unit; a second opening changes nothing."""
    if delivery.read_at is not None:
        return delivery
    return _delivery_move(delivery=delivery, by=by, now=now)


def delivery_acknowledge(*, delivery: Delivery, by: User, now: dt.datetime | None = None) -> Delivery:
    """Receipt confirmed by a named person; a second click changes nothing."""
    return _delivery_move(delivery=delivery, by=by, now=now, acknowledge=True)


def delivery_mark_done(
    *, delivery: Delivery, by: User, result_note: str, evidence=None, now: dt.datetime | None = None
) -> Delivery:
    result_note = nfc(result_note).strip()
    if not result_note:
        raise PortalError(_("Hãy ghi ngắn gọn kết quả thực hiện."), field="result_note")
    fields = {"result_note": result_note}
    if evidence is not None:
        checked = upload_check(upload=evidence, kind=ATTACHMENT, label=_("Minh chứng"), field="evidence")
        fields.update(evidence=checked.content, evidence_name=nfc(evidence.name)[:255])
    return _delivery_move(delivery=delivery, by=by, now=now, to=DeliveryOutcome.DONE, **fields)


def delivery_mark_not_applicable(
    *, delivery: Delivery, by: User, reason: str, now: dt.datetime | None = None
) -> Delivery:
    reason = nfc(reason).strip()
    if not reason:
        raise PortalError(_("Báo “không áp dụng” cần nêu lý do."), field="reason")
    return _delivery_move(delivery=delivery, by=by, now=now, to=DeliveryOutcome.NOT_APPLICABLE, reason=reason)


def delivery_assign(
    *, delivery: Delivery, assignee: User, due_on: dt.date | None, note: str, by: User, now: dt.datetime | None = None
) -> Delivery:
    """Giao xử lý: an officer or head of the receiving unit passes the document to a colleague of the same unit
    (an officer or head of it) with a due date and a note. Reassigning is the same call; each assignment is a
    history row of the delivery, and the assignee is notified (in her digest, once per assignment)."""
    now = now or timezone.now()
    note = nfc(note).strip()
    with transaction.atomic():
        locked = _locked(delivery)
        if not by.has_perm("directives.assign_delivery", locked):
            raise PortalError(
                _("Bạn không thể giao xử lý văn bản này: văn bản đã thực hiện xong hoặc không thuộc đơn vị của bạn.")
            )
        if assignee.pk not in unit_officer_ids(unit_ids=[locked.unit_id]):
            raise PortalError(
                _("Chỉ giao xử lý cho cán bộ của %(unit)s.") % {"unit": locked.unit.name}, field="assignee"
            )
        if due_on is not None and due_on < timezone.localdate(now):
            raise PortalError(_("Hạn xử lý không được trước hôm nay."), field="due_on")
        if (locked.assignee_id, locked.assignee_due_on, locked.assignment_note) == (assignee.pk, due_on, note):
            return locked  # the same assignment again (a double submit): nothing changes
        fields = {
            "assignee": assignee,
            "assignee_due_on": due_on,
            "assignment_note": note,
            "assigned_at": now,
            "assigned_by": by,
        }
        for name, value in fields.items():
            setattr(locked, name, value)
        locked._history_user = by
        locked.save(update_fields=list(fields))
        payload = {
            "title": locked.document.number_symbol,
            "unit": locked.unit.name,
            "by": by.full_name,
            "due": due_on.isoformat() if due_on else "",
            "url": locked.document.get_absolute_url(),
        }
        transaction.on_commit(
            lambda: notify(
                recipient_ids=[assignee.pk],
                kind=NotificationKind.DIRECTIVE_ASSIGNED,
                subject=locked,
                window=f"assign:{now.isoformat()}",
                payload=payload,
            )
        )
    return locked


def deliveries_remind(*, deliveries, by: User, now: dt.datetime | None = None) -> NudgeResult:
    """A supervisor's one-tap reminder to the units late with these deliveries: one DeliveryReminder per unit,
    delivery and Hanoi day (a unit reminded today is skipped and counted), and the units' officers notified on
    commit (DIRECTIVE_REMINDER, urgent: sent at once on their channels). Every delivery must be one the user may
    remind (rules: remind_delivery), else nothing is done."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # The lock serialises a double submit: the second one finds the first one's rows and skips them.
        locked = list(
            Delivery.objects.select_for_update(of=("self",))
            .select_related("document", "unit")
            .filter(pk__in=[d.pk for d in deliveries])
            .order_by("pk")
        )
        if not locked:
            raise PortalError(_("Chưa chọn đơn vị nào để đôn đốc."))
        codes = delivery_supervisor_codes(locked)
        for delivery in locked:
            delivery._supervisor_code = codes[delivery.pk]
        # The rule asks about today; a service given another `now` asks about that day too.
        refused = [
            d
            for d in locked
            if not by.has_perm("directives.remind_delivery", d) or d.due_on is None or d.due_on >= today
        ]
        if refused:
            raise PortalError(
                _("Không thể đôn đốc %(unit)s: đơn vị không chậm thực hiện văn bản này hoặc bạn không phụ trách.")
                % {"unit": refused[0].unit.name}
            )
        already = set(
            DeliveryReminder.objects.filter(delivery__in=locked, reminded_on=today).values_list(
                "delivery_id", flat=True
            )
        )
        fresh = [d for d in locked if d.pk not in already]
        supervisors = units_by_codes({codes[d.pk] for d in fresh} - {None})
        officers: dict[int, list[int]] = {}
        for unit_id, user_id in unit_officers(unit_ids={d.unit_id for d in fresh}).values_list("unit_id", "user_id"):
            officers.setdefault(unit_id, []).append(user_id)
        reminders = [
            DeliveryReminder(
                delivery=d,
                unit=d.unit,
                by=by,
                by_unit=supervisors.get(codes[d.pk]),
                reminded_at=now,
                reminded_on=today,
                recipient_count=len(set(officers.get(d.unit_id, []))),
            )
            for d in fresh
        ]
        DeliveryReminder.objects.bulk_create(reminders)
        specs = [
            ReminderSpec(
                recipient_id=user_id,
                kind=NotificationKind.DIRECTIVE_REMINDER,
                subject_model="directives.delivery",
                subject_id=reminder.delivery.pk,
                window=f"remind:{today.isoformat()}",
                payload={
                    "title": reminder.delivery.document.number_symbol,
                    "unit": reminder.unit.name,
                    "by_unit": reminder.by_unit.name if reminder.by_unit else "",
                    "due": reminder.delivery.due_on.isoformat() if reminder.delivery.due_on else "",
                    "url": reminder.delivery.document.get_absolute_url(),
                },
            )
            for reminder in reminders
            for user_id in sorted(set(officers.get(reminder.unit_id, [])))
        ]
        transaction.on_commit(lambda: notify_many(specs=specs))
    return NudgeResult(reminded=len(fresh), skipped=len(already))
