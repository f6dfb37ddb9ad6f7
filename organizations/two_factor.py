"""TOTP two-factor login (django-otp), required for portal admins when
PORTAL_ADMIN_REQUIRE_2FA is on (the production default)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/health/")


def needs_second_factor(user) -> bool:
    return bool(
        settings.PORTAL_ADMIN_REQUIRE_2FA
        and user.is_authenticated
        and (user.is_portal_admin or user.is_staff)
        and not user.is_verified()
    )


class RequireAdminSecondFactorMiddleware:
    """Sends an unverified admin to set up or enter her TOTP code before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path.startswith(EXEMPT_PREFIXES):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
