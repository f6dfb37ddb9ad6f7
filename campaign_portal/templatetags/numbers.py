"""{{ value|number }} shows a figure the way it is typed in the active language (1.000, 85,5);
{{ value|number:2 }} with fixed decimals. Never fails on a stored value."""

from django import template

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
