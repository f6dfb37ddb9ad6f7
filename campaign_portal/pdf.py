"""The one official-document renderer (Nghị định 30/2020/NĐ-CP layout), shared by every app.

    render_official_pdf(template_name="documents/base_official.html", context={...}) -> bytes

Templates extend `templates/documents/base_official.html`; its header comment lists
the context keys and blocks. The header keys come from `organizations.documents.official_header`
(the unit tree on the document's date), the number symbol from `number_symbol_format`. The renderer fills two conveniences before rendering:
- `place_date_line` from `place` + `date` when not given ("Hà Nội, ngày 29 tháng 01 năm 2019");
- `body_html` from `body_text` (structured text, see `render_body`) when not given.

Helpers for money and dates live here too, so every app writes them the same way.
"""

import html
import logging
import re
from dataclasses import dataclass, field
from datetime import date as date_type
from decimal import Decimal
from pathlib import Path

import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from num2words import num2words

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}

_font_config = None
# WeasyPrint logs every layout step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _weasyprint():
    # Imported lazily: WeasyPrint loads Pango at import time, which most requests never need.
    global _font_config
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return weasyprint, _font_config


def font_face_css() -> str:
    """@font-face rules pointing at the Liberation Serif files (embedded as subsets by WeasyPrint).

    When the files are missing, the template's font-family list falls back to fontconfig's
    "Liberation Serif".
    """
    rules = []
    for (weight, style), filename in FONT_FILES.items():
        path = FONT_DIR / filename
        if path.exists():
            rules.append(
                "@font-face { font-family: 'Liberation Serif'; "
                f"src: url('{path.as_uri()}'); font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules)


# ---------------------------------------------------------------- dates and money


def vietnamese_date_line(place: str, date: date_type) -> str:
    """'Hà Nội, ngày 29 tháng 01 năm 2019': days below 10 and months 1–2 take a leading 0."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day} tháng {month} năm {date.year}"


def format_vnd(amount) -> str:
    """640000000 → '640.000.000đ' (dot as thousands separator, no decimals)."""
    value = int(Decimal(amount or 0).quantize(Decimal(1)))
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + "đ"


def vnd_in_words(amount) -> str:
    """640000000 → 'Sáu trăm bốn mươi triệu đồng'."""
    value = int(Decimal(amount or 0).quantize(Decimal(1)))
    words = num2words(value, lang="vi").strip()
    return words[:1].upper() + words[1:] + " đồng"


def date_numeric(value: date_type | None) -> str:
    """Dates in the body: 29/01/2019."""
    return value.strftime("%d/%m/%Y") if value else ""


# ---------------------------------------------------------------- the body

_PART = re.compile(r"^(?P<num>(?:X{0,3})(?:IX|IV|V?I{0,3}))\.\s+(?P<text>.+)$")
_POINT = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.\s+(?P<text>.+)$")
_LETTER = re.compile(r"^(?P<num>[a-zđ])\)\s+(?P<text>.+)$")
_BOLD = re.compile(r"\*\*(?P<t>[^*\n]+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?P<t>[^*\n]+?)\*(?![*\w])")

ALLOWED_TAGS = {"p", "strong", "em", "br", "span"}
ALLOWED_ATTRIBUTES = {"p": {"class"}, "span": {"class"}}


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _BOLD.sub(r"<strong>\g<t></strong>", escaped)
    return _ITALIC.sub(r"<em>\g<t></em>", escaped)


def render_body(text: str | None) -> SafeString:
    """Structured body text → sanitised HTML.

    One paragraph per line. "I. …", "II. …" → bold part headings; "1. …", "1.1. …" → points
    (bold heading when the line is short, i.e. a title); "a) …" → sub-points; "- …" and "+ …" → indented
    lines; **bold** and *italic* inline. Everything else is escaped: no raw user HTML passes,
    and the result is cleaned again with nh3.
    """
    out = []
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if (m := _PART.match(line)) and m.group("num"):
            out.append(f'<p class="part"><strong>{m.group("num")}. {_inline(m.group("text"))}</strong></p>')
        elif m := _POINT.match(line):
            css = (
                "point heading" if len(m.group("text")) <= 80 and not m.group("text").endswith((".", ";")) else "point"
            )
            body = _inline(m.group("text"))
            if "heading" in css:
                out.append(f'<p class="{css}"><strong>{m.group("num")}. {body}</strong></p>')
            else:
                out.append(f'<p class="{css}">{m.group("num")}. {body}</p>')
        elif m := _LETTER.match(line):
            out.append(f'<p class="letter">{m.group("num")}) {_inline(m.group("text"))}</p>')
        elif line.startswith(("- ", "-\t")) or line == "-":
            out.append(f'<p class="dash">- {_inline(line[1:].strip())}</p>')
        elif line.startswith(("+ ", "+\t")):
            out.append(f'<p class="plus">+ {_inline(line[1:].strip())}</p>')
        else:
            out.append(f"<p>{_inline(line)}</p>")
    cleaned = nh3.clean("\n".join(out), tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)
    return mark_safe(cleaned)  # noqa: S308 - escaped above and cleaned by nh3


# ---------------------------------------------------------------- rendering


def official_html(*, template_name: str, context: dict) -> str:
    ctx = dict(context)
    if not ctx.get("place_date_line") and ctx.get("date"):
        ctx["place_date_line"] = vietnamese_date_line(ctx.get("place", ""), ctx["date"])
    if "body_html" not in ctx and "body_text" in ctx:
        ctx["body_html"] = render_body(ctx["body_text"])
    ctx.setdefault("official_font_css", mark_safe(font_face_css()))  # noqa: S308 - built from constants
    with translation.override("vi"):  # official documents are Vietnamese whatever the interface language
        return render_to_string(template_name, ctx)


# WeasyPrint lays out in CSS px (96 per inch); PDF user space is in points (72 per inch), origin bottom-left.
CSS_PX_TO_PT = 0.75


@dataclass(frozen=True)
class AnchorBox:
    """Where an element with an id landed: its page (0-based) and its border box in PDF coordinates (pt,
    origin bottom-left)."""

    page_index: int
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class LaidOutPdf:
    data: bytes
    anchors: dict[str, AnchorBox] = field(default_factory=dict)


def html_to_laid_out_pdf(html_text: str) -> LaidOutPdf:
    """The PDF and where each element with an id fell on the pages (read from WeasyPrint's own layout, so a
    signature stamp goes exactly where the template left its space)."""
    weasyprint, font_config = _weasyprint()
    document = weasyprint.HTML(string=html_text, base_url=str(settings.BASE_DIR)).render(font_config=font_config)
    anchors = {}
    for index, page in enumerate(document.pages):
        for name, (x1, y1, x2, y2) in page.anchors.items():
            anchors[name] = AnchorBox(
                index,
                left=x1 * CSS_PX_TO_PT,
                top=(page.height - y1) * CSS_PX_TO_PT,
                right=x2 * CSS_PX_TO_PT,
                bottom=(page.height - y2) * CSS_PX_TO_PT,
            )
    return LaidOutPdf(data=document.write_pdf(), anchors=anchors)


def html_to_pdf(html_text: str) -> bytes:
    weasyprint, font_config = _weasyprint()
    document = weasyprint.HTML(string=html_text, base_url=str(settings.BASE_DIR))
    return document.write_pdf(font_config=font_config)


def render_official_pdf(*, template_name: str, context: dict) -> bytes:
    """Render a template extending documents/base_official.html to PDF bytes."""
    return html_to_pdf(official_html(template_name=template_name, context=context))


def render_official_pdf_laid_out(*, template_name: str, context: dict) -> LaidOutPdf:
    """As render_official_pdf, with the layout anchors a signature stamp needs (`signing-space`)."""
    return html_to_laid_out_pdf(official_html(template_name=template_name, context=context))
