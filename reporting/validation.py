"""Checks on a report's values: required indicators, validation rules across
indicators, and the unit's usual range. Plain functions over parsed values,
used by the filing form and again by the submit service."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .enums import RuleOperator

_OPS = {
    RuleOperator.GE: lambda a, b: a >= b,
    RuleOperator.LE: lambda a, b: a <= b,
    RuleOperator.EQ: lambda a, b: a == b,
    RuleOperator.GT: lambda a, b: a > b,
    RuleOperator.LT: lambda a, b: a < b,
}


def _is_empty(value) -> bool:
    return value is None or value == ""


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


def unusual_values(*, indicators, values: dict, usual: dict[str, Decimal]) -> dict[str, str]:
    """Numbers far above what the unit usually reports (the highest of its previous
    reports): more than three times that, and by more than 20."""
    warnings = {}
    for indicator in indicators:
        value = values.get(indicator.code)
        highest = usual.get(indicator.code)
        if _is_empty(value) or highest is None or not indicator.is_numeric:
            continue
        value = Decimal(value)
        if value > 3 * highest and value - highest > 20:
            warnings[indicator.code] = _(
                "Số liệu %(value)s cao bất thường so với các kỳ trước (cao nhất %(usual)s). Hãy kiểm tra và xác nhận."
            ) % {"value": f"{value.normalize():f}", "usual": f"{highest.normalize():f}"}
    return warnings
