"""The whole tree as XLSX: one row per unit, with its parent's code.

Import validates every row first and writes nothing unless all rows are good;
then creates new units (parents before children) and updates existing ones.
"""

import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from campaign_portal.db_statistics import tables_analyze
from campaign_portal.exceptions import PortalError
from campaign_portal.fields import NumberField
from campaign_portal.text import clean_code, clean_text
from campaign_portal.uploads import SPREADSHEET, upload_check
from campaign_portal.xlsx import rows_xlsx, unescape_text

from .enums import ALLOWED_PARENT_KINDS, UnitKind
from .exports import no_progress
from .models import Unit, UnitChange, UnitPlacement
from .services import UnitSpec, unit_move, unit_update, units_bulk_create_children

# Text cells typed the Vietnamese way (630.000 is six hundred and thirty thousand, never 630).
MEMBER_COUNT = NumberField(min_value=0, max_digits=9, required=False)
COLUMNS = [
    "code",
    "parent_code",
    "kind",
    "name",
    "abbreviation",
    "place_name",
    "email",
    "phone",
    "member_count",
    "dissolved_on",
]
HEADERS = {
    "code": "Mã đơn vị",
    "parent_code": "Mã đơn vị cấp trên",
    "kind": "Loại",
    "name": "Tên đơn vị",
    "abbreviation": "Viết tắt",
    "place_name": "Địa danh",
    "email": "E-mail",
    "phone": "Điện thoại",
    "member_count": "Số đoàn viên",
    "dissolved_on": "Giải thể từ",
}


def keyed_xlsx(headers: dict[str, str], columns: list[str], rows, *, title: str) -> bytes:
    """A bold human header line, then the machine-readable keys the imports read, then the rows."""
    return rows_xlsx(_keyed_rows(columns, rows), title=title, header=[headers[c] for c in columns])


def _keyed_rows(columns: list[str], rows):
    yield columns
    yield from rows


def xlsx_rows(data: bytes) -> list[tuple]:
    """Every row of an uploaded workbook's first sheet (cells our exports escaped read back as
    typed); a file that is not XLSX is refused. The portal's upload check runs first: openpyxl
    never opens a zip bomb or a macro workbook."""
    upload_check(upload=data, kind=SPREADSHEET, label=_("Tệp XLSX"), field="file")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as error:
        raise PortalError(_("Tệp không phải là bảng tính XLSX hợp lệ.")) from error
    return [tuple(unescape_text(v) for v in row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


EXPORT_KIND = "unit_tree"


def tree_export_allowed(user, params: dict) -> bool:
    return user.has_perm("organizations.manage_tree")


def tree_export_build(*, user, params: dict, progress) -> tuple[bytes, str]:
    return tree_export_xlsx(progress=progress), "don-vi.xlsx"


def tree_export_xlsx(*, progress=no_progress) -> bytes:
    parents = dict(Unit.objects.values_list("path", "code"))
    units = Unit.objects.order_by("path").iterator(chunk_size=2000)
    return keyed_xlsx(
        HEADERS,
        COLUMNS,
        progress(
            (
                [
                    unit.code,
                    parents.get(unit.path[: -Unit.steplen], ""),
                    unit.kind,
                    unit.name,
                    unit.abbreviation,
                    unit.place_name,
                    unit.email,
                    unit.phone,
                    unit.member_count,
                    unit.dissolved_on.strftime("%d/%m/%Y") if unit.dissolved_on else "",
                ]
                for unit in units
            ),
            total=len(parents),
        ),
        title="Đơn vị",
    )


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    moved: int = 0
    errors: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number cell holding 25.0 is the 25 its author typed
    return clean_text(str(value), multiline=False) if value is not None else ""


def _read_rows(data: bytes) -> list[tuple[int, dict]]:
    rows = xlsx_rows(data)
    key_row = next((i for i, r in enumerate(rows[:3]) if r and _cell(r[0]) == "code"), None)
    if key_row is None:
        raise PortalError(_("Không tìm thấy dòng tiêu đề (code, parent_code, kind, name…) trong bảng tính."))
    keys = [_cell(c) for c in rows[key_row]]
    out = []
    for index, row in enumerate(rows[key_row + 1 :], start=key_row + 2):
        if not row or not any(c not in (None, "") for c in row):
            continue
        try:
            out.append((index, {k: _cell(v) for k, v in zip(keys, row, strict=False) if k}))
        except PortalError as error:  # a control character: the file is refused, naming the row
            raise PortalError(_("Dòng %(row)s: ") % {"row": index} + error.message) from None
    return out


def tree_import_xlsx(*, data: bytes, by=None, effective_on=None) -> ImportResult:
    effective_on = effective_on or timezone.localdate()
    rows = _read_rows(data)
    result = ImportResult()
    existing = {u.code: u for u in Unit.objects.all()}
    path_to_code = {u.path: u.code for u in existing.values()}
    seen: dict[str, int] = {}
    planned: dict[str, dict] = {}
    for row_number, row in rows:
        kind = row.get("kind", "")
        name = row.get("name", "")
        prefix = _("Dòng %(row)s: ") % {"row": row_number}
        try:
            code, parent_code = clean_code(row.get("code")), clean_code(row.get("parent_code"))
        except PortalError as error:
            result.errors.append(prefix + error.message)
            continue
        if not code:
            result.errors.append(prefix + _("thiếu mã đơn vị."))
            continue
        if code in seen:
            result.errors.append(
                prefix + _("mã “%(code)s” trùng với dòng %(other)s.") % {"code": code, "other": seen[code]}
            )
            continue
        seen[code] = row_number
        if kind not in UnitKind.values:
            result.errors.append(prefix + _("loại đơn vị “%(kind)s” không hợp lệ.") % {"kind": kind})
            continue
        if not name:
            result.errors.append(prefix + _("thiếu tên đơn vị."))
            continue
        try:
            member_count = MEMBER_COUNT.clean(row.get("member_count")) or 0
        except ValidationError as error:
            result.errors.append(prefix + _("số đoàn viên: %(error)s") % {"error": " ".join(error.messages)})
            continue
        planned[code] = {
            **row,
            "code": code,
            "parent_code": parent_code,
            "member_count": member_count,
            "row": row_number,
        }
    # Parents must exist (in the file or the database) and be of an allowed kind.
    for code, row in planned.items():
        prefix = _("Dòng %(row)s: ") % {"row": row["row"]}
        parent_code = row["parent_code"]
        if not parent_code:
            if ALLOWED_PARENT_KINDS[UnitKind(row["kind"])]:
                result.errors.append(prefix + _("thiếu mã đơn vị cấp trên."))
            continue
        parent_kind = (
            planned[parent_code]["kind"]
            if parent_code in planned
            else (existing[parent_code].kind if parent_code in existing else None)
        )
        if parent_kind is None:
            result.errors.append(prefix + _("không tìm thấy đơn vị cấp trên “%(code)s”.") % {"code": parent_code})
        elif parent_kind not in ALLOWED_PARENT_KINDS[UnitKind(row["kind"])]:
            result.errors.append(
                prefix
                + _("đơn vị loại “%(kind)s” không thể trực thuộc đơn vị loại “%(parent_kind)s”.")
                % {"kind": UnitKind(row["kind"]).label, "parent_kind": UnitKind(parent_kind).label}
            )
        elif code in existing and existing[code].kind != row["kind"]:
            result.errors.append(prefix + _("không được đổi loại của đơn vị đã có."))
    if result.errors:
        return result
    with transaction.atomic():
        # Create in waves: a unit whose parent exists already goes now, grouped by parent.
        pending = {c: r for c, r in planned.items() if c not in existing}
        created_codes = set(pending)
        while pending:
            ready: dict[str, list[dict]] = {}
            for row in pending.values():
                if row["parent_code"] in existing:
                    ready.setdefault(row["parent_code"], []).append(row)
            if not ready:
                raise PortalError(_("Bảng tính có vòng lặp giữa các đơn vị cấp trên."))
            for parent_code, children in ready.items():
                parent = Unit.objects.get(code=parent_code)
                units_bulk_create_children(
                    parent=parent,
                    specs=[
                        UnitSpec(
                            code=r["code"],
                            name=r["name"],
                            kind=r["kind"],
                            abbreviation=r.get("abbreviation", ""),
                            member_count=r["member_count"],
                            email=r.get("email", ""),
                            phone=r.get("phone", ""),
                            place_name=r.get("place_name") or "Hà Nội",
                        )
                        for r in children
                    ],
                    active_from=effective_on,
                )
                result.created += len(children)
                for row in children:
                    pending.pop(row["code"])
            existing = {u.code: u for u in Unit.objects.all()}
        for code, row in planned.items():
            if code in existing and code not in created_codes:
                unit = existing[code]
                changes = {
                    k: row[k]
                    for k in ("name", "abbreviation", "email", "phone")
                    if k in row and row[k] != getattr(unit, k)
                }
                if row["member_count"] != unit.member_count:
                    changes["member_count"] = row["member_count"]
                if changes:
                    unit_update(unit=unit, by=by, **changes)
                    result.updated += 1
                current_parent = path_to_code.get(unit.path[: -Unit.steplen], "")
                if row["parent_code"] and current_parent and row["parent_code"] != current_parent:
                    unit_move(
                        unit=unit,
                        new_parent=existing[row["parent_code"]],
                        effective_on=effective_on,
                        by=by,
                        note=_("Nhập từ bảng tính"),
                    )
                    result.moved += 1
    if result.created or result.updated or result.moved:
        # A file of thousands of units leaves the tree's tables without fresh statistics (issue 18).
        tables_analyze(models=[Unit, UnitPlacement, UnitChange])
    return result
