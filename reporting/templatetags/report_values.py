"""{{ value|stored_value }}: a stored figure as the report pages show it. One filter rather than an included
template per cell: a report's page shows two columns of them (this period and the previous one)."""

from django import template
from django.utils.text import Truncator

from campaign_portal.templatetags.numbers import number, rollup_figure

from ..enums import IndicatorType

register = template.Library()

NOTHING = "—"


@register.filter
def stored_value(value):
    """A number the way it is typed in the active language, yes or no for a yes/no indicator, a text cut at 80
    characters, or a dash for no value. Never fails on a stored value."""
    if not value:
        return NOTHING
    if value.number is not None:
        if value.indicator.type == IndicatorType.BOOLEAN:
            return rollup_figure(bool(value.number))  # the roll-up's own yes or no
        return number(value.number)
    if value.text:
        return Truncator(value.text).chars(80)
    return NOTHING
