"""XLSX exports (the portal's write-only writer: constant memory for the 10,000-unit cascade)."""

from django.utils import timezone

from campaign_portal.xlsx import rows_xlsx
from organizations.enums import UnitKind
from organizations.models import Unit

from .enums import DeliveryOutcome
from .selectors import late_q


def _dt(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def cascade_workbook(*, document, deliveries) -> bytes:
    """One row per unit of the cascade: three queries whatever the size."""
    today = timezone.localdate()
    late_ids = set(deliveries.filter(late_q(today)).values_list("pk", flat=True))
    values = list(
        deliveries.order_by("lineage").values_list(
            "pk",
            "unit__code",
            "unit__name",
            "unit_kind",
            "lineage",
            "document__number_symbol",
            "delivered_at",
            "read_at",
            "acknowledged_at",
            "outcome",
            "completed_at",
            "due_on",
            "result_note",
            "reason",
        )
    )
    parent_codes = {row[4].rstrip("/").split("/")[-2] for row in values if row[4].count("/") > 2}
    names = dict(Unit.objects.filter(code__in=parent_codes).values_list("code", "name"))
    outcome_labels = dict(DeliveryOutcome.choices)
    kind_labels = dict(UnitKind.choices)

    def rows():
        for (
            pk,
            code,
            name,
            kind,
            lineage,
            symbol,
            delivered,
            read,
            ack,
            outcome,
            completed,
            due,
            note,
            reason,
        ) in values:
            yield [
                code,
                name,
                str(kind_labels.get(kind, kind)),
                names.get(lineage.rstrip("/").split("/")[-2], ""),
                symbol,
                _dt(delivered),
                _dt(read),
                _dt(ack),
                str(outcome_labels.get(outcome, outcome)),
                _dt(completed),
                due.strftime("%d/%m/%Y") if due else "",
                "Chậm" if pk in late_ids else "",
                note or reason,
            ]

    headers = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại",
        "Đơn vị cấp trên",
        "Văn bản",
        "Nhận lúc",
        "Đã đọc",
        "Xác nhận",
        "Thực hiện",
        "Hoàn thành lúc",
        "Hạn",
        "Chậm",
        "Kết quả / lý do",
    ]
    return rows_xlsx(rows(), title=document.number_symbol or "lan-toa", header=headers)


def register_workbook(*, unit, year, entries) -> bytes:
    rows = (
        [
            d.number,
            d.number_symbol,
            d.issued_on.strftime("%d/%m/%Y"),
            d.get_doc_type_display(),
            d.subject,
            " ".join(f"{d.signer_authority} {d.signer_position} {d.signer_name}".split()),
            d.delivery_count,
        ]
        for d in entries
    )
    headers = ["Số", "Số, ký hiệu", "Ngày", "Loại", "Trích yếu", "Người ký", "Số nơi nhận"]
    return rows_xlsx(rows, title=f"So VB di {year}", header=headers)
