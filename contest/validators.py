"""Checks on what contestants write: Vietnamese with diacritics (scans go through campaign_portal.uploads)."""

from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.text import has_vietnamese_diacritics, nfc

MIN_WORDS_CHECKED = 3


class EntryContentError(PortalError):
    """The entry's content is refused, with a message for each field at fault (None: the whole entry),
    so that the form marks every field."""

    def __init__(self, errors: dict[str | None, list[str]]):
        super().__init__(" ".join(str(message) for messages in errors.values() for message in messages))
        self.errors = errors


def check_vietnamese(value: str, *, label: str, field: str | None = None) -> str:
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
            field=field,
        )
    return text
