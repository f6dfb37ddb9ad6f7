"""Small helpers every app's views share: load-or-404 with a rules permission,
the one way a PortalError becomes a message, and the one shape of a file download."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
PRIVATE = "private, no-store"


def require_perm(user, perm: str, obj=None):
    """An object the user may not see answers 404 (not 403): its existence is not revealed."""
    if not user.has_perm(perm, obj):
        raise Http404


def report_error(request, error) -> None:
    messages.error(request, str(error))


def _file_headers(response: HttpResponse, *, filename: str, inline: bool, cache_control: str) -> HttpResponse:
    # RFC 5987 filename*= keeps a Vietnamese name; nosniff keeps the browser to the declared type.
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


def download_response(
    content: bytes, *, filename: str, content_type: str = PDF, inline: bool = False, cache_control: str = PRIVATE
) -> HttpResponse:
    """Bytes the portal produced (an official PDF, a blinded scan) as a file. XLSX exports go
    through campaign_portal.xlsx.xlsx_response, stored files through uploaded_file_response."""
    response = HttpResponse(content, content_type=content_type)
    return _file_headers(response, filename=filename, inline=inline, cache_control=cache_control)


def uploaded_file_response(
    file_field,
    *,
    filename: str,
    content_type: str | None = None,
    inline: bool = False,
    cache_control: str = PRIVATE,
) -> FileResponse:
    """A stored file, after the caller's permission check: a download unless `inline` (a picture
    in a page), never kept by shared caches unless told, and never run as a page of its own."""
    # FileResponse guesses a missing content type from the given filename.
    response = FileResponse(
        file_field.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    return _file_headers(response, filename=filename, inline=inline, cache_control=cache_control)
