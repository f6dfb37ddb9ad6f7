from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.navigation import nav_url
from campaign_portal.registry import NavLink

from .enums import DeliveryOutcome


def nav_links(user) -> list[NavLink]:
    return [NavLink(nav_url("directives:index"), _("Văn bản chỉ đạo"), "directives.see_directives")]


def home_panels(user):
    if not getattr(user, "is_authenticated", False) or not user.active_memberships:
        return []
    from .selectors import deliveries_assigned_to, inbox_for

    today = timezone.localdate()
    pending = list(inbox_for(user).filter(outcome=DeliveryOutcome.PENDING)[:5])
    for delivery in pending:
        delivery.overdue = delivery.overdue_days(today)
    # Her own to-do: what a colleague gave her to handle (giao xử lý), soonest due first.
    assigned = list(deliveries_assigned_to(user)[:10])
    return [{"template": "directives/_home_panel.html", "context": {"pending": pending, "assigned": assigned}}]


def public_home_sections() -> list[dict]:
    """On the public home page: how far the newest city directive has gone down the cascade."""
    from .public_coverage import newest_directive_coverage

    coverage = newest_directive_coverage()
    if coverage is None:
        return []
    return [{"template": "directives/_public_home.html", "context": {"coverage": coverage}}]
