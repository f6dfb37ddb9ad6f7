from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaign_portal.navigation import nav_url
from campaign_portal.registry import NavLink

from .selectors import unread_count


def nav_links(user) -> list[NavLink]:
    """The header entry with the unread count: one COUNT query."""
    if not getattr(user, "is_authenticated", False):
        return []
    count = unread_count(user)
    label = _("Thông báo (%(count)s)") % {"count": count} if count else pgettext("menu", "Thông báo")
    return [NavLink(nav_url("notifications:list"), label, "notifications.see_notifications", badge=count)]


def home_panels(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    from .messages import describe
    from .selectors import notifications_for

    latest = list(notifications_for(user).filter(read_at__isnull=True).only("id", "kind", "payload", "created_at")[:5])
    if not latest:
        return []
    items = [
        {"id": n.pk, "text": describe(kind=n.kind, payload=n.payload), "url": n.url, "created_at": n.created_at}
        for n in latest
    ]
    return [{"template": "notifications/_home_panel.html", "context": {"items": items}}]
