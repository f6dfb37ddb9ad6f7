"""User-written text → safe HTML. Everything shown publicly passes through here (nh3)."""

import re

import nh3
from django.utils.html import escape, linebreaks

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope"},
}
# Only images we store and serve ourselves: no hot-linking, no tracking pixels.
IMAGE_SRC = re.compile(r"^/tin-tuc/anh/\d+/$")
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if IMAGE_SRC.match(value) else None
    return value


def clean_html(value: str) -> str:
    """Rich text from officers: a whitelist of tags; plain text becomes paragraphs."""
    value = value or ""
    if not _TAG.search(value):
        value = linebreaks(escape(value))
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(value: str) -> str:
    """Strip every tag: for summaries, search columns and anything typed by the public."""
    return nh3.clean(value or "", tags=set()).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
