"""The header of every official document the portal prints, read from the unit tree (QĐ 933/QĐ-TLĐ over
Nghị định 30/2020/NĐ-CP, Phụ lục I), and the number symbol of Điều 15.

    official_header(unit=..., on=date, number_symbol="33/KH-UBND") -> dict for documents/base_official.html

Every app builds its header here and nowhere else: directives, the reporting "Báo cáo", the contest's receipts,
decisions, results and score sheets. The parent body is the unit's parent on the document's date (its placement
then, or the lineage frozen at issue), and both names are the ones the units bore that day (their history):
a 2019 document keeps its 2019 header whatever reorganisation or renaming came later.
"""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Unit
from .selectors import unit_lineage_on


class DocumentType(models.TextChoices):
    KE_HOACH = "KH", _("Kế hoạch")
    HUONG_DAN = "HD", _("Hướng dẫn")
    CONG_VAN = "CV", _("Công văn")
    THONG_BAO = "TB", _("Thông báo")
    QUYET_DINH = "QĐ", _("Quyết định")
    BAO_CAO = "BC", _("Báo cáo")


# The type part of the number symbol (Điều 15, Nghị định 30/2020): a công văn has none.
TYPE_ABBREVIATION = {
    DocumentType.KE_HOACH: "KH",
    DocumentType.HUONG_DAN: "HD",
    DocumentType.CONG_VAN: "",
    DocumentType.THONG_BAO: "TB",
    DocumentType.QUYET_DINH: "QĐ",
    DocumentType.BAO_CAO: "BC",
}
# The type line printed on the document (none for a công văn).
TYPE_HEADING = {
    DocumentType.KE_HOACH: "KẾ HOẠCH",
    DocumentType.HUONG_DAN: "HƯỚNG DẪN",
    DocumentType.CONG_VAN: "",
    DocumentType.THONG_BAO: "THÔNG BÁO",
    DocumentType.QUYET_DINH: "QUYẾT ĐỊNH",
    DocumentType.BAO_CAO: "BÁO CÁO",
}

# Where the number goes on a paper that will be numbered by hand at the registry (văn thư).
BLANK_NUMBER = "\u2002\u2002\u2002\u2002"


def number_symbol_format(*, doc_type: str, issuer: str, number: int | None = None, drafting_suffix: str = "") -> str:
    """'33/KH-UBND', '83/HD-LĐLĐ'; a công văn has no type part: '153/LĐLĐ', '12/UBND-VX'.
    number None: the number is left blank for the registry ('    /BC-LĐLĐ')."""
    return number_symbol_compose(
        type_abbreviation=TYPE_ABBREVIATION[DocumentType(doc_type)],
        issuer=issuer,
        number=number,
        drafting_suffix=drafting_suffix,
    )


def number_symbol_compose(
    *, type_abbreviation: str, issuer: str, number: int | None = None, drafting_suffix: str = ""
) -> str:
    """The same, for a paper that is not one of the DocumentType (a receipt 'GBN', minutes 'BB'): '05/GBN-BTC'."""
    symbol = "-".join(p for p in (type_abbreviation, issuer, drafting_suffix) if p)
    return (f"{number:02d}" if number is not None else BLANK_NUMBER) + "/" + symbol


def unit_issuer_symbol(unit: Unit) -> str:
    """The issuer group of a unit's number symbols ('LĐLĐ', 'UBND'); its code when it has no abbreviation."""
    return unit.abbreviation or unit.code


def _as_of(unit: Unit, on: dt.date | None) -> Unit:
    """The unit as it stood at the end of a day (its history), or as it is when there is no day or no record."""
    if on is None or on >= timezone.localdate():
        return unit  # as it is now: no renaming can have happened since
    end_of_day = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    record = unit.history.filter(history_date__lt=end_of_day).order_by("-history_date", "-history_id").first()
    return record.instance if record is not None else unit


def _own_lines(unit: Unit) -> list[str]:
    """The unit's name on its documents: one or two lines ('ỦY BAN NHÂN DÂN' over 'THÀNH PHỐ HÀ NỘI')."""
    name = unit.document_name or unit.name
    return [line.strip() for line in name.split("\n") if line.strip()]


def _parent_on(unit: Unit, *, on: dt.date | None, lineage: str | None) -> Unit | None:
    if unit.depth <= 1:
        return None
    if lineage is None:
        lineage = unit_lineage_on(unit, on) if on is not None else unit.lineage
    codes = lineage.strip("/").split("/")
    parent = Unit.objects.filter(code=codes[-2]).first() if len(codes) > 1 else None
    return parent or Unit.objects.get_parent(unit)


def official_header(
    *,
    unit: Unit,
    on: dt.date | None,
    number_symbol: str = "",
    lineage: str | None = None,
    committee: str = "",
) -> dict:
    """parent_body, issuing_body, number_symbol and place of a document issued by a unit on a date.

    on: the document's date (None: the live tree, for drafts). lineage: where the unit stood, when the
    caller froze it at issue (a directive's issuing_lineage); otherwise its placement on that date.
    committee: a body set up by the unit ('BAN TỔ CHỨC CUỘC THI'): the unit heads it, the committee issues."""
    then = _as_of(unit, on)
    own = _own_lines(then)
    if committee:
        parent_body, issuing_body = " ".join(own), committee
    elif len(own) > 1:
        parent_body, issuing_body = own[0], " ".join(own[1:])
    else:
        issuing_body = own[0] if own else ""
        parent_body = then.document_parent_name
        if not parent_body:
            parent = _parent_on(unit, on=on, lineage=lineage)
            parent_body = _own_lines(_as_of(parent, on))[-1] if parent is not None else ""
    return {
        "parent_body": parent_body.upper(),
        "issuing_body": issuing_body.upper(),
        "number_symbol": number_symbol,
        "place": then.place_name,
    }


def unit_signer_authority(unit: Unit) -> str:
    """'TM. BAN THƯỜNG VỤ' or empty: the unit's own setting (a union's standing committee signs collectively)."""
    return unit.signer_authority
