from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for, split_more


def portal(request):
    """Role-aware navigation, computed from memberships already loaded for permissions. Lazily: only a template that
    shows the header asks for it, not an htmx fragment (an autosave answer, a polled panel)."""
    user = getattr(request, "user", None)
    links_and_more = SimpleLazyObject(lambda: split_more(navigation_for(user)))
    return {
        "nav_app_links": SimpleLazyObject(lambda: links_and_more[0]),
        "nav_more_links": SimpleLazyObject(lambda: links_and_more[1]),
    }
