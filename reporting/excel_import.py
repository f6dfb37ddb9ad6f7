"""Excel in, the way back: a filled report template read cell by cell, checked like the web form (types,
bounds, required indicators, rules) and saved through reporting.services.report_save in one transaction.
On any error nothing is saved and every error is listed by sheet, cell and indicator (reporting.excel
writes the templates and holds their layout)."""

import io
import zipfile
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from campaign_portal.exceptions import PortalError
from campaign_portal.numbers import NumberInputError, format_number, parse_number
from campaign_portal.text import fold, nfc
from campaign_portal.uploads import SPREADSHEET, upload_check
from campaign_portal.xlsx import unescape_text
from organizations.models import Unit, User

from . import selectors, services
from .enums import EDITABLE_STATUSES, NUMBER_TYPES, IndicatorType
from .excel import (
    FIRST_ROW,
    KEY_SHEET,
    NO,
    TEMPLATE_MARK,
    VALUE_COLUMN,
    YES,
    WorkbookError,
    units_for_entry_on_behalf,
)
from .models import Indicator, Period, Report
from .validation import check_required, check_rules, number_field, number_problem


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
    parts = selectors.form_parts(period.cycle.form_version)
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
        values, comments, sheet_problems = _read_sheet(
            workbook[title], indicators=parts.indicators, rules=parts.rules, where=where
        )
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
