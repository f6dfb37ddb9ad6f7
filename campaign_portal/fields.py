"""The portal's own form fields: NumberField for numbers typed by people (see campaign_portal.numbers),
CleanCharField for text (see campaign_portal.text).

NumberField is a text input with ``inputmode`` (``type=number`` drops the Vietnamese comma in
Chromium), read with parse_number() in the active language, checked against its
bounds and the storage range with plain Vietnamese messages, and shown back the
way it is typed (``85,5``, ``1.000``). A form error keeps the text as typed.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import PortalError
from .legacy_vietnamese import convert, looks_legacy
from .numbers import NumberInputError, format_number, parse_number
from .text import clean_code, clean_text


class NumberField(forms.Field):
    """decimal_places=0 for whole numbers; max_digits/decimal_places follow the model column so that
    nothing outside the storage range reaches the database."""

    default_error_messages = {"required": gettext_lazy("Chưa nhập số liệu.")}

    def __init__(
        self,
        *,
        min_value=None,
        max_value=None,
        decimal_places: int = 0,
        max_digits: int = 16,
        percent: bool = False,
        currency: bool = False,
        **kwargs,
    ):
        self.min_value = None if min_value is None else Decimal(str(min_value))
        self.max_value = None if max_value is None else Decimal(str(max_value))
        self.decimal_places = decimal_places
        self.max_digits = max_digits
        self.percent = percent
        self.currency = currency
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "inputmode": "numeric" if decimal_places == 0 and (self.min_value or 0) >= 0 else "decimal",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )

    @property
    def storage_limit(self) -> Decimal:
        """The largest magnitude the column holds: max_digits - decimal_places digits before the point."""
        return Decimal(10) ** (self.max_digits - self.decimal_places)

    @property
    def bounds_text(self) -> str:
        """What is shown beside the field: "Số nguyên từ 0 đến 100", "Tối đa 2 chữ số thập phân"."""
        parts = []
        kind = (
            _("Số nguyên")
            if self.decimal_places == 0
            else _("Số, tối đa %(n)s chữ số sau dấu thập phân") % {"n": self.decimal_places}
        )
        if self.min_value is not None and self.max_value is not None:
            parts.append(
                _("%(kind)s từ %(lo)s đến %(hi)s")
                % {"kind": kind, "lo": format_number(self.min_value), "hi": format_number(self.max_value)}
            )
        elif self.min_value is not None:
            parts.append(_("%(kind)s, tối thiểu %(lo)s") % {"kind": kind, "lo": format_number(self.min_value)})
        elif self.max_value is not None:
            parts.append(_("%(kind)s, tối đa %(hi)s") % {"kind": kind, "hi": format_number(self.max_value)})
        else:
            parts.append(kind)
        return "; ".join(parts)

    def prepare_value(self, value):
        # Bound data is shown exactly as typed; stored values the way they are typed in this language.
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return format_number(value, decimal_places=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_number(str(value), percent=self.percent, currency=self.currency)
        except NumberInputError as error:
            raise ValidationError(error.message, code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if not value.is_finite():
            raise ValidationError(_("Không phải là số."), code="invalid")
        if abs(value) >= self.storage_limit:
            raise ValidationError(
                _("Số quá lớn: tối đa %(n)s chữ số trước dấu thập phân.")
                % {"n": self.max_digits - self.decimal_places},
                code="too_large",
            )
        exponent = value.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if places > self.decimal_places:
            if self.decimal_places == 0:
                raise ValidationError(_("Chỉ nhập số nguyên."), code="whole")
            raise ValidationError(
                _("Tối đa %(n)s chữ số sau dấu thập phân.") % {"n": self.decimal_places}, code="decimal_places"
            )
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(_("Tối thiểu %(n)s.") % {"n": format_number(self.min_value)}, code="min_value")
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(_("Tối đa %(n)s.") % {"n": format_number(self.max_value)}, code="max_value")

    def clean(self, value):
        number = super().clean(value)
        if number is not None and self.decimal_places == 0:
            return int(number)
        return number


class CleanCharField(forms.CharField):
    """A text field cleaned by campaign_portal.text (see campaign_portal.forms.CleanTextMixin).

    One-line or multi-line (``multiline``), or a code (``code``: A–Z, 0–9, "-", upper-cased). Text
    that looks typed in TCVN3/VNI is refused with the converted text offered: a button under the
    field fills it in (static/portal/portal.js) or, without JavaScript, posts the form
    with ``use_converted=<field>`` and the conversion of what was typed is taken.
    """

    USE_CONVERTED = "use_converted"
    #: the codes of its refusals, for views that save drafts whatever else the form says
    REFUSAL_CODES = ("legacy_encoding", "invalid_text")
    multiline = False
    code = False
    use_converted = False
    html_name = ""

    def __init__(self, *, multiline: bool = False, code: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.multiline, self.code = multiline, code

    def to_python(self, value):
        if isinstance(value, str) and value not in self.empty_values:
            value = self._clean_typed(value)
        return super().to_python(value)

    def _clean_typed(self, value: str) -> str:
        if not self.code:
            encoding = looks_legacy(value)
            if encoding:
                suggestion = clean_text(convert(value, encoding), multiline=self.multiline)
                if not self.use_converted:
                    self._offer(suggestion)
                    raise ValidationError(
                        _("Văn bản có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI). Có phải bạn muốn: «%(text)s»?")
                        % {"text": Truncator(suggestion).chars(120)},
                        code="legacy_encoding",
                    )
                value = suggestion
        try:
            return clean_code(value) if self.code else clean_text(value, multiline=self.multiline)
        except PortalError as error:
            raise ValidationError(error.message, code="invalid_text") from None

    def _offer(self, suggestion: str) -> None:
        """The suggestion button, shown where each renderer (crispy, admin) shows help text."""
        button = format_html(
            '<span class="legacy-suggestion d-block mt-1"><button type="submit" class="btn btn-sm btn-outline-primary"'
            ' name="{}" value="{}" data-legacy-target="{}" data-legacy-fill="{}">{}</button></span>',
            self.USE_CONVERTED,
            self.html_name,
            self.html_name,
            suggestion,
            _("Dùng bản chuyển đổi"),
        )
        original = getattr(self, "_help_before_offer", None)
        if original is None:
            original = self._help_before_offer = self.help_text
        self.help_text = format_html("{}{}", original, button) if original else button
