from .registry import NAV_LINKS


def portal(request):
    """Role-aware navigation, computed from memberships already loaded for permissions."""
    user = getattr(request, "user", None)
    links = [link for nav_links in NAV_LINKS for link in nav_links(user)]
    if not user or not user.is_authenticated:
        return {"nav_units": [], "nav_app_links": links}
    return {
        "nav_units": [m.unit for m in user.active_memberships],
        "nav_is_admin": user.is_portal_admin,
        "nav_app_links": links,
    }
