import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .middleware import database_unavailable_response, is_database_unavailable
from .registry import HOME_PANELS


@login_required
def home(request):
    """The landing page: one panel per role the user holds, contributed by each app."""
    panels = [panel for home_panels in HOME_PANELS for panel in home_panels(request.user)]
    memberships = request.user.active_memberships
    return render(request, "portal/home.html", {"panels": panels, "memberships": memberships})


def _broker_ok() -> tuple[bool, str]:
    from campaign_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as error:  # reported, not raised: this page is for monitoring
        return False, type(error).__name__


@never_cache
@require_GET
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = (True, "ok")
    except Exception as error:
        database = (False, type(error).__name__)
    broker = _broker_ok()
    healthy = database[0] and broker[0]
    payload = {
        "status": "ok" if healthy else "error",
        "database": {"ok": database[0], "detail": database[1], "engine": settings.DATABASES["default"]["ENGINE"]},
        "broker": {"ok": broker[0], "detail": broker[1], "url_scheme": settings.CELERY_BROKER_URL.split(":")[0]},
    }
    return JsonResponse(payload, status=200 if healthy else 503)


def server_error(request):
    """handler500: a database outage met outside a view (in a middleware) still gets the 503 page."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))
