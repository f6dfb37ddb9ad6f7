from .apps_registry import app_modules


def portal(request):
    """Role-aware navigation, computed from memberships already loaded for permissions."""
    user = getattr(request, "user", None)
    links = []
    for module in app_modules("navigation"):
        if hasattr(module, "nav_links"):
            links.extend(module.nav_links(user))
    if not user or not user.is_authenticated:
        return {"nav_units": [], "nav_app_links": links}
    return {
        "nav_units": [m.unit for m in user.active_memberships],
        "nav_is_admin": user.is_portal_admin,
        "nav_app_links": links,
    }
