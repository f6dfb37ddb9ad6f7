"""A person's phone: one Vietnamese mobile number, stored E.164 (+84…), the form Zalo (ZNS) and the SMS
gateway are given. Every form and service that writes User.phone goes through normalise_mobile."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "VN"
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalise_mobile(raw: str) -> str:
    """ "0912 345 678", "84912345678", "+84 912-345-678" → "+84912345678"; empty stays empty.
    A landline, a foreign number or garbage raises ValidationError (Vietnamese message)."""
    text = (raw or "").strip()
    if not text:
        return ""
    digits = "".join(c for c in text if c.isdigit())
    # "84912345678" typed without the plus is the country code, not a national number starting 84.
    if not text.startswith(("+", "0")) and digits.startswith("84") and len(digits) == 11:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Số điện thoại không hợp lệ. Ví dụ đúng: 0912 345 678."), code="invalid") from None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) != REGION:
        raise ValidationError(_("Cần số di động Việt Nam (10 số, ví dụ 0912 345 678)."), code="not_vietnamese_mobile")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("Đây không phải số di động: cần số di động để nhận Zalo, SMS (ví dụ 0912 345 678)."), code="landline"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mobile_or_none(raw: str) -> str | None:
    """The normalised mobile, or None when it cannot be (data migration, demo checks)."""
    try:
        return normalise_mobile(raw)
    except ValidationError:
        return None


class MobilePhoneFormMixin:
    """For a form with a "phone" field writing User.phone: a typed number is stored normalised, a wrong one
    is a field error (the form comes back with what was typed)."""

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data.get("phone", ""))
