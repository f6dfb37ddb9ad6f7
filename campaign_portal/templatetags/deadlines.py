"""{{ value|deadline }} writes a deadline unambiguously ("hết 23 giờ 59 ngày 26/02/2027"), the same everywhere."""

from django import template

from campaign_portal.calendar import deadline_text

register = template.Library()


@register.filter
def deadline(value):
    return deadline_text(value)
