"""The entrant's district was typed as free text before it became a choice of today's communes and wards: the
data migration maps each text to an area by its folded name, only where exactly one live area matches."""

from campaign_portal.text import fold
from organizations.data import area_proper_name

# Folded, longest first: "thi xa" before "xa".
_PREFIXES = ("thi tran ", "thi xa ", "phuong ", "quan ", "huyen ", "xa ")


def _proper_folded(name: str) -> str:
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def area_for_legacy_district(text: str, areas):
    """The one area of `areas` (objects with a name) whose name, without its "Phường"/"Xã" prefix, folds to the
    typed text without its "Quận"/"Huyện"/"Phường"/"Xã" prefix; None when none or several match."""
    wanted = _proper_folded(text or "")
    if not wanted:
        return None
    matches = [area for area in areas if fold(area_proper_name(area.name)) == wanted]
    return matches[0] if len(matches) == 1 else None


def map_legacy_districts(entrant_model, entry_model, area_model) -> int:
    """Sets the area of every entrant and entry whose legacy text names exactly one live area, and clears that
    text; the others keep it for the organiser. Returns how many rows were mapped."""
    areas = list(area_model.objects.filter(valid_to__isnull=True).only("id", "name"))
    mapped = 0
    for model in (entrant_model, entry_model):
        for row in model.objects.filter(area__isnull=True).exclude(legacy_district="").only("id", "legacy_district"):
            area = area_for_legacy_district(row.legacy_district, areas)
            if area is not None:
                model.objects.filter(pk=row.pk).update(area=area, legacy_district="")
                mapped += 1
    return mapped
