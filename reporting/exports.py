"""XLSX export of a cycle and the context of the official "Báo cáo" PDF."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from campaign_portal.numbers import format_number
from campaign_portal.xlsx import Bold, XlsxWriter
from organizations.documents import (
    TYPE_HEADING,
    DocumentType,
    number_symbol_format,
    official_header,
    unit_signer_authority,
)
from organizations.exports import no_progress
from organizations.models import Unit

from . import selectors
from .enums import FILED_STATUSES, IndicatorType
from .models import Period, Report, ReportingCycle, Value


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


def _tree_key(lineage: str) -> list[str]:
    """Depth-first order of lineages (a unit, then its subtree, then its next sibling)."""
    return lineage.strip("/").split("/")


CYCLE_EXPORT = "reporting_cycle"  # registry.EXPORTS: a cycle's reports under a unit (10,000 rows a period at the city)


def cycle_export_allowed(user, params: dict) -> bool:
    unit = Unit.objects.filter(code=params["unit"]).first()
    return unit is not None and user.has_perm("reporting.view_unit_reports", unit)


def cycle_export_build(*, user, params: dict, progress) -> tuple[bytes, str]:
    cycle = ReportingCycle.objects.select_related("scope_root", "form_version").get(pk=params["cycle"])
    unit = Unit.objects.get(code=params["unit"])
    return cycle_xlsx(cycle=cycle, unit=unit, progress=progress), f"dot-bao-cao-{cycle.pk}-{unit.code}.xlsx"


def cycle_xlsx(*, cycle: ReportingCycle, unit: Unit, progress=no_progress) -> bytes:
    """One sheet per period: one row per unit of the subtree that had to report, on the tree of
    the period's reference date (names are today's), one column per indicator, and after each
    unit with units below it a row of its subtree's totals (filed reports), so that every level
    has its total. Three queries per period."""
    indicators = list(cycle.form_version.indicators.order_by("section__order", "order", "id"))
    lineages = selectors.Lineages([unit, cycle.scope_root if cycle.scope_root_id else None])
    workbook = XlsxWriter()
    labels = dict(Report._meta.get_field("status").choices)
    periods = list(cycle.periods.all())
    for period in progress(periods, total=len(periods)):  # a sheet a period: progress by sheet
        scope = selectors.scope_on(cycle=cycle, unit=unit, on=period.ends_on, lineages=lineages)
        top = scope.unit_lineage or unit.lineage
        header = [_("Mã đơn vị"), _("Tên đơn vị"), _("Trạng thái"), _("Nộp muộn")] + [
            f"{i.label}" + (f" ({i.measure_unit})" if i.measure_unit else "") for i in indicators
        ]
        sheet = workbook.add_sheet(period.label, header=header)
        placements = sorted(
            selectors.expected_placements(scope)
            .select_related("unit")
            .only("lineage", "unit__id", "unit__code", "unit__name"),
            key=lambda p: _tree_key(p.lineage),
        )
        lineage_set = {p.lineage for p in placements}
        # Units with other exported units below them get a totals row.
        has_below = {p.lineage[: n + 1] for p in placements for n, ch in enumerate(p.lineage[:-1]) if ch == "/"}
        has_below &= lineage_set
        reports = {
            r["unit_id"]: r
            for r in Report.objects.filter(period=period, lineage__startswith=top).values(
                "unit_id", "status", "is_late"
            )
        }
        values: dict[int, dict[int, object]] = defaultdict(dict)
        for unit_id, indicator_id, number, text in (
            Value.objects.filter(report__period=period, report__lineage__startswith=top)
            .values_list("report__unit_id", "indicator_id", "number", "text")
            .iterator(chunk_size=5000)
        ):
            values[unit_id][indicator_id] = number if number is not None else text
        totals: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for p in placements:
            report = reports.get(p.unit_id)
            if report and report["status"] in FILED_STATUSES:
                ancestors = [p.lineage[: n + 1] for n, ch in enumerate(p.lineage) if ch == "/"]
                for indicator_id, value in values[p.unit_id].items():
                    if isinstance(value, Decimal):
                        for lineage in ancestors:
                            if lineage in lineage_set or lineage == top:
                                totals[lineage][indicator_id] += value
        depth = top.count("/")
        for p in placements:
            u = p.unit
            report = reports.get(u.pk)
            row_values = values.get(u.pk, {})
            sheet.append(
                [
                    u.code,
                    "  " * (p.lineage.count("/") - depth) + u.name,
                    str(labels[report["status"]]) if report else _("Chưa nộp"),
                    (_("Có") if report["is_late"] else "") if report else "",
                ]
                + [_shown(i, row_values.get(i.pk)) for i in indicators]
            )
            if p.lineage in has_below:
                subtotal = totals[p.lineage]
                sheet.append(
                    [Bold(u.code), Bold(_("Tổng cộng %(name)s (cả cấp dưới)") % {"name": u.name}), "", ""]
                    + [_shown(i, subtotal.get(i.pk)) if i.is_numeric else None for i in indicators]
                )
        if top not in has_below:
            grand = totals[top]
            sheet.append(
                ["", Bold(_("Tổng cộng")), "", ""]
                + [_shown(i, grand.get(i.pk)) if i.is_numeric else None for i in indicators]
            )
    return workbook.getvalue()


def report_register_entry(*, unit: Unit, period: Period):
    """The register line of the unit's report for the period once submitted (its BC number), else None."""
    from directives.registers import register_entry_for, subject_key

    report = Report.objects.filter(period=period, unit=unit).only("pk").first()
    return register_entry_for(subject_key(report)) if report is not None else None


def official_context(*, unit: Unit, period: Period) -> dict:
    """The header, addressees and signature of a unit's consolidated "Báo cáo" (four or five queries).
    A submitted report prints the number and date it took at submission ("Số: 12/BC-LĐLĐ"); before, the
    number is left blank for the registry to write in."""
    from organizations.enums import Role

    # The parent on the period's date: a 2019 report goes to the 2019 parent, whatever moved since.
    placement = (
        selectors.placements_on(period.ends_on)
        .filter(unit=unit)
        .select_related("parent")
        .order_by("-valid_from")
        .first()
    )
    if placement is not None:
        parent = placement.parent
    else:
        parent = Unit.objects.filter(path=unit.path[: -Unit.steplen]).first() if unit.depth > 1 else None
    head = unit.memberships.filter(role=Role.HEAD, is_active=True).select_related("user").order_by("id").first()
    cycle = period.cycle
    subject = cycle.form_version.form.name
    if subject.lower().startswith("báo cáo "):
        subject = subject[len("báo cáo ") :]
    subject = f"{subject[:1].upper()}{subject[1:]} – {period.label}"
    legal_bases = []
    if cycle.directive_reference:
        legal_bases.append(
            f"Thực hiện văn bản số {cycle.directive_reference}"
            + (f" của {parent.name}" if parent else "")
            + " về việc báo cáo kết quả thực hiện;"
        )
    legal_bases.append(
        f"{unit.name} báo cáo kết quả kỳ {period.label} (số liệu từ "
        f"{period.starts_on:%d/%m/%Y} đến {period.ends_on:%d/%m/%Y}) như sau:"
    )
    entry = report_register_entry(unit=unit, period=period)
    if entry is not None:
        number_symbol = entry.number_symbol
    elif unit.abbreviation:
        number_symbol = number_symbol_format(doc_type=DocumentType.BAO_CAO, issuer=unit.abbreviation)
    else:
        number_symbol = ""
    return {
        "title": f"Báo cáo {unit.name} – {period.label}",
        # The header of the period's date (the unit's name then).
        **official_header(unit=unit, on=period.ends_on, number_symbol=number_symbol),
        **({"date": entry.issued_on} if entry is not None else {}),
        "doc_type_label": TYPE_HEADING[DocumentType.BAO_CAO],
        "subject": subject,
        "legal_bases": legal_bases,
        "addressees": [parent.name] if parent else [],
        "signer_authority": unit_signer_authority(unit),
        "signer_position": "CHỦ TỊCH",
        "signer_name": head.user.full_name if head else "",
        "distribution": ["- Như trên;", "- Lưu: VT, TG."],
    }
