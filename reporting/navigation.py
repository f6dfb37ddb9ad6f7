"""Header link and the landing-page panel: no query beyond the memberships already loaded,
plus one count for heads and officers. Who sees what is decided in reporting.rules, asked of the
rule set directly (rules.has_perm): user.has_perm would also ask the model backend, two queries a page."""

import rules
from django.urls import reverse
from django.utils.translation import pgettext

from campaign_portal.navigation import nav_url
from campaign_portal.registry import NavLink


def nav_links(user) -> list[NavLink]:
    return [
        NavLink(nav_url("reporting:todo"), pgettext("menu", "Báo cáo"), "reporting.see_reporting"),
        # Heads and admins: the dashboard one click away.
        NavLink(nav_url("reporting:dashboard_latest"), pgettext("menu", "Thống kê báo cáo"), "reporting.see_dashboard"),
    ]


def home_panels(user) -> list[dict]:
    if not rules.has_perm("reporting.see_home_panel", user):
        return []
    from .selectors import review_queue_for, todo_for

    todo = [item for item in todo_for(user) if item.needs_action]
    queue = review_queue_for(user).count() if rules.has_perm("reporting.see_review_queue", user) else 0
    return [
        {
            "template": "reporting/_home_panel.html",
            "context": {
                "todo": todo[:5],
                "todo_count": len(todo),
                "queue_count": queue,
                "dashboard_url": reverse("reporting:dashboard_latest")
                if rules.has_perm("reporting.see_dashboard", user)
                else "",
            },
        }
    ]


def public_home_sections() -> list[dict]:
    """The campaign's results on the public home page: the latest closed period's approved figures, city-wide."""
    from .selectors import campaign_results

    results = campaign_results()
    if results is None:
        return []
    return [{"template": "reporting/_public_home.html", "context": {"results": results}}]
