"""Checks on a report's values: each number against its indicator's bounds and the
storage range, required indicators, validation rules across indicators, and the
comparison with the unit's previous period. Plain functions over parsed values,
used by the filing form and again by the saving and submit services."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaign_portal.fields import NumberField
from campaign_portal.numbers import format_number

from .enums import IndicatorType, RuleOperator
from .models import VALUE_DECIMAL_PLACES, VALUE_MAX_DIGITS, Indicator

# Digits Value.number holds before the point: nothing larger is accepted.
VALUE_WHOLE_DIGITS = VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES

_OPS = {
    RuleOperator.GE: lambda a, b: a >= b,
    RuleOperator.LE: lambda a, b: a <= b,
    RuleOperator.EQ: lambda a, b: a == b,
    RuleOperator.GT: lambda a, b: a > b,
    RuleOperator.LT: lambda a, b: a < b,
}


def _is_empty(value) -> bool:
    return value is None or value == ""


def indicator_bounds(indicator: Indicator) -> tuple[Decimal | None, Decimal | None, int]:
    """(minimum, maximum, decimal places) of a numeric indicator: whole numbers for integers and yes/no,
    two decimals for decimals and percentages; a percentage is 0..100 unless the indicator says otherwise."""
    low, high = indicator.min_value, indicator.max_value
    if indicator.type == IndicatorType.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if indicator.type == IndicatorType.BOOLEAN:
        return Decimal(0), Decimal(1), 0
    places = 0 if indicator.type == IndicatorType.INTEGER else 2
    return low, high, places


def number_field(indicator: Indicator, **kwargs) -> NumberField:
    """The form field of a numeric indicator: its bounds and places, inside the storage range."""
    low, high, places = indicator_bounds(indicator)
    return NumberField(
        min_value=low,
        max_value=high,
        decimal_places=places,
        max_digits=VALUE_WHOLE_DIGITS + places,
        percent=indicator.type == IndicatorType.PERCENT,
        **kwargs,
    )


def number_problem(indicator: Indicator, value) -> str | None:
    """Why a number cannot be stored for the indicator (bounds, places, storage range), or None."""
    try:
        number_field(indicator).validate(Decimal(value))
    except ValidationError as error:
        return error.messages[0]
    return None


def check_required(*, indicators, values: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for indicator in indicators:
        if indicator.required and _is_empty(values.get(indicator.code)):
            errors.setdefault(indicator.code, []).append(_("Chỉ tiêu bắt buộc: hãy nhập số liệu."))
    return errors


def check_rules(*, rules, values: dict) -> dict[str, list[str]]:
    """Each rule compares two indicators; it is skipped while either side is empty."""
    errors: dict[str, list[str]] = {}
    for rule in rules:
        left, right = values.get(rule.left.code), values.get(rule.right.code)
        if _is_empty(left) or _is_empty(right):
            continue
        if not _OPS[rule.operator](Decimal(left), Decimal(right)):
            errors.setdefault(rule.left.code, []).append(rule.message)
    return errors


def reference_figures(previous_values: dict) -> dict[str, Decimal]:
    """code → the figure the unit filed in its previous period (Value rows of selectors.report_values)."""
    return {
        code: value.number
        for code, value in previous_values.items()
        if value.number is not None and value.indicator.type != IndicatorType.BOOLEAN
    }


def unusual_values(*, indicators, values: dict, references: dict[str, Decimal]) -> dict[str, str]:
    """Warnings (not errors) for numbers far above the unit's previous period of the same cycle:
    more than three times that figure, and by more than 20."""
    warnings = {}
    for indicator in indicators:
        value = values.get(indicator.code)
        reference = references.get(indicator.code)
        if _is_empty(value) or reference is None or not indicator.is_numeric:
            continue
        value = Decimal(value)
        if value > 3 * reference and value - reference > 20:
            warnings[indicator.code] = _(
                "Số liệu %(value)s cao bất thường so với kỳ trước (%(reference)s). Hãy kiểm tra lại; nếu đúng, "
                "đánh dấu xác nhận bên cạnh ô này."
            ) % {"value": format_number(value), "reference": format_number(reference)}
    return warnings
