"""Signals other apps (notifications) may connect to. Sent after the transaction commits.

- document_issued(sender=Document, document, by, delivery_count)
- delivery_acknowledged(sender=Delivery, delivery, by)
- delivery_completed(sender=Delivery, delivery, by)  # done, not applicable, or by an implementing document
"""

from django.dispatch import Signal

document_issued = Signal()
delivery_acknowledged = Signal()
delivery_completed = Signal()
