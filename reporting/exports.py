"""XLSX export of a cycle and the context of the official "Báo cáo" PDF."""

import io
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from campaign_portal.numbers import format_number
from organizations.models import Unit

from .enums import FILED_STATUSES, IndicatorType
from .models import Period, Report, ReportingCycle, Value
from .selectors import expected_units_q


def _number(value: Decimal | None):
    if value is None:
        return None
    if len(value.normalize().as_tuple().digits) > 15:
        # A spreadsheet keeps 15 significant digits: the exact figure as text rather than a rounded number.
        return format_number(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _shown(indicator, value):
    """A cell: numbers as numbers, yes/no as Có/Không (a total: Có when any unit answered yes)."""
    if not isinstance(value, Decimal):
        return value
    if indicator.type == IndicatorType.BOOLEAN:
        return _("Có") if value > 0 else _("Không")
    return _number(value)


def cycle_xlsx(*, cycle: ReportingCycle, unit: Unit) -> bytes:
    """One sheet per period: one row per unit of the subtree that must report, one column
    per indicator, and after each unit with units below it a row of its subtree's totals
    (filed reports), so that every level has its total."""
    indicators = list(cycle.form_version.indicators.order_by("section__order", "order", "id"))
    units = list(Unit.objects.filter(expected_units_q(cycle), path__startswith=unit.path)
                 .order_by("path").only("id", "code", "name", "path", "depth", "kind"))
    paths = {u.path for u in units}
    # Units with other exported units below them get a totals row.
    has_below = {u.path[:n] for u in units for n in range(Unit.steplen, len(u.path), Unit.steplen)} & paths
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for period in cycle.periods.all():
        sheet = workbook.create_sheet(title=_sheet_title(period))
        header = [_("Mã đơn vị"), _("Tên đơn vị"), _("Trạng thái"), _("Nộp muộn")] + [
            f"{i.label}" + (f" ({i.measure_unit})" if i.measure_unit else "") for i in indicators]
        sheet.append([_cell(sheet, h, bold) for h in header])
        reports = {r["unit_id"]: r for r in Report.objects.filter(period=period, unit__path__startswith=unit.path)
                   .values("unit_id", "status", "is_late")}
        values: dict[int, dict[int, object]] = defaultdict(dict)
        for unit_id, indicator_id, number, text in (
            Value.objects.filter(report__period=period, report__unit__path__startswith=unit.path)
            .values_list("report__unit_id", "indicator_id", "number", "text").iterator(chunk_size=5000)
        ):
            values[unit_id][indicator_id] = number if number is not None else text
        totals: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for u in units:
            report = reports.get(u.pk)
            if report and report["status"] in FILED_STATUSES:
                ancestors = [u.path[:n] for n in range(Unit.steplen, len(u.path) + 1, Unit.steplen)]
                for indicator_id, value in values[u.pk].items():
                    if isinstance(value, Decimal):
                        for path in ancestors:
                            if path in paths or path == unit.path:
                                totals[path][indicator_id] += value
        labels = dict(Report._meta.get_field("status").choices)
        for u in units:
            report = reports.get(u.pk)
            row_values = values.get(u.pk, {})
            sheet.append([u.code, "  " * (u.depth - unit.depth) + u.name,
                          str(labels[report["status"]]) if report else _("Chưa nộp"),
                          (_("Có") if report["is_late"] else "") if report else ""]
                         + [_shown(i, row_values.get(i.pk)) for i in indicators])
            if u.path in has_below:
                subtotal = totals[u.path]
                sheet.append([_cell(sheet, u.code, bold),
                              _cell(sheet, _("Tổng cộng %(name)s (cả cấp dưới)") % {"name": u.name}, bold), "", ""]
                             + [_shown(i, subtotal.get(i.pk)) if i.is_numeric else None for i in indicators])
        if unit.path not in has_below:
            grand = totals[unit.path]
            sheet.append(["", _cell(sheet, _("Tổng cộng"), bold), "", ""]
                         + [_shown(i, grand.get(i.pk)) if i.is_numeric else None for i in indicators])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _sheet_title(period: Period) -> str:
    title = period.label.replace("/", "-")
    for ch in "[]:*?\\":
        title = title.replace(ch, "")
    return title[:31]


def official_context(*, unit: Unit, period: Period) -> dict:
    """The header, addressees and signature of a unit's consolidated "Báo cáo" (two queries)."""
    from organizations.enums import Role

    parent = Unit.objects.filter(path=unit.path[: -Unit.steplen]).first() if unit.depth > 1 else None
    head = (unit.memberships.filter(role=Role.HEAD, is_active=True).select_related("user").order_by("id").first())
    cycle = period.cycle
    subject = cycle.form_version.form.name
    if subject.lower().startswith("báo cáo "):
        subject = subject[len("báo cáo "):]
    subject = f"{subject[:1].upper()}{subject[1:]} – {period.label}"
    legal_bases = []
    if cycle.directive_reference:
        legal_bases.append(f"Thực hiện văn bản số {cycle.directive_reference}"
                           + (f" của {parent.name}" if parent else "") + " về việc báo cáo kết quả thực hiện;")
    legal_bases.append(f"{unit.name} báo cáo kết quả kỳ {period.label} (số liệu từ "
                       f"{period.starts_on:%d/%m/%Y} đến {period.ends_on:%d/%m/%Y}) như sau:")
    return {
        "title": f"Báo cáo {unit.name} – {period.label}",
        "parent_body": unit.document_parent_name or (parent.name if parent else ""),
        "issuing_body": unit.document_name or unit.name,
        "number_symbol": f"\u2002\u2002\u2002\u2002/BC-{unit.abbreviation}" if unit.abbreviation else "",
        "place": unit.place_name,
        "doc_type_label": "BÁO CÁO",
        "subject": subject,
        "legal_bases": legal_bases,
        "addressees": [parent.name] if parent else [],
        "signer_authority": "TM. BAN THƯỜNG VỤ" if unit.abbreviation in ("LĐLĐ", "CĐN", "CĐVC", "CĐ") else "",
        "signer_position": "CHỦ TỊCH",
        "signer_name": head.user.full_name if head else "",
        "distribution": ["- Như trên;", "- Lưu: VT, TG."],
    }
