"""Vietnamese text helpers shared by every app.

- nfc(): what we store (typed text may arrive NFD from some keyboards/phones).
- fold(): what we search on: lower case, no tones, đ→d ("Hà Nội" → "ha noi").
- vietnamese_sort_key(): orders the Vietnamese way (a < ă < â < b … d < đ …,
  then by tone), as a plain ASCII string so that any database collation
  orders it the same.
"""

import unicodedata

from unidecode import unidecode

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
    Vietnamese text has marks on well over a third of its words.
    """
    words = [w for w in nfc(value).split() if any(c.isalpha() for c in w)]
    if len(words) < 3:
        return False
    marked = sum(1 for w in words if fold(w) != w.lower())
    return marked / len(words) >= minimum_ratio
