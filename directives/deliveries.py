"""The receiving side of a directive: each delivery's progress (read, acknowledged, implemented) moves only
through deliveries_set_outcome, the one mover, which DELIVERY_TRANSITIONS (directives.enums) guards."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from campaign_portal.exceptions import PortalError
from campaign_portal.text import nfc
from campaign_portal.uploads import ATTACHMENT, upload_check
from organizations.models import User

from . import signals
from .enums import (
    DELIVERY_TRANSITIONS,
    DeliveryOutcome,
)
from .models import Delivery


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
        fields["read_at"] = now
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
    bulk_update_with_history for many) and announced after the commit: delivery_completed for an outcome,
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
