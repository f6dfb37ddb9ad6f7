"""{{ value|number }} shows a figure the way it is typed in the active language (1.000, 85,5);
{{ value|number:2 }} with fixed decimals. Never fails on a stored value.
{{ value|rollup_figure }} shows a roll-up's figure: a number, yes or no (an "any" indicator), or a dash."""

from django import template
from django.utils.translation import gettext as _

from campaign_portal.numbers import format_number

register = template.Library()


@register.filter
def number(value, decimal_places=None):
    if value is None or value == "":
        return "—"
    places = None
    if decimal_places not in (None, ""):
        try:
            places = int(decimal_places)
        except (TypeError, ValueError):
            places = None
    return format_number(value, decimal_places=places)


@register.filter
def rollup_figure(value):
    """One filter rather than an included template per cell: a city roll-up shows sixty of them."""
    if value is True:
        return _("Có")
    if value is False:
        return _("Không")
    return number(value, -2)
