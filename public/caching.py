"""Conditional GET for anonymous visitors: one cheap query gives the content stamp,
a matching If-None-Match answers 304 without rendering. The same stamp keys the cached HTML
of what a page shows everyone alike (cached_fragment), so a changed figure is never served stale."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_STAMP_SQL = """
SELECT MAX(t), SUM(n) FROM (
  SELECT MAX(updated_at) AS t, COUNT(*) AS n FROM public_newsitem
  UNION ALL SELECT MAX(updated_at), COUNT(*) FROM public_honouredmodel
  UNION ALL SELECT MAX(updated_at), COUNT(*) FROM public_feedback
  UNION ALL SELECT MAX(updated_at), COUNT(*) FROM public_cityindicator
) AS s
"""


def content_stamp() -> str:
    """Changes whenever any public content is written or deleted (max updated_at + row counts)."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL)
        latest, count = cursor.fetchone()
    return f"{latest}|{count}"


# A fragment's key changes with its stamp; the timeout only bounds how long an outdated copy occupies the cache.
FRAGMENT_SECONDS = 600


def public_stamp(request, extra_stamp: Callable[[], str] | None = None) -> str:
    """The public content's stamp, `extra_stamp`'s and the language: computed once per request."""
    stamps = request.__dict__.setdefault("_public_stamps", {})
    if extra_stamp not in stamps:
        extra = extra_stamp() if extra_stamp else ""
        stamps[extra_stamp] = f"{content_stamp()}|{extra}|{get_language()}"
    return stamps[extra_stamp]


def cached_fragment(
    request, name: str, render: Callable[[], str], *, extra_stamp: Callable[[], str] | None = None
) -> SafeString:
    """The HTML `render()` makes of what every visitor sees alike (no CSRF token, nothing of the user), from the
    cache while the stamps it is keyed by stay the same."""
    digest = hashlib.sha1(public_stamp(request, extra_stamp).encode()).hexdigest()
    key = f"public:fragment:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)


def public_cacheable(view=None, *, extra_stamp: Callable[[], str] | None = None):
    """Use bare, or with `extra_stamp`: a cheap function whose value changes when something the page shows
    outside the public tables changes (the home page's open contests)."""
    if view is None:
        return lambda actual_view: public_cacheable(actual_view, extra_stamp=extra_stamp)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        raw = f"{public_stamp(request, extra_stamp)}|{request.get_full_path()}"
        etag = quote_etag(hashlib.sha1(raw.encode()).hexdigest())
        if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = etag
            # private: the page carries the visitor's CSRF token (language switch).
            patch_cache_control(response, private=True, max_age=60)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapped
