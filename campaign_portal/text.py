"""Vietnamese text helpers shared by every app.

- nfc(): what we store (typed text may arrive NFD from some keyboards/phones).
- fold(): what we search on: lower case, no tones, đ→d ("Hà Nội" → "ha noi").
- clean_text() / clean_code(): the one cleaning of typed text before it is stored.
- vietnamese_sort_key(): orders the Vietnamese way (a < ă < â < b … d < đ …,
  then by tone), as a plain ASCII string so that any database collation
  orders it the same.
"""

import re
import unicodedata

from django.utils.translation import gettext as _
from unidecode import unidecode

from .exceptions import PortalError
from .legacy_vietnamese import looks_legacy

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Other Latin letters (f, j, w, z in foreign names) sort after their neighbours.
_ORDER = {ch: i for i, ch in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")}
# Tone marks, in the order Vietnamese dictionaries use: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "")


def fold(value: str | None) -> str:
    """Accent- and case-insensitive form used for search columns and queries."""
    text = nfc(value).replace("đ", "d").replace("Đ", "D")
    return " ".join(unidecode(text).lower().split())


def _split_letter(ch: str) -> tuple[str, int]:
    """A precomposed character → (base letter with its letter marks, tone)."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONES:
            tone = _TONES[part]
        elif unicodedata.combining(part) and part not in _LETTER_MARKS:
            continue
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def vietnamese_sort_key(value: str | None) -> str:
    primary, secondary = [], []
    for ch in nfc(value):
        base, tone = _split_letter(ch)
        if base in _ORDER:
            primary.append(f"{_ORDER[base] + 10:02d}")
        elif base.isdigit():
            primary.append(f"0{base}")
        elif base.isspace():
            primary.append("00")
        else:
            # Punctuation and anything else: after the letters, stable by code point.
            primary.append(f"9{ord(base) % 10}")
        secondary.append(str(tone))
    return ("".join(primary) + "|" + "".join(secondary))[:500]


def has_vietnamese_diacritics(value: str, *, minimum_ratio: float = 0.15) -> bool:
    """True when enough words carry Vietnamese marks to be typed 'có dấu'.

    Unaccented Vietnamese ("cai cach thu tuc") and English fail; a real
    Vietnamese text has marks on well over a third of its words. Mojibake of the
    legacy encodings ("Hµ Néi", "Haø Noäi") carries marks but is not Vietnamese.
    """
    if looks_legacy(value):
        return False
    words = [w for w in nfc(value).split() if any(c.isalpha() for c in w)]
    if len(words) < 3:
        return False
    marked = sum(1 for w in words if fold(w) != w.lower())
    return marked / len(words) >= minimum_ratio


# --- Cleaning what people type (issue 14, item 4) -------------------------------------------------
# Characters that show nothing yet change what a text says or how it sorts: zero-width spaces and
# joiners, BOM, soft hyphen, bidi embeddings/overrides/isolates and marks. Most are category Cf; the
# few invisible fillers of other categories are listed by hand.
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n"}
CODE_PATTERN = "[A-Z0-9-]"


def _control_error(ch: str) -> PortalError:
    return PortalError(_("Văn bản chứa ký tự điều khiển không hợp lệ (U+%(code)04X).") % {"code": ord(ch)})


def clean_text(value: str | None, *, multiline: bool) -> str:
    """The one cleaning of user text before it is stored (forms, services, imports, admin).

    NFC; invisible and bidi control characters removed; one-line text has every whitespace run
    (NBSP, tabs, line breaks) made one space; multi-line text keeps its paragraphs with ``\\n`` line
    ends and no trailing spaces. Any other control character is refused with PortalError.
    """
    text = nfc(value)
    if multiline:
        for old, new in _LINE_BREAKS.items():
            text = text.replace(old, new)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf" or ch in _INVISIBLE_EXTRA:
            continue
        if category == "Cc":
            if ch in "\t\n":
                kept.append(ch if multiline else " ")
                continue
            if ch in "\r\x85" or (not multiline and ch in "\x0b\x0c"):
                kept.append(" ")
                continue
            raise _control_error(ch)
        if category in ("Zs", "Zl", "Zp"):
            kept.append(" " if category == "Zs" or not multiline else "\n")
            continue
        kept.append(ch)
    text = "".join(kept)
    if not multiline:
        return " ".join(text.split())
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def clean_code(value: str | None) -> str:
    """Codes (unit codes, entry codes…) are upper-case A–Z, digits and hyphens, nothing else."""
    code = clean_text(value, multiline=False).upper()
    if code and not re.fullmatch(f"{CODE_PATTERN}+", code):
        raise PortalError(_("Mã chỉ gồm chữ cái A–Z không dấu, chữ số và dấu gạch ngang (-), không có dấu cách."))
    return code
