"""Checks on what contestants send: Vietnamese with diacritics, and scans by content."""

from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.text import has_vietnamese_diacritics, nfc
from campaign_portal.uploads import detected_mime

ALLOWED_SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
MIN_WORDS_CHECKED = 3


def check_vietnamese(value: str, *, label: str) -> str:
    """NFC-normalise and require Vietnamese with diacritics (plan 34: "bằng tiếng Việt (có dấu)").

    Very short values (fewer than three words, e.g. a two-word title) are not judged alone.
    """
    text = nfc(value).strip()
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if len(words) >= MIN_WORDS_CHECKED and not has_vietnamese_diacritics(text):
        raise PortalError(
            _(
                "Mục “%(label)s” phải viết bằng tiếng Việt có dấu (theo thể lệ cuộc thi). "
                "Văn bản không dấu hoặc không phải tiếng Việt không được chấp nhận."
            )
            % {"label": label},
            field=None,
        )
    return text


def check_scan(uploaded, *, max_bytes: int) -> str:
    """The file's real type from its content (not its name): returns "pdf", "jpg" or "png"."""
    if uploaded.size > max_bytes:
        raise PortalError(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "max": round(max_bytes / 1048576, 1)}
        )
    mime = detected_mime(uploaded)
    if mime not in ALLOWED_SCAN_TYPES:
        raise PortalError(_("Chỉ nhận tệp PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên tệp)."))
    return ALLOWED_SCAN_TYPES[mime]
