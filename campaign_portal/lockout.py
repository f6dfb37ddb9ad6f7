"""Login lockout (django-axes) with two thresholds (OWASP ASVS V2.2.1).

axes counts failures per (username, address) and locks that pair at AXES_FAILURE_LIMIT (5).
It has one limit for all its lockout parameters, so a higher account-wide limit is added here:
PORTAL_ACCOUNT_FAILURE_LIMIT (20) failures for one username from any addresses within the
cool-off lock the account everywhere. Unknown usernames are counted and locked the same way,
so the answer never tells whether an account exists."""

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db.models import Sum


def account_failure_limit() -> int:
    return settings.PORTAL_ACCOUNT_FAILURE_LIMIT


class PortalAxesHandler(AxesDatabaseHandler):
    def account_failures(self, request, credentials: dict | None = None) -> int:
        """Failures for this username from every address within the cool-off."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return bool(settings.AXES_LOCK_OUT_AT_FAILURE) and (
            self.account_failures(request, credentials) >= account_failure_limit()
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or not settings.AXES_LOCK_OUT_AT_FAILURE:
            return
        if self.account_failures(request, credentials) >= account_failure_limit():
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
