from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from organizations.forms import EmailAuthenticationForm, OutboxPasswordResetForm
from organizations.views import UnlockingPasswordResetConfirmView, two_factor

from . import views

handler500 = "campaign_portal.views.server_error"

urlpatterns = [
    path("me/", views.home, name="home"),
    path("health/", views.health, name="health"),
    # The installable portal: its service worker must be served from the root to control every page.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.pwa_manifest, name="pwa_manifest"),
    path("offline/", views.offline, name="offline"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/2fa/", two_factor, name="two_factor"),
    # Django's own views, before its URLconf below: the mail goes through the outbox, and the
    # new password clears the account's lockouts.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/", UnlockingPasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("units/", include("organizations.urls")),
    path("directives/", include("directives.urls")),
    path("reports/", include("reporting.urls")),
    path("contest/", include("contest.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
    # Public "Kiểm tra văn bản" (/kiem-tra/…), before the public site's catch-all root.
    path("", include("signatures.urls")),
    # The public face of the campaign (anonymous): its home page is the site root.
    path("", include("public.urls")),
]
