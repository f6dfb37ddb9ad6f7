"""XLSX exports (the portal's write-only writer: constant memory for the 10,000-unit cascade)."""

from django.utils import timezone

from campaign_portal.xlsx import rows_xlsx
from organizations.enums import UnitKind
from organizations.exports import no_progress
from organizations.models import Unit

from .enums import DeliveryOutcome, RegisterEntryKind
from .models import Document
from .selectors import CascadeFilters, cascade_deliveries, late_q

CASCADE_EXPORT = "directive_cascade"  # registry.EXPORTS: one document's cascade, with the page's filters


def _dt(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def cascade_export_allowed(user, params: dict) -> bool:
    document = Document.objects.filter(pk=params["document"]).first()
    return document is not None and user.has_perm("directives.view_cascade", document)


def cascade_export_build(*, user, params: dict, progress) -> tuple[bytes, str]:
    """The cascade as its viewer sees it (cascade_deliveries keeps her subtree), filtered as her page was."""
    document = Document.objects.get(pk=params["document"])
    filters = CascadeFilters.from_params(params["filters"])
    deliveries = cascade_deliveries(document=document, user=user, filters=filters)
    name = (document.number_symbol or str(document.pk)).replace("/", "-")
    return cascade_workbook(document=document, deliveries=deliveries, progress=progress), f"lan-toa-{name}.xlsx"


def cascade_workbook(*, document, deliveries, progress=no_progress) -> bytes:
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
    return rows_xlsx(progress(rows(), total=len(values)), title=document.number_symbol or "lan-toa", header=headers)


def register_workbook(*, unit, year, entries) -> bytes:
    """The outgoing register (sổ văn bản đi) of a year: one row per number, in number order (streamed)."""
    kinds = dict(RegisterEntryKind.choices)
    rows = (
        [
            e.number,
            e.number_symbol,
            e.issued_on.strftime("%d/%m/%Y"),
            str(kinds.get(e.kind, e.kind)),
            e.summary,
            e.signer,
            e.recipients,
        ]
        for e in entries
    )
    headers = ["Số", "Số, ký hiệu", "Ngày", "Loại", "Trích yếu", "Người ký", "Nơi nhận"]
    return rows_xlsx(rows, title=f"So VB di {year}", header=headers)


def incoming_workbook(*, unit, year, deliveries) -> bytes:
    """The incoming register (sổ văn bản đến) of a year: one row per incoming number (streamed)."""
    outcomes = dict(DeliveryOutcome.choices)
    rows = (
        [
            d.incoming_number,
            _dt(d.delivered_at),
            d.document.issuing_unit.name,
            d.document.number_symbol,
            d.document.issued_on.strftime("%d/%m/%Y"),
            d.document.subject,
            d.assignee.full_name if d.assignee else "",
            d.assignee_due_on.strftime("%d/%m/%Y") if d.assignee_due_on else "",
            str(outcomes.get(d.outcome, d.outcome)),
        ]
        for d in deliveries
    )
    headers = [
        "Số đến",
        "Ngày giờ đến",
        "Nơi gửi",
        "Số, ký hiệu",
        "Ngày văn bản",
        "Trích yếu",
        "Người xử lý",
        "Hạn xử lý",
        "Kết quả",
    ]
    return rows_xlsx(rows, title=f"So VB den {year}", header=headers)
