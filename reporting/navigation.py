"""Header link and the landing-page panel: no query beyond the memberships already loaded,
plus one count for heads and officers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.enums import Role


def nav_links(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_portal_admin or user.active_memberships:
        return [{"url": reverse("reporting:todo"), "label": _("Báo cáo")}]
    return []


def home_panels(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = {m.role for m in user.active_memberships}
    if not roles & {Role.OFFICER, Role.HEAD} and not user.is_portal_admin:
        return []
    from .selectors import review_queue_for, todo_for

    todo = [item for item in todo_for(user) if item.needs_action]
    queue = review_queue_for(user).count() if Role.HEAD in roles else 0
    return [
        {
            "template": "reporting/_home_panel.html",
            "context": {"todo": todo[:5], "todo_count": len(todo), "queue_count": queue},
        }
    ]
