"""Scale data: one plan delivered to every unit of the tree, part acknowledged and implemented."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from organizations.models import Unit, User

from .deliveries import deliveries_set_outcome
from .enums import AddresseeMode, DeliveryOutcome, DocumentType
from .models import Delivery, Document
from .services import DraftData, document_create, document_issue
from .summaries import delivery_summaries_refresh

SCALE_SUBJECT = "Thông tin, tuyên truyền về cải cách thủ tục hành chính (dữ liệu quy mô)"


def generate(*, stdout=None, **_kwargs) -> dict:
    root = Unit.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return {}
    document = Document.objects.filter(issuing_unit=root, subject=SCALE_SUBJECT).first()
    if document is None:
        by = User.objects.filter(is_superuser=True).first() or User.objects.order_by("pk").first()
        today = timezone.localdate()
        document = document_create(
            issuing_unit=root,
            by=by,
            data=DraftData(
                doc_type=DocumentType.KE_HOACH,
                place=root.place_name,
                issued_on=today,
                subject=SCALE_SUBJECT,
                body="I. MỤC ĐÍCH\n- Kiểm tra quy mô.",
                signer_position="CHỦ TỊCH",
                signer_name="Quy Mô",
                addressee_mode=AddresseeMode.SUBTREE,
                tasks=[("Báo cáo kết quả", today + dt.timedelta(days=30))],
            ),
        )
        document = document_issue(document=document, by=by)
        now = timezone.now()
        # Every fifth unit reports done, every third acknowledges, every 37th is late: synthetic progress through
        # the bulk mover (history rows as a real campaign leaves them), announced to nobody.
        deliveries = list(Delivery.objects.filter(document=document).order_by("pk"))
        with transaction.atomic():
            deliveries_set_outcome(
                deliveries=deliveries[::5],
                to=DeliveryOutcome.DONE,
                by=by,
                now=now,
                changes={"result_note": "Đã tuyên truyền"},
                announce=False,
            )
            deliveries_set_outcome(
                deliveries=deliveries[::3], to=None, acknowledge=True, by=by, now=now, announce=False
            )
        late = [d for d in deliveries[1::37] if d.outcome == DeliveryOutcome.PENDING]
        for delivery in late:
            delivery.due_on = today - dt.timedelta(days=3)
        # A synthetic deadline, not a move of the workflow (due_on stays out of the history on purpose).
        Delivery.objects.bulk_update(late, ["due_on"], batch_size=2000)
        delivery_summaries_refresh(document_ids=[document.pk], unit_ids=[d.unit_id for d in late])
    count = document.deliveries.count()
    if stdout:
        stdout.write(f"  directives: {document.number_symbol} delivered to {count} units")
    return {"document": document.pk, "deliveries": count}
