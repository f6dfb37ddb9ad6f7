"""Conditional GET for anonymous visitors: one cheap query gives the content stamp,
a matching If-None-Match answers 304 without rendering."""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.db import connection
from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag
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


def public_cacheable(view=None, *, extra_stamp: Callable[[], str] | None = None):
    """Use bare, or with `extra_stamp`: a cheap function whose value changes when something the page shows
    outside the public tables changes (the home page's open contests)."""
    if view is None:
        return lambda actual_view: public_cacheable(actual_view, extra_stamp=extra_stamp)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        extra = extra_stamp() if extra_stamp else ""
        raw = f"{content_stamp()}|{extra}|{get_language()}|{request.get_full_path()}"
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
