"""Scale data: one plan delivered to every unit of the tree, part acknowledged and implemented."""

import datetime as dt

from django.utils import timezone

from organizations.models import Unit, User

from .enums import AddresseeMode, DeliveryOutcome, DocumentType
from .models import Delivery, Document
from .services import DraftData, document_create, document_issue

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
        # Every third unit acknowledges, every fifth reports done; every 37th is late.
        base = Delivery.objects.filter(document=document)
        ids = list(base.order_by("pk").values_list("pk", flat=True))
        acknowledged = ids[::3]
        done = ids[::5]
        late = ids[1::37]
        for chunk in range(0, len(acknowledged), 2000):
            Delivery.objects.filter(pk__in=acknowledged[chunk : chunk + 2000]).update(read_at=now, acknowledged_at=now)
        for chunk in range(0, len(done), 2000):
            Delivery.objects.filter(pk__in=done[chunk : chunk + 2000]).update(
                read_at=now,
                acknowledged_at=now,
                outcome=DeliveryOutcome.DONE,
                completed_at=now,
                result_note="Đã tuyên truyền",
            )
        for chunk in range(0, len(late), 2000):
            Delivery.objects.filter(pk__in=late[chunk : chunk + 2000], outcome=DeliveryOutcome.PENDING).update(
                due_on=today - dt.timedelta(days=3)
            )
    count = document.deliveries.count()
    if stdout:
        stdout.write(f"  directives: {document.number_symbol} delivered to {count} units")
    return {"document": document.pk, "deliveries": count}
