"""Uploaded files checked by their content (filetype), never by their name."""

from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.uploads import detected_mime

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}
ATTACHMENT_TYPES = {
    **IMAGE_TYPES,
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/msword": "doc",
}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


def check_upload(upload, *, allowed: dict[str, str], max_bytes: int, field: str | None = None) -> str:
    """Returns the detected MIME type or raises PortalError."""
    if upload.size > max_bytes:
        raise PortalError(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}, field=field)
    mime = detected_mime(upload)
    if mime not in allowed:
        raise PortalError(
            _("Loại tệp không được chấp nhận. Chỉ nhận: %(types)s.")
            % {"types": ", ".join(sorted(set(allowed.values())))},
            field=field,
        )
    return mime


def safe_filename(name: str, *, mime: str, allowed: dict[str, str], stem_default: str = "tep") -> str:
    """A stored name from the detected type: the uploader's name is kept only as metadata."""
    from django.utils.text import slugify

    from campaign_portal.text import fold

    stem = slugify(fold(name.rsplit(".", 1)[0]))[:60] or stem_default
    return f"{stem}.{allowed[mime]}"
