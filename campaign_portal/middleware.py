import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class VietnameseFirstMiddleware:
    """Vietnamese is the portal's language: the browser's Accept-Language is ignored, so an
    English-language phone still gets Vietnamese; English comes only from the header switch
    (the language cookie, remembered for a year). Must run before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """While the database restarts or fails over, a request that needs it gets a 503 page in
    Vietnamese with Retry-After, not a traceback. Its transaction has rolled back, so nothing is
    half-written; CONN_HEALTH_CHECKS reconnects the next request once the database is back.
    Each such request is logged; the admins' mail skips 503s (campaign_portal.logging)."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "database unavailable, answered 503: %s %s: %s", request.method, request.path, str(exception).strip()[:200]
        )
        return database_unavailable_response()


def is_database_unavailable(error) -> bool:
    return isinstance(error, (OperationalError, InterfaceError))


def database_unavailable_response() -> HttpResponse:
    """The 503 page (no database access in it) with Retry-After; also handler500's answer."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(DatabaseUnavailableMiddleware.RETRY_AFTER_SECONDS)
    return response
