"""Vietnamese typed in the pre-Unicode encodings TCVN3 (ABC) and VNI, pasted from old Word files.

With its own font (.VnTime, VNI-Times) such text looks right; pasted as Unicode it is mojibake:
TCVN3 "Hµ Néi" (one byte per letter, shown in Windows-1252), VNI "Haø Noäi" (a base letter followed by
a mark byte). convert() maps both back to precomposed Unicode from the published tables;
looks_legacy() says which one a text is, and is cautious: real Vietnamese, English and French
("café", "naïve", "aérien", « guillemets ») are not legacy.
"""

import re
import unicodedata

TCVN3 = "tcvn3"
VNI = "vni"

# TCVN3 (TCVN 5712:1993, VN3 "ABC"): byte → letter. Tone-marked capitals do not exist in TCVN3
# (the .VnTimeH font draws the lower-case bytes as capitals), so they convert to lower case.
_TCVN3_TABLE = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
    0xB5: "à",
    0xB6: "ả",
    0xB7: "ã",
    0xB8: "á",
    0xB9: "ạ",
    0xBB: "ằ",
    0xBC: "ẳ",
    0xBD: "ẵ",
    0xBE: "ắ",
    0xC6: "ặ",
    0xC7: "ầ",
    0xC8: "ẩ",
    0xC9: "ẫ",
    0xCA: "ấ",
    0xCB: "ậ",
    0xCC: "è",
    0xCE: "ẻ",
    0xCF: "ẽ",
    0xD0: "é",
    0xD1: "ẹ",
    0xD2: "ề",
    0xD3: "ể",
    0xD4: "ễ",
    0xD5: "ế",
    0xD6: "ệ",
    0xD7: "ì",
    0xD8: "ỉ",
    0xDC: "ĩ",
    0xDD: "í",
    0xDE: "ị",
    0xDF: "ò",
    0xE1: "ỏ",
    0xE2: "õ",
    0xE3: "ó",
    0xE4: "ọ",
    0xE5: "ồ",
    0xE6: "ổ",
    0xE7: "ỗ",
    0xE8: "ố",
    0xE9: "ộ",
    0xEA: "ờ",
    0xEB: "ở",
    0xEC: "ỡ",
    0xED: "ớ",
    0xEE: "ợ",
    0xEF: "ù",
    0xF1: "ủ",
    0xF2: "ũ",
    0xF3: "ú",
    0xF4: "ụ",
    0xF5: "ừ",
    0xF6: "ử",
    0xF7: "ữ",
    0xF8: "ứ",
    0xF9: "ự",
    0xFA: "ỳ",
    0xFB: "ỷ",
    0xFC: "ỹ",
    0xFD: "ý",
    0xFE: "ỵ",
}
# Bytes 0xA0–0xFF show as the same code points in Windows-1252 and Latin-1.
_TCVN3_CHARS = {chr(byte): letter for byte, letter in _TCVN3_TABLE.items()}

# VNI Windows: a vowel followed by a mark character. Lower-case marks; capitals use the capital
# of the same character ("AØ" = "À").
_VNI_MARKS = {
    # tone on a plain vowel
    "ø": "\u0300",
    "ù": "\u0301",
    "û": "\u0309",
    "õ": "\u0303",
    "ï": "\u0323",
    # circumflex (a, e, o), alone and with a tone
    "â": "\u0302",
    "à": "\u0302\u0300",
    "á": "\u0302\u0301",
    "å": "\u0302\u0309",
    "ã": "\u0302\u0303",
    "ä": "\u0302\u0323",
    # breve (a only), alone and with a tone
    "ê": "\u0306",
    "è": "\u0306\u0300",
    "é": "\u0306\u0301",
    "ú": "\u0306\u0309",
    "ü": "\u0306\u0303",
    "ë": "\u0306\u0323",
}
_VNI_TONES = frozenset("øùûõï")
_VNI_CIRCUMFLEX = frozenset("âàáåãä")
_VNI_BREVE = frozenset("êèéúüë")
# Letters that are one character in VNI: ơ, ư, đ and the i/y with marks that have no base+mark form.
_VNI_SINGLE = {
    "ô": "ơ",
    "ö": "ư",
    "ñ": "đ",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
    "Ô": "Ơ",
    "Ö": "Ư",
    "Ñ": "Đ",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "Î": "Ỵ",
}
# Pairs that also occur in real Vietnamese ("hoà", "hoá", "loã") or French ("naïve", "aérien",
# "héroïne", "où", "août", "Raphaël"): a word with only these is not taken as VNI.
_VNI_WEAK_PAIRS = frozenset({"oà", "oá", "oã", "aé", "aï", "oï", "uï", "eï", "aë", "où", "oû"})

# Letters only Vietnamese (Unicode) uses: ă đ ĩ ũ ơ ư and the Latin Extended Additional block.
_VIETNAMESE_ONLY = re.compile("[ăâđĩũơưĂĐĨŨƠƯ\u1ea0-\u1ef9]".replace("â", ""))
# TCVN3 bytes that are not letters of Vietnamese, English, French, German or Spanish: symbols
# (µ ¸ ¶ · ¹ ¨ © ª « ¬ ® …) and a few rare capitals.
_TCVN3_TELLTALE = frozenset(ch for ch in _TCVN3_CHARS if not ch.isalpha() or ch in "µªÐÞðþÆ") | {"\xad"}
_EDGE_PUNCTUATION = "\"'()[]{}<>.,;:!?…“”‘’-–—/"


def _words(text: str) -> list[str]:
    words = (w.strip(_EDGE_PUNCTUATION) for w in text.split())
    return [w for w in words if any(c.isalpha() for c in w)]


def _is_tcvn3_word(word: str) -> bool:
    if any(c.isdigit() for c in word) or not any("a" <= c.lower() <= "z" for c in word):
        return False
    if not all(c.isascii() or c in _TCVN3_CHARS for c in word):
        return False
    for i, ch in enumerate(word):
        if ch in _TCVN3_TELLTALE:
            if ch in "©®" and not (i + 1 < len(word) and word[i + 1].isalpha()):
                continue  # ACME®, Copyright©: the sign, not â/đ
            if ch in "«»" and i in (0, len(word) - 1):
                continue  # «guillemets», not ô/ằ
            return True
    return False


def _vni_pairs(word: str) -> list[str]:
    pairs = []
    for base, mark in zip(word, word[1:], strict=False):
        low_base, low_mark = base.lower(), mark.lower()
        if low_mark in _VNI_TONES and low_base in "aeouyôö":
            pairs.append(low_base + low_mark)
        elif low_mark in _VNI_CIRCUMFLEX and low_base in "aeo":
            pairs.append(low_base + low_mark)
        elif low_mark in _VNI_BREVE and low_base == "a":
            pairs.append(low_base + low_mark)
    return pairs


def _is_vni_word(word: str) -> bool:
    if not all(c.isascii() or c.lower() in _VNI_MARKS or c in _VNI_SINGLE or c.lower() in "ìí" for c in word):
        return False
    pairs = _vni_pairs(word)
    if any(pair not in _VNI_WEAK_PAIRS for pair in pairs):
        return True
    # đ at the start of a word ("ñi", "ñoaøn") or ư before ơ ("ngöôøi") are VNI too.
    return bool(re.match(r"[ñÑ][aeiouyAEIOUYôöÔÖ]", word) or re.search("[öÖ][ôÔ]", word))


def looks_legacy(text: str | None, *, minimum_ratio: float = 0.2) -> str | None:
    """TCVN3, VNI or None. Legacy when at least ``minimum_ratio`` of the words carry the encoding's
    tell-tales and the text has no letter only Unicode Vietnamese has."""
    text = unicodedata.normalize("NFC", text or "")
    if _VIETNAMESE_ONLY.search(text):
        return None
    words = _words(text)
    if not words:
        return None
    for encoding, test in ((TCVN3, _is_tcvn3_word), (VNI, _is_vni_word)):
        hits = sum(1 for w in words if test(w))
        if hits and hits / len(words) >= minimum_ratio:
            return encoding
    return None


def _convert_tcvn3(text: str) -> str:
    return "".join(_TCVN3_CHARS.get(ch, ch) for ch in text)


def _convert_vni(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        base = _VNI_SINGLE.get(ch, ch) if ch in "ôöÔÖ" else ch
        if (
            nxt
            and nxt.lower() in _VNI_MARKS
            and (
                (nxt.lower() in _VNI_TONES and ch.lower() in "aeouyôö")
                or (nxt.lower() in _VNI_CIRCUMFLEX and ch.lower() in "aeo")
                or (nxt.lower() in _VNI_BREVE and ch.lower() == "a")
            )
        ):
            out.append(unicodedata.normalize("NFC", base + _VNI_MARKS[nxt.lower()]))
            i += 2
            continue
        out.append(_VNI_SINGLE.get(ch, ch))
        i += 1
    return "".join(out)


def convert(text: str | None, encoding: str) -> str:
    """Legacy text → NFC Unicode Vietnamese."""
    text = unicodedata.normalize("NFC", text or "")
    converted = _convert_tcvn3(text) if encoding == TCVN3 else _convert_vni(text)
    return unicodedata.normalize("NFC", converted)
