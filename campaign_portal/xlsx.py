"""The portal's one XLSX writer and its one download response.

Every spreadsheet the portal produces goes through XlsxWriter, so that user text is always
stored as text: a unit name or a report comment that begins with "=" must never become a live
formula in the secretariat's Excel (OWASP, CSV/formula injection). Write-only workbooks keep
memory constant for the 10,000-unit cascade.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from campaign_portal.view_helpers import download_response

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# A negative figure written as text (the reporting export's numbers past a spreadsheet's 15 digits,
# "-9.999.999.999.999.999") evaluates to itself: it stays the figure it is.
_NEGATIVE_NUMBER_TEXT = re.compile(r"-\d[\d.,]*")
_SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


class Bold(NamedTuple):
    """A cell written in bold (a header or a totals row)."""

    value: Any


class Entry(NamedTuple):
    """A cell the user fills in (an import template): shaded, with a number format ("#,##0" shows the
    thousands separator of the reader's Excel, a dot in Vietnamese Excel)."""

    value: Any
    number_format: str = "General"


ENTRY_FILL = PatternFill("solid", start_color="FFF2CC")


def escape_text(value: str) -> str:
    """User text as a spreadsheet must show it: characters XML cannot carry dropped, and a
    leading formula character neutralised with a single quote."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(FORMULA_TRIGGERS) and not _NEGATIVE_NUMBER_TEXT.fullmatch(text):
        return ESCAPE + text
    return text


def unescape_text(value):
    """The inverse of escape_text for a cell read back by an import, so that an exported
    template re-imports unchanged ("'+84 24…" is the phone number "+84 24…")."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def sheet_title(title: str) -> str:
    """A title Excel accepts: none of []:*?/\\, at most 31 characters, never empty."""
    return title.replace("/", "-").translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet"


class XlsxSheet:
    def __init__(self, worksheet, bold: Font):
        self._worksheet = worksheet
        self._bold = bold

    def append(self, row: Iterable) -> None:
        self._worksheet.append([self._cell(value) for value in row])

    def widths(self, widths: dict[str, float]) -> None:
        """Column widths by letter; a write-only sheet takes them before its first row."""
        for letter, width in widths.items():
            self._worksheet.column_dimensions[letter].width = width

    def validate(
        self,
        cell: str,
        *,
        kind: str,
        low=None,
        high=None,
        choices_range: str | None = None,
        title: str = "",
        prompt: str = "",
        error: str = "",
    ) -> None:
        """Excel's data validation on one cell, with an input message: kind "whole" or "decimal" between
        low and high (either may be None), "list" from a range of cells (choices_range, e.g. a hidden
        sheet's row: a comma inside a choice would break an inline list)."""
        if kind == "list":
            validation = DataValidation(type="list", formula1=choices_range, allow_blank=True)
        elif low is not None and high is not None:
            validation = DataValidation(
                type=kind, operator="between", formula1=_formula_number(low), formula2=_formula_number(high)
            )
        elif low is not None:
            validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_formula_number(low))
        elif high is not None:
            validation = DataValidation(type=kind, operator="lessThanOrEqual", formula1=_formula_number(high))
        else:
            validation = DataValidation(type=kind, operator="between", formula1="-1E+16", formula2="1E+16")
        validation.allow_blank = True
        validation.showInputMessage = True
        validation.showErrorMessage = True
        validation.promptTitle = escape_text(title)[:32]  # Excel's limits: 32 and 255 characters
        validation.prompt = escape_text(prompt)[:255]
        validation.errorTitle = escape_text(title)[:32]
        validation.error = escape_text(error or prompt)[:255]
        validation.add(cell)
        self._worksheet.data_validations.append(validation)

    def _cell(self, value):
        font = None
        if isinstance(value, Entry):
            inner = escape_text(value.value) if isinstance(value.value, str) else value.value
            cell = WriteOnlyCell(self._worksheet, value=inner)
            if isinstance(inner, str):
                cell.data_type = "s"  # never "f"
            cell.number_format = value.number_format
            cell.fill = ENTRY_FILL
            cell.protection = Protection(locked=False)
            return cell
        if isinstance(value, Bold):
            value, font = value.value, self._bold
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        if isinstance(value, str):
            value = escape_text(value)
            if value.startswith(ESCAPE) or font is not None:
                cell = WriteOnlyCell(self._worksheet, value=value)
                cell.data_type = "s"  # never "f", whatever openpyxl guessed
                if font is not None:
                    cell.font = font
                return cell
            # Plain text (no leading "=" once escaped) is typed "s" by openpyxl itself: a cell
            # object per value would double the time of the 10,000-row cascade.
            return value
        if font is not None:
            cell = WriteOnlyCell(self._worksheet, value=value)
            cell.font = font
            return cell
        return value


class XlsxWriter:
    """A write-only workbook: add sheets, append rows of plain values (str, numbers, Decimal,
    dates, None) or Bold(value), then getvalue()."""

    def __init__(self):
        self._workbook = Workbook(write_only=True)
        self._bold = Font(bold=True)

    def add_sheet(
        self, title: str, *, header: Iterable | None = None, hidden: bool = False, widths: dict | None = None
    ) -> XlsxSheet:
        """A sheet; hidden ones carry what the user does not edit (an import template's key, its lists)."""
        worksheet = self._workbook.create_sheet(title=sheet_title(title))
        if hidden:
            worksheet.sheet_state = "hidden"
        sheet = XlsxSheet(worksheet, self._bold)
        if widths:
            sheet.widths(widths)
        if header is not None:
            sheet.append([Bold(text) for text in header])
        return sheet

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        self._workbook.save(buffer)
        return buffer.getvalue()


def _formula_number(value) -> str:
    if isinstance(value, str):
        return value
    return format(Decimal(str(value)).normalize(), "f")  # 100.0000 → "100"


def rows_xlsx(rows: Iterable[Iterable], *, title: str = "Sheet", header: Iterable | None = None) -> bytes:
    """One sheet: an optional bold header, then the rows (streamed)."""
    writer = XlsxWriter()
    sheet = writer.add_sheet(title, header=header)
    for row in rows:
        sheet.append(row)
    return writer.getvalue()


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    """The one XLSX download: an attachment whose Vietnamese filename survives (RFC 5987
    filename*= for a non-ASCII name) and that shared caches do not keep."""
    return download_response(content, filename=filename, content_type=XLSX_CONTENT_TYPE)
