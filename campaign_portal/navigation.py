"""The header's links: what every app registered in NAV_LINKS, kept only where the user has the link's permission.

Permissions are asked of the rule set directly (rules.has_perm, no object): user.has_perm would also ask the model
backend, two queries a page, and the links are rendered on every page."""

from functools import lru_cache

import rules
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from .registry import NAV_LINKS, NavLink


def nav_url(name: str) -> str:
    """A header link's address, reversed once per process (per URLconf and script prefix) instead of on every page:
    the header's dozen reverse() calls were a tenth of its cost."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=64)
def _reversed(name: str, urlconf: str, _script_prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def navigation_for(user) -> list[NavLink]:
    return [
        link
        for nav_links in NAV_LINKS
        for link in nav_links(user)
        if link.permission is None or rules.has_perm(link.permission, user)
    ]


def split_more(links: list[NavLink]) -> tuple[list[NavLink], list[NavLink]]:
    """The links shown in the bar and those under "Thêm"; a single rarely used link is not worth a menu."""
    more = [link for link in links if link.more]
    if len(more) < 2:
        return links, []
    return [link for link in links if not link.more], more
