"""{{ value|stored_value }}: a stored figure as the report pages show it. One filter rather than an included
template per cell: a report's page shows two columns of them (this period and the previous one)."""

from django import template
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from campaign_portal.templatetags.numbers import number

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
            return _("Có") if value.number else _("Không")
        return number(value.number)
    if value.text:
        return Truncator(value.text).chars(80)
    return NOTHING
