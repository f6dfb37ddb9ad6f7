"""Reference data shipped with the code (see SOURCES.md beside each file).

Free of models on purpose: the data migration reads it too."""

import csv
import datetime as dt
from pathlib import Path

from campaign_portal.text import fold, nfc, vietnamese_sort_key

DATA_DIR = Path(__file__).resolve().parent
HANOI_AREAS_CSV = DATA_DIR / "hanoi_areas_2025.csv"
HANOI_PROVINCE_CODE = "01"
# Nghị quyết 1656/NQ-UBTVQH15: the new communes and wards exist from this day.
AREAS_VALID_FROM = dt.date(2025, 7, 1)


def hanoi_areas() -> list[dict[str, str]]:
    """The confirmed list: [{"code": "00229", "name": "Phường Kim Liên", "kind": "phuong"}, …]."""
    with HANOI_AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


# Official names start with the kind, in Vietnamese whatever the interface language.
AREA_NAME_PREFIX = {"phuong": "Phường", "xa": "Xã"}


def area_proper_name(name: str) -> str:
    """“Kim Liên” for “Phường Kim Liên”."""
    name = nfc(name).strip()
    for prefix in AREA_NAME_PREFIX.values():
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def area_search_text(name: str, code: str) -> str:
    return fold(f"{name} {code}")


def area_sort_key(name: str) -> str:
    """Ordered by the proper name (“Ba Đình” before “Bạch Mai”), whatever the kind."""
    return vietnamese_sort_key(area_proper_name(name))


def hanoi_areas_load(area_model, *, using: str = "default") -> int:
    """Adds the confirmed areas missing from the table; never changes an existing row (an admin's
    import of the official list wins). area_model: the current model or a migration's historical
    one. Returns how many were added."""
    rows = hanoi_areas()
    manager = area_model.objects.db_manager(using)
    present = set(manager.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True))
    missing = [
        area_model(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            province_code=HANOI_PROVINCE_CODE,
            valid_from=AREAS_VALID_FROM,
            search_text=area_search_text(row["name"], row["code"]),
            sort_key=area_sort_key(row["name"]),
        )
        for row in rows
        if row["code"] not in present
    ]
    manager.bulk_create(missing)
    return len(missing)
