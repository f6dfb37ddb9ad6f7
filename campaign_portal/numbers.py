"""Numbers as people type them, in one place for the whole portal.

In Vietnamese a comma separates the decimals and a dot (or a space) groups the
thousands: ``1.000`` is one thousand, ``85,5`` is eighty-five and a half,
``1.234.567,89`` works. English is the other way round. A number that the other
convention would read differently, and that is not a valid grouping in this
one (``85.5`` or ``1,000`` typed in Vietnamese), is refused with a message that
says how to type it: never guessed.

- parse_number(): text → Decimal (or None for blank), raising NumberInputError.
- format_number(): Decimal → text the way it is typed back (``85,5``, ``1.000``).
- NumberField (campaign_portal.fields) wraps both for every form; the ``number`` filter
  (templatetags/numbers.py) displays them.
"""

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from django.utils import translation
from django.utils.numberformat import format as django_number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Convention:
    decimal: str
    group: str


VIETNAMESE = Convention(decimal=",", group=".")
ENGLISH = Convention(decimal=".", group=",")

# Spaces people (and spreadsheets) put between thousands: space, no-break, narrow no-break, thin.
_SPACES = {" ", "\u00a0", "\u202f", "\u2009"}
_MINUS = {"-", "\u2212", "\u2013"}


class NumberInputError(ValueError):
    """The text is not a number, or could be read two ways; the message says how to type it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def convention_for(language: str | None = None) -> Convention:
    language = (language or translation.get_language() or "vi").lower()
    return ENGLISH if language.startswith("en") else VIETNAMESE


def _example(convention: Convention) -> str:
    return _("Ví dụ: %(thousand)s (một nghìn), %(decimal)s (tám mươi lăm phẩy năm).") % {
        "thousand": f"1{convention.group}000",
        "decimal": f"85{convention.decimal}5",
    }


def _is_grouped(digits: str, group: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}(?:" + re.escape(group) + r"\d{3})+", digits))


def parse_number(
    text: str | None, *, language: str | None = None, percent: bool = False, currency: bool = False
) -> Decimal | None:
    """Reads a number typed in the language's convention; None when blank.

    percent accepts a trailing ``%``; currency a trailing ``đ``, ``đồng`` or ``VNĐ``."""
    convention = convention_for(language)
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if not raw:
        return None
    shown = raw
    lowered = raw.lower()
    if percent and lowered.endswith("%"):
        raw = raw[:-1].strip()
    if currency:
        for suffix in ("đồng", "vnđ", "vnd", "đ"):
            if raw.lower().endswith(suffix):
                raw = raw[: -len(suffix)].strip()
                break
    negative = False
    if raw[:1] in _MINUS:
        negative, raw = True, raw[1:].strip()
    elif raw[:1] == "+":
        raw = raw[1:].strip()
    # Spaces only ever group thousands; they must group them properly.
    if any(ch in _SPACES for ch in raw):
        parts = re.split("[" + "".join(_SPACES) + "]+", raw)
        integer_part = parts[0]
        rest = parts[1:]
        tail_decimal = ""
        if rest and convention.decimal in rest[-1]:
            rest[-1], _sep, tail_decimal = rest[-1].partition(convention.decimal)
        if not (
            1 <= len(integer_part) <= 3 and all(len(p) == 3 and p.isdigit() for p in rest) and integer_part.isdigit()
        ):
            raise NumberInputError(
                _("“%(text)s” không phải là số viết đúng cách. %(example)s")
                % {"text": shown, "example": _example(convention)}
            )
        raw = "".join([integer_part, *rest]) + (convention.decimal + tail_decimal if tail_decimal else "")
    if not raw or not re.fullmatch(r"[\d.,]+", raw) or not any(ch.isdigit() for ch in raw):
        raise NumberInputError(
            _("“%(text)s” không phải là số. %(example)s") % {"text": shown, "example": _example(convention)}
        )
    integer_text, _sep, decimals = raw.partition(convention.decimal)
    if convention.decimal in decimals or convention.group in decimals:
        # A second decimal mark, or a group mark after it: typed in the other convention.
        raise NumberInputError(_ambiguous_message(shown, convention))
    if convention.group in integer_text:
        if not _is_grouped(integer_text, convention.group):
            # 85.5 in Vietnamese (or 85,5 in English): not a grouping here, a decimal there.
            raise NumberInputError(_ambiguous_message(shown, convention))
        integer_text = integer_text.replace(convention.group, "")
    elif _sep and len(decimals) == 3 and 1 <= len(integer_text) <= 3 and integer_text != "0":
        # 1,000 in Vietnamese is 1 here and one thousand in the other convention: ask.
        raise NumberInputError(_ambiguous_message(shown, convention))
    if _sep and not decimals:
        raise NumberInputError(
            _("“%(text)s”: thiếu chữ số sau dấu thập phân. %(example)s")
            % {"text": shown, "example": _example(convention)}
        )
    try:
        value = Decimal(f"{integer_text or '0'}.{decimals}" if decimals else integer_text)
    except InvalidOperation:
        raise NumberInputError(
            _("“%(text)s” không phải là số. %(example)s") % {"text": shown, "example": _example(convention)}
        ) from None
    return -value if negative else value


def _ambiguous_message(shown: str, convention: Convention) -> str:
    if convention is VIETNAMESE:
        return _(
            "“%(text)s” có thể hiểu theo hai cách. Gõ dấu phẩy trước phần thập phân (85,5) và dấu chấm "
            "hoặc dấu cách giữa các nhóm nghìn (1.000 hoặc 1 000)."
        ) % {"text": shown}
    return _(
        "“%(text)s” can be read two ways. Type a point before the decimals (85.5) and a comma or a space "
        "between thousands (1,000 or 1 000)."
    ) % {"text": shown}


def format_number(value, *, language: str | None = None, decimal_places: int | None = None) -> str:
    """The number the way it is typed in the language: 1.000, 85,5 (trailing zeros dropped unless places given;
    negative places: at most that many, trailing zeros dropped)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if decimal_places is not None and decimal_places < 0:
        # At most that many decimals, trailing zeros dropped (like floatformat:"-2"): averages.
        with localcontext(prec=max(60, len(number.as_tuple().digits) + 10)):
            number = number.quantize(Decimal(1).scaleb(decimal_places), rounding=ROUND_HALF_UP)
        decimal_places = None
    if decimal_places is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    else:
        places = decimal_places
        # Round half up as people do (69,286 → 69,29): Django's formatter would cut the digits.
        with contextlib.suppress(InvalidOperation):  # beyond 28 digits: shown as is rather than fail
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    convention = convention_for(language)
    return django_number_format(
        number, convention.decimal, places, 3, convention.group, force_grouping=True, use_l10n=False
    )
