"""Directives' events, sent after the transaction commits; the receivers below, connected in
DirectivesConfig.ready(), tell notifications who must know (directives decides the recipients).

- document_issued(sender=Document, document, by, delivery_count)
- delivery_acknowledged(sender=Delivery, delivery, by)
- delivery_completed(sender=Delivery, delivery, by)  # done, not applicable, or by an implementing document
"""

from django.dispatch import Signal

document_issued = Signal()
delivery_acknowledged = Signal()
delivery_completed = Signal()


def notify_document_issued(sender, document, by=None, **kwargs) -> None:
    """One notification per officer of each addressee unit, about that unit's delivery, inserted in
    bulk: a document may go to thousands of units (a fixed number of queries). Connected in
    DirectivesConfig.ready()."""
    from notifications.enums import NotificationKind
    from notifications.services import notify_many
    from notifications.specs import ReminderSpec, shorten, url_or
    from organizations.selectors import unit_officers

    from .models import Delivery

    deliveries = {
        unit_id: (pk, name)
        for unit_id, pk, name in Delivery.objects.filter(document=document).values_list("unit_id", "pk", "unit__name")
    }
    title = f"{document.number_symbol} – {shorten(document.subject)}"
    url = url_or("directives:document_detail", [document.pk], "/directives/")
    notify_many(
        specs=(
            ReminderSpec(
                recipient_id=user_id,
                kind=NotificationKind.DIRECTIVE_ISSUED,
                subject_model="directives.delivery",
                subject_id=deliveries[unit_id][0],
                window="issued",
                payload={"title": title, "unit": deliveries[unit_id][1], "url": url},
            )
            for user_id, unit_id in unit_officers(unit_ids=deliveries).values_list("user_id", "unit_id")
        )
    )
