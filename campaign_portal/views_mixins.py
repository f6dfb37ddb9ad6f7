"""Small helpers every app's views share: load-or-404 with a rules permission,
and the one way a PortalError becomes a message."""

from django.contrib import messages
from django.http import Http404


def require_perm(user, perm: str, obj=None):
    """An object the user may not see answers 404 (not 403): its existence is not revealed."""
    if not user.has_perm(perm, obj):
        raise Http404


def report_error(request, error) -> None:
    messages.error(request, str(error))
