"""Excel in: a report's XLSX template, for the unit itself or for a head entering the figures of child units
that sent them on paper (reporting.excel_import reads the filled file back).

The template has one sheet per unit (the head's workbook holds one for each expected child unit), laid
out like the paper form: one row per indicator, the value in column H, a comment in column I. A hidden
sheet carries the key (template mark, form version, period, and for each sheet the unit and the report
version it was made from) so that a file for another unit, period or form version is refused, and a
report saved since the download is not overwritten.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.xlsx import Bold, Entry, XlsxWriter, sheet_title
from organizations.models import Unit, User

from . import selectors
from .enums import EDITABLE_STATUSES, FILED_STATUSES, NUMBER_TYPES, IndicatorType
from .models import Indicator, LockException, Period, Report, Value
from .validation import indicator_bounds, number_field

TEMPLATE_MARK = "cchc-report-template-1"
KEY_SHEET = "_khoa"
LIST_SHEET = "_danhsach"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
VALUE_COLUMN, COMMENT_COLUMN = "H", "I"
YES, NO = "Có", "Không"
WIDTHS = {"A": 22, "B": 60, "C": 12, "D": 16, "E": 26, "F": 10, "G": 14, "H": 18, "I": 30}


class WorkbookError(PortalError):
    """An import refused: `problems` lists every error (sheet, cell, indicator); nothing was saved."""

    def __init__(self, problems: list[str]):
        super().__init__(
            _("Chưa nhập được tệp Excel: %(n)s lỗi. Không có số liệu nào được lưu; hãy sửa rồi tải lên lại.")
            % {"n": len(problems)}
        )
        self.problems = problems


@dataclass
class _SheetPlan:
    unit: Unit
    report: Report | None
    title: str
    previous: Report | None = None
    values: dict | None = None  # code → Value of the current report
    previous_values: dict | None = None  # code → Value of the previous filed period's report


# ---------------------------------------------------------------- reads: who is in a workbook
def units_for_entry_on_behalf(*, period: Period, unit: Unit, user: User, today: dt.date | None = None) -> list[Unit]:
    """The head's direct child units that had to report for the period (on its date), whose figures she
    may enter (the rules predicate, for each child) and can still be entered: the report not filed, the
    period open for the unit (or reopened by a lock exception). Four queries, whatever the number."""
    today = today or timezone.localdate()
    if period.starts_on > today:
        return []
    scope = selectors.scope_on(cycle=period.cycle, unit=unit, on=period.ends_on)
    children = selectors.children_on(period=period, unit=unit).order_by("unit__sort_key")
    filed = set(
        Report.objects.filter(period=period, unit__in=children.values("unit"))
        .exclude(status__in=EDITABLE_STATUSES)
        .values_list("unit_id", flat=True)
    )
    reopened = None
    if today >= period.locks_on:
        reopened = set(LockException.objects.filter(period=period, until__gte=today).values_list("unit_id", flat=True))
    return [
        p.unit
        for p in children
        if scope.expects(lineage=p.lineage, kind=p.unit.kind)
        and p.unit_id not in filed
        and (reopened is None or p.unit_id in reopened)
        and user.has_perm("reporting.enter_report_on_behalf", p.unit)
    ]


# ---------------------------------------------------------------- the template
def _bounds_text(indicator: Indicator) -> str:
    if indicator.type in NUMBER_TYPES:
        return number_field(indicator).bounds_text
    if indicator.type == IndicatorType.BOOLEAN:
        return _("Có hoặc Không")
    if indicator.type == IndicatorType.CHOICE:
        return _("Chọn trong danh sách")
    return _("Văn bản")


def _cell_value(indicator: Indicator, value):
    """A stored Value as the template shows it: numbers as numbers, yes/no as Có/Không."""
    if value is None:
        return None
    if indicator.type == IndicatorType.BOOLEAN and value.number is not None:
        return YES if value.number else NO
    if value.number is not None:
        number = value.number.normalize()
        return int(number) if number == number.to_integral_value() else float(number)
    return value.text or None


def _number_format(indicator: Indicator) -> str:
    _low, _high, places = indicator_bounds(indicator)
    return "#,##0" if places == 0 else "#,##0.00"


def _write_unit_sheet(writer: XlsxWriter, *, plan: _SheetPlan, period: Period, indicators, lists: dict) -> None:
    unit = plan.unit
    sheet = writer.add_sheet(plan.title, widths=WIDTHS)
    previous, previous_values, values = plan.previous, plan.previous_values, plan.values
    sheet.append([Bold(period.title)])
    sheet.append([Bold(_("Đơn vị")), unit.code, unit.name])
    sheet.append(
        [
            Bold(_("Kỳ báo cáo")),
            period.label,
            _("Số liệu từ %(start)s đến %(end)s; hạn nộp %(due)s")
            % {
                "start": period.starts_on.strftime("%d/%m/%Y"),
                "end": period.ends_on.strftime("%d/%m/%Y"),
                "due": period.due_on.strftime("%d/%m/%Y"),
            },
        ]
    )
    sheet.append(
        [
            _(
                "Nhập số liệu vào cột H (ô tô màu), ghi chú vào cột I. Số viết theo kiểu Việt Nam (1.000 là một "
                "nghìn; 85,5) hoặc nhập số trực tiếp. Không đổi cột A, không đổi tên trang."
            )
        ]
    )
    sheet.append([_("Kỳ trước: %(label)s") % {"label": previous.period.label} if previous else _("Kỳ trước: chưa có")])
    sheet.append(
        [
            Bold(_("Mã chỉ tiêu")),
            Bold(_("Chỉ tiêu")),
            Bold(_("Đơn vị tính")),
            Bold(_("Kiểu")),
            Bold(_("Giới hạn")),
            Bold(_("Bắt buộc")),
            Bold(_("Kỳ trước")),
            Bold(_("Số liệu kỳ này")),
            Bold(_("Ghi chú")),
        ]
    )
    for row, indicator in enumerate(indicators, start=FIRST_ROW):
        current = values.get(indicator.code)
        cell = f"{VALUE_COLUMN}{row}"
        bounds = _bounds_text(indicator)
        if indicator.type in NUMBER_TYPES:
            low, high, places = indicator_bounds(indicator)
            sheet.validate(
                cell,
                kind="whole" if places == 0 else "decimal",
                low=low,
                high=high,
                title=indicator.label,
                prompt=bounds,
            )
        elif indicator.type in (IndicatorType.BOOLEAN, IndicatorType.CHOICE):
            sheet.validate(cell, kind="list", choices_range=lists[indicator.code], title=indicator.label, prompt=bounds)
        sheet.append(
            [
                indicator.code,
                indicator.label,
                indicator.measure_unit,
                indicator.get_type_display(),
                bounds,
                _("Có") if indicator.required else "",
                _cell_value(indicator, previous_values.get(indicator.code)),
                Entry(_cell_value(indicator, current), _number_format(indicator) if indicator.is_numeric else "@"),
                Entry(current.comment if current else None, "@"),
            ]
        )


def _choices(indicator: Indicator) -> list[str] | None:
    if indicator.type == IndicatorType.BOOLEAN:
        return [YES, NO]
    if indicator.type == IndicatorType.CHOICE:
        return indicator.choice_list
    return None


def _write_lists(writer: XlsxWriter, indicators) -> None:
    """The choices of each yes/no and choice indicator, one row each on a hidden sheet (_list_ranges)."""
    sheet = writer.add_sheet(LIST_SHEET, hidden=True)
    for indicator in indicators:
        choices = _choices(indicator)
        if choices is not None:
            sheet.append(choices)


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(max(n, 1))


def _workbook(*, period: Period, plans: list[_SheetPlan], on_behalf: bool) -> bytes:
    version = period.cycle.form_version
    indicators = list(version.indicators.select_related("section").order_by("section__order", "section_id", "order"))
    writer = XlsxWriter()
    # Sheets in order of creation: the units first (the first one opens), then the hidden ones.
    lists_ranges = _list_ranges(indicators)
    for plan in plans:
        _write_unit_sheet(writer, plan=plan, period=period, indicators=indicators, lists=lists_ranges)
    if not plans:  # a workbook needs one visible sheet; say why it has no unit
        writer.add_sheet(_("Nhập hộ")).append([_("Không có đơn vị cấp dưới nào cần nhập hộ trong kỳ này.")])
    _write_lists(writer, indicators)
    key = writer.add_sheet(KEY_SHEET, hidden=True)
    key.append(["mark", TEMPLATE_MARK])
    key.append(["form_version", version.pk])
    key.append(["period", period.pk])
    key.append(["on_behalf", 1 if on_behalf else 0])
    for plan in plans:
        key.append(["sheet", plan.title, plan.unit.code, plan.report.version if plan.report else 0])
    return writer.getvalue()


def _list_ranges(indicators) -> dict[str, str]:
    """code → the row of the hidden list sheet holding its choices (written by _write_lists)."""
    ranges, row = {}, 0
    for indicator in indicators:
        choices = _choices(indicator)
        if choices is None:
            continue
        row += 1
        ranges[indicator.code] = f"'{LIST_SHEET}'!$A${row}:${_column_letter(len(choices))}${row}"
    return ranges


def _plans(period: Period, units: list[Unit]) -> list[_SheetPlan]:
    """One sheet per unit with its report, its previous filed period's report (selectors.previous_report's
    rule) and both reports' values: four queries, whatever the number of units."""
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=units)}
    previous: dict[int, Report] = {}
    earlier = (
        Report.objects.filter(
            unit__in=units, cycle_id=period.cycle_id, status__in=FILED_STATUSES, period__ends_on__lt=period.ends_on
        )
        .select_related("period")
        .order_by("unit_id", "-period__ends_on")
    )
    for report in earlier:
        previous.setdefault(report.unit_id, report)
    values: dict[int, dict] = {}
    report_ids = [r.pk for r in (*reports.values(), *previous.values())]
    for value in Value.objects.filter(report_id__in=report_ids).select_related("indicator"):
        values.setdefault(value.report_id, {})[value.indicator.code] = value
    plans, titles = [], set()
    for unit in units:
        title = sheet_title(unit.code)
        n = 2
        while title in titles:  # codes cut at 31 characters may meet
            title = sheet_title(f"{unit.code[:27]}~{n}")
            n += 1
        titles.add(title)
        report, before = reports.get(unit.pk), previous.get(unit.pk)
        plans.append(
            _SheetPlan(
                unit=unit,
                report=report,
                title=title,
                previous=before,
                values=values.get(report.pk, {}) if report else {},
                previous_values=values.get(before.pk, {}) if before else {},
            )
        )
    return plans


def report_template_xlsx(*, period: Period, unit: Unit) -> bytes:
    """The unit's template for the period, holding its draft's values if it has one."""
    return _workbook(period=period, plans=_plans(period, [unit]), on_behalf=False)


def reports_template_on_behalf_xlsx(*, period: Period, unit: Unit, user: User) -> bytes:
    """The head's workbook: one sheet per child unit she may enter figures for."""
    units = units_for_entry_on_behalf(period=period, unit=unit, user=user)
    return _workbook(period=period, plans=_plans(period, units), on_behalf=True)
