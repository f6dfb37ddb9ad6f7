from django import template

from organizations.selectors import unit_dissolution

register = template.Library()


@register.inclusion_tag("organizations/_dissolved_banner.html")
def dissolved_banner(unit, *, with_destinations=False):
    """The banner of a dissolved unit's pages (its own page, its reports and documents); nothing otherwise."""
    return {"dissolution": unit_dissolution(unit) if unit is not None else None, "with_destinations": with_destinations}
