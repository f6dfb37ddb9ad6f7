"""The communes and wards as XLSX: export (a template to edit) and import of the official list.

Import checks every row first and writes nothing unless all rows are good (as tree_io does), then
adds new areas and updates the name, kind and dates of existing ones. Headers may be the portal's
keys (code, name, kind, province_code, valid_from, valid_to) or the Vietnamese headers of the
official list (Mã, Tên, Cấp, Mã TP). Rows of another province are skipped and counted."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.text import clean_text, fold

from .data import AREA_NAME_PREFIX, AREAS_VALID_FROM, HANOI_PROVINCE_CODE
from .models import AdministrativeArea
from .tree_io import keyed_xlsx, xlsx_rows

COLUMNS = ["code", "name", "kind", "province_code", "valid_from", "valid_to"]
HEADERS = {
    "code": "Mã đơn vị hành chính",
    "name": "Tên",
    "kind": "Loại (phuong/xa)",
    "province_code": "Mã tỉnh, thành phố",
    "valid_from": "Hiệu lực từ",
    "valid_to": "Hết hiệu lực từ",
}
# Folded header → key: the portal's own keys and the official list's Vietnamese headers.
HEADER_ALIASES = {
    "code": "code",
    "ma": "code",
    "ma xa": "code",
    "ma don vi hanh chinh": "code",
    "ma dvhc": "code",
    "name": "name",
    "ten": "name",
    "ten xa": "name",
    "ten don vi hanh chinh": "name",
    "kind": "kind",
    "cap": "kind",
    "loai": "kind",
    "loai (phuong/xa)": "kind",
    "province_code": "province_code",
    "ma tp": "province_code",
    "ma tinh": "province_code",
    "ma tinh, thanh pho": "province_code",
    "valid_from": "valid_from",
    "hieu luc tu": "valid_from",
    "valid_to": "valid_to",
    "het hieu luc tu": "valid_to",
}
KIND_WORDS = {"phuong": "phuong", "xa": "xa"}


def areas_export_xlsx() -> bytes:
    areas = AdministrativeArea.objects.order_by("code")
    return keyed_xlsx(
        HEADERS,
        COLUMNS,
        (
            [
                area.code,
                area.name,
                area.kind,
                area.province_code,
                area.valid_from.strftime("%d/%m/%Y"),
                area.valid_to.strftime("%d/%m/%Y") if area.valid_to else "",
            ]
            for area in areas
        ),
        title="Địa bàn",
    )


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # rows of another province
    errors: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value), multiline=False) if value is not None else ""


def _read_rows(data: bytes) -> list[tuple[int, dict]]:
    rows = xlsx_rows(data)
    key_row, keys = None, []
    for index, row in enumerate(rows[:5]):
        keys = [HEADER_ALIASES.get(fold(_cell(c)), "") for c in row or ()]
        if "code" in keys and "name" in keys:
            key_row = index
            break
    if key_row is None:
        raise PortalError(_("Không tìm thấy dòng tiêu đề (code, name hoặc Mã, Tên) trong bảng tính."))
    out = []
    for index, row in enumerate(rows[key_row + 1 :], start=key_row + 2):
        if not row or not any(c not in (None, "") for c in row):
            continue
        try:
            values = {k: _cell(v) for k, v in zip(keys, row, strict=False) if k}
        except PortalError as error:  # a control character: the file is refused, naming the row
            raise PortalError(_("Dòng %(row)s: ") % {"row": index} + error.message) from None
        if values.get("code") in COLUMNS or values.get("code") == HEADERS["code"]:
            continue  # the second header line of our own export
        out.append((index, values))
    return out


def _parse_date(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _kind_of(kind_text: str, name: str) -> str | None:
    folded = fold(kind_text)
    if folded:
        return KIND_WORDS.get(folded)
    for kind, prefix in AREA_NAME_PREFIX.items():
        if name.startswith(prefix + " "):
            return kind
    return None


def _check_row(row: dict) -> tuple[dict | None, str | None]:
    """(clean values, None) or (None, the problem)."""
    code = row.get("code", "")
    if not re.fullmatch(r"\d{1,5}", code):
        return None, _("mã “%(code)s” phải gồm tối đa 5 chữ số.") % {"code": code}
    name = " ".join(row.get("name", "").split())
    if not name:
        return None, _("thiếu tên.")
    kind = _kind_of(row.get("kind", ""), name)
    if kind is None:
        return None, _("loại phải là “phuong” hoặc “xa” (hoặc tên bắt đầu bằng “Phường”, “Xã”).")
    if not name.startswith(AREA_NAME_PREFIX[kind] + " "):
        name = f"{AREA_NAME_PREFIX[kind]} {name}"
    dates = {}
    for key in ("valid_from", "valid_to"):
        try:
            dates[key] = _parse_date(row[key]) if row.get(key) else None
        except ValueError:
            return None, _("ngày “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": row[key]}
    if dates["valid_to"] and dates["valid_to"] <= (dates["valid_from"] or AREAS_VALID_FROM):
        return None, _("ngày hết hiệu lực phải sau ngày hiệu lực.")
    return {"code": code.zfill(5), "name": name, "kind": kind, **dates}, None


def areas_import_xlsx(*, data: bytes, by=None) -> AreaImportResult:
    rows = _read_rows(data)
    result = AreaImportResult()
    planned: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for row_number, row in rows:
        prefix = _("Dòng %(row)s: ") % {"row": row_number}
        province = row.get("province_code", "")
        if province and province.zfill(2) != HANOI_PROVINCE_CODE:
            result.skipped += 1
            continue
        clean, problem = _check_row(row)
        if problem:
            result.errors.append(prefix + problem)
            continue
        if clean["code"] in seen:
            result.errors.append(
                prefix
                + _("mã “%(code)s” trùng với dòng %(other)s.") % {"code": clean["code"], "other": seen[clean["code"]]}
            )
            continue
        seen[clean["code"]] = row_number
        planned[clean["code"]] = clean
    if result.errors:
        return result
    existing = {a.code: a for a in AdministrativeArea.objects.filter(code__in=list(planned))}
    with transaction.atomic():
        for code, clean in planned.items():
            area = existing.get(code)
            if area is None:
                AdministrativeArea.objects.create(
                    code=code,
                    name=clean["name"],
                    kind=clean["kind"],
                    province_code=HANOI_PROVINCE_CODE,
                    valid_from=clean["valid_from"] or AREAS_VALID_FROM,
                    valid_to=clean["valid_to"],
                )
                result.created += 1
                continue
            changes = {"name": clean["name"], "kind": clean["kind"], "valid_to": clean["valid_to"]}
            if clean["valid_from"]:
                changes["valid_from"] = clean["valid_from"]
            changes = {k: v for k, v in changes.items() if getattr(area, k) != v}
            if not changes:
                result.unchanged += 1
                continue
            for name, value in changes.items():
                setattr(area, name, value)
            area.save()
            result.updated += 1
    return result
