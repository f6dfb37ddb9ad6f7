import hashlib
import json
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
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


# ---------------------------------------------------------------- the installable portal (PWA)
# What the service worker keeps for offline use: the files every page loads, the filing form's script, the icons.
PWA_STATIC_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "portal/portal.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "portal/portal.js",
    "portal/pwa.js",
    "portal/filing-offline.js",
    "portal/icons/icon-192.png",
)
PWA_THEME_COLOUR = "#0b4f8a"  # --bs-primary in static/portal/portal.css
# Bumped when the service worker's own code changes; the static files' names change with their content.
PWA_WORKER_VERSION = "1"


@require_GET
def pwa_manifest(request):
    manifest = {
        "name": _("Cổng CCHC Công đoàn Hà Nội"),
        "short_name": _("CCHC Hà Nội"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": PWA_THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": static("portal/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("portal/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@never_cache
@require_GET
def service_worker(request):
    """The service worker, from the site root so that its scope is the whole portal."""
    precache = [static(name) for name in PWA_STATIC_FILES] + [reverse("offline")]
    version = hashlib.sha256("\n".join([PWA_WORKER_VERSION, *precache]).encode()).hexdigest()[:12]
    context = {
        "version": json.dumps(version),
        "precache": json.dumps(precache),
        "offline_url": json.dumps(reverse("offline")),
        "static_prefix": json.dumps(settings.STATIC_URL),
    }
    response = render(request, "portal/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """What the service worker shows for a page it cannot reach; kept in its cache, so it names no one."""
    return render(request, "portal/offline.html", {"user": AnonymousUser()})
