"""Small helpers every app's views share: load-or-404 with a rules permission,
the one way a PortalError becomes a message, and the two kinds of download."""

from django.contrib import messages
from django.http import Http404, HttpResponse

PDF = "application/pdf"


def require_perm(user, perm: str, obj=None):
    """An object the user may not see answers 404 (not 403): its existence is not revealed."""
    if not user.has_perm(perm, obj):
        raise Http404


def report_error(request, error) -> None:
    messages.error(request, str(error))


def download_response(content: bytes, *, filename: str, content_type: str = PDF) -> HttpResponse:
    """A document the portal generated (official PDF) as a download. XLSX exports go through
    campaign_portal.xlsx.xlsx_response, files people uploaded through uploaded_file_response."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def uploaded_file_response(file_field, *, filename: str, content_type: str | None = None):
    """An uploaded file, after the caller's permission check: always a download (never
    rendered by the browser) and never kept by shared caches."""
    from django.http import FileResponse

    response = FileResponse(file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
