"""Excel in: a report's XLSX template and its import, for the unit itself or by a head on behalf of
child units that sent their figures on paper.

The template has one sheet per unit (the head's workbook holds one for each expected child unit), laid
out like the paper form: one row per indicator, the value in column H, a comment in column I. A hidden
sheet carries the key (template mark, form version, period, and for each sheet the unit and the report
version it was made from) so that a file for another unit, period or form version is refused, and a
report saved since the download is not overwritten. Imports go through reporting.services.report_save,
in one transaction: on any error nothing is saved, and every error is listed by sheet, cell and indicator.
"""

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from campaign_portal.exceptions import PortalError
from campaign_portal.numbers import NumberInputError, format_number, parse_number
from campaign_portal.text import fold, nfc
from campaign_portal.uploads import SPREADSHEET, upload_check
from campaign_portal.xlsx import Bold, Entry, XlsxWriter, sheet_title, unescape_text
from organizations.models import Unit, User

from . import selectors, services
from .enums import EDITABLE_STATUSES, FILED_STATUSES, NUMBER_TYPES, IndicatorType
from .models import Indicator, LockException, Period, Report, Value
from .validation import check_required, check_rules, indicator_bounds, number_field, number_problem

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
    sheet.append([Bold(_("%(cycle)s – %(period)s") % {"cycle": period.cycle.name, "period": period.label})])
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


# ---------------------------------------------------------------- reading a workbook
def _read_key(workbook) -> dict:
    refused = _("Tệp này không phải mẫu Excel tải từ cổng (thiếu phần nhận dạng). Hãy tải mẫu Excel rồi nhập vào đó.")
    if KEY_SHEET not in workbook.sheetnames:
        raise PortalError(refused)
    key = {"sheets": []}
    for row in workbook[KEY_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "sheet":
            title, code, version = (*row[1:4], None, None, None)[:3]
            key["sheets"].append((str(title), str(code), _int(version)))
        else:
            key[str(row[0])] = row[1]
    if key.get("mark") != TEMPLATE_MARK:
        raise PortalError(refused)
    return key


def _check_key(key: dict, *, period: Period, on_behalf: bool) -> None:
    if str(key.get("period")) != str(period.pk):
        other = Period.objects.filter(pk=_int(key.get("period"))).first()
        raise PortalError(
            _("Tệp này là mẫu của kỳ “%(other)s”, không phải kỳ “%(period)s”. Hãy tải mẫu của kỳ này.")
            % {"other": other.label if other else "?", "period": period.label}
        )
    if str(key.get("form_version")) != str(period.cycle.form_version_id):
        raise PortalError(_("Tệp được tải theo một phiên bản khác của mẫu báo cáo. Hãy tải mẫu mới rồi nhập lại."))
    if bool(_int(key.get("on_behalf"))) != on_behalf:
        if on_behalf:
            raise PortalError(_("Tệp này là mẫu của một đơn vị; hãy tải lên ở trang lập báo cáo của đơn vị đó."))
        raise PortalError(_("Tệp này là mẫu nhập hộ nhiều đơn vị; hãy tải lên ở trang nhập hộ."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _open(upload):
    checked = upload_check(upload=upload, kind=SPREADSHEET, label=_("Tệp Excel"), field="file")
    data = checked.content.read()
    try:
        return load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise PortalError(_("Tệp Excel hỏng hoặc không đọc được."), field="file") from error


def _cell_problem(indicator: Indicator, raw):
    """(value for report_save, problem or None) of one value cell."""
    if isinstance(raw, str):
        raw = nfc(unescape_text(raw)).strip()
    if raw is None or raw == "":
        return None, None
    if indicator.type in NUMBER_TYPES:
        if isinstance(raw, bool):
            return None, _("không phải là số.")
        if isinstance(raw, (int, float, Decimal)):
            try:
                number = Decimal(str(raw))
            except InvalidOperation:
                return None, _("không phải là số.")
        else:
            try:
                number = parse_number(str(raw), language="vi", percent=indicator.type == IndicatorType.PERCENT)
            except NumberInputError as error:
                return None, error.message
        if number_problem(indicator, number):
            # The bounds the cell must keep, as the form shows them: "phải là số nguyên từ 0 đến 1.000".
            return None, _("phải là %(bounds)s (đang ghi %(value)s).") % {
                "bounds": number_field(indicator).bounds_text.lower(),
                "value": format_number(number),
            }
        return number, None
    if indicator.type == IndicatorType.BOOLEAN:
        answer = {fold(YES): Decimal(1), fold(NO): Decimal(0), "1": Decimal(1), "0": Decimal(0)}.get(fold(str(raw)))
        if isinstance(raw, bool):
            answer = Decimal(int(raw))
        return (answer, None) if answer is not None else (None, _("chọn “Có” hoặc “Không”."))
    if indicator.type == IndicatorType.CHOICE:
        text = str(raw)
        if text in indicator.choice_list:
            return text, None
        return None, _("chọn một trong: %(list)s.") % {"list": "; ".join(indicator.choice_list)}
    if isinstance(raw, float | Decimal | int):
        raw = format_number(raw)
    return str(raw), None


def _read_sheet(worksheet, *, indicators: list[Indicator], rules, where: str) -> tuple[dict, dict, list[str]]:
    """(values, comments, problems) of one unit's sheet: rows found by the code in column A."""
    by_code = {i.code: i for i in indicators}
    values, comments, rows, problems = {}, {}, {}, []
    for row_number, row in enumerate(worksheet.iter_rows(min_row=FIRST_ROW, max_col=9, values_only=True), FIRST_ROW):
        code = str(row[0]).strip() if row and row[0] is not None else ""
        indicator = by_code.get(code)
        if indicator is None:
            continue
        rows[code] = row_number
        value, problem = _cell_problem(indicator, row[7] if len(row) > 7 else None)
        if problem:
            problems.append(_problem(where, f"{VALUE_COLUMN}{row_number}", indicator, problem))
        values[code] = value
        comment = row[8] if len(row) > 8 else None
        if comment not in (None, ""):
            comments[code] = nfc(str(unescape_text(comment))).strip()[:500]
    missing = [i for i in indicators if i.code not in rows]
    if missing:
        problems.append(
            where
            + _("thiếu dòng của chỉ tiêu: %(list)s (đừng xóa dòng hay sửa cột A).")
            % {"list": "; ".join(i.label for i in missing)}
        )
        return values, comments, problems
    if not problems:  # a cell that could not be read is not also "missing"
        for code, messages in {
            **check_required(indicators=indicators, values=values),
            **check_rules(rules=rules, values=values),
        }.items():
            for message in messages:
                problems.append(_problem(where, f"{VALUE_COLUMN}{rows[code]}", by_code[code], str(message)))
    return values, comments, problems


def _problem(where: str, cell: str, indicator: Indicator, problem: str) -> str:
    return where + _("Ô %(cell)s – %(label)s: %(problem)s") % {
        "cell": cell,
        "label": indicator.label,
        "problem": problem[:1].lower() + problem[1:] if problem else problem,
    }


def _import(*, period: Period, upload, by: User, on_behalf: bool, unit: Unit) -> list[Report]:
    workbook = _open(upload)
    key = _read_key(workbook)
    _check_key(key, period=period, on_behalf=on_behalf)
    version = period.cycle.form_version
    indicators = list(version.indicators.select_related("section"))
    rules = list(version.rules.select_related("left", "right"))
    sheets = key["sheets"]
    if not sheets:
        raise PortalError(_("Tệp không có trang đơn vị nào để nhập."))
    codes = [code for _title, code, _version in sheets]
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    if not on_behalf:
        if codes != [unit.code]:
            raise PortalError(
                _("Tệp này là mẫu của đơn vị %(other)s, không phải của %(unit)s. Hãy tải mẫu của đơn vị mình.")
                % {"other": ", ".join(codes) or "?", "unit": unit.name}
            )
        allowed = {unit.code}
    else:
        allowed = {u.code for u in units_for_entry_on_behalf(period=period, unit=unit, user=by)}
    current = {
        code: (version, status)
        for code, version, status in Report.objects.filter(period=period, unit__code__in=codes).values_list(
            "unit__code", "version", "status"
        )
    }
    problems, parsed = [], []
    for title, code, expected_version in sheets:
        child = units.get(code)
        where = (
            _("Trang “%(sheet)s” (%(unit)s): ") % {"sheet": title, "unit": child.name if child else code}
            if on_behalf
            else ""
        )
        version, status = current.get(code, (0, None))
        if on_behalf and status is not None and status not in EDITABLE_STATUSES:
            problems.append(where + _("báo cáo đã nộp hoặc đã duyệt, không nhập hộ được nữa."))
            continue
        if child is None or code not in allowed:
            problems.append(where + _("bạn không được nhập hộ đơn vị này cho kỳ này."))
            continue
        if version != expected_version:
            # Someone saved the report after the download: her figures are not overwritten unseen.
            problems.append(
                where
                + _("báo cáo đã được lưu sau khi tải mẫu này. Hãy tải mẫu mới (có số liệu mới nhất) rồi nhập lại.")
            )
            continue
        if title not in workbook.sheetnames:
            problems.append(where + _("không thấy trang này trong tệp (đừng đổi tên hay xóa trang)."))
            continue
        values, comments, sheet_problems = _read_sheet(workbook[title], indicators=indicators, rules=rules, where=where)
        problems.extend(sheet_problems)
        parsed.append((child, values, comments, expected_version, where))
    if problems:
        raise WorkbookError(problems)
    saved = []
    # All or nothing: any refusal below rolls back every sheet saved before it.
    with transaction.atomic():
        for child, values, comments, expected_version, where in parsed:
            try:
                report = services.report_save(
                    period=period,
                    unit=child,
                    values=values,
                    comments=comments,
                    expected_version=expected_version,
                    by=by,
                )
            except PortalError as error:  # locked period, filed report, a save in between
                problems.append(where + str(error))
                continue
            saved.append(report_record_entry(report=report, by=by, on_behalf=on_behalf))
        if problems:
            raise WorkbookError(problems)
    return saved


def report_record_entry(*, report: Report, by: User, on_behalf: bool) -> Report:
    """Leaves the import in the report's history (who, from Excel); a head's import marks the report
    as entered on the unit's behalf, with who entered it."""
    fields = ["updated_at"]
    if on_behalf:
        report.entered_on_behalf = True
        report.entered_by = by
        fields += ["entered_on_behalf", "entered_by"]
    report._change_reason = _("Nhập hộ từ tệp Excel") if on_behalf else _("Nhập từ tệp Excel")
    report._history_user = by
    report.save(update_fields=fields)
    return report


def report_import_xlsx(*, period: Period, unit: Unit, upload, by: User) -> Report:
    """The unit's officer (or head) imports the unit's template: checked like the web form, all or nothing."""
    if not by.has_perm("reporting.file_report", unit):
        raise PortalError(_("Bạn không có quyền lập báo cáo cho đơn vị này."))
    return _import(period=period, upload=upload, by=by, on_behalf=False, unit=unit)[0]


def reports_import_on_behalf_xlsx(*, period: Period, unit: Unit, upload, by: User) -> list[Report]:
    """A head imports the figures of several child units (one sheet each), marked as entered on their
    behalf; all or nothing across the workbook."""
    if not by.has_perm("reporting.enter_on_behalf", unit):
        raise PortalError(_("Chỉ lãnh đạo đơn vị được nhập hộ báo cáo của đơn vị cấp dưới."))
    return _import(period=period, upload=upload, by=by, on_behalf=True, unit=unit)
