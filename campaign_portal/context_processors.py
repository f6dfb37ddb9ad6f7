from .navigation import navigation_for, split_more


def portal(request):
    """Role-aware navigation, computed from memberships already loaded for permissions."""
    user = getattr(request, "user", None)
    links, more = split_more(navigation_for(user))
    return {"nav_app_links": links, "nav_more_links": more}
