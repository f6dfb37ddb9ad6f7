"""The visible signatures of Nghị định 30/2020, Phụ lục I (docs/document-format-signatures.md).

In the signing space (between the signer's position and her name) the stamp is laid out from its top-left
corner (L, T), in PDF points:

    seal            [L, L+D] × [T-D, T]           D = the seal's real diameter (its visible ring, margins cut)
    signer's image  [L+D/2, L+2D] × [T-D, T]      the box; the picture in it (margins cut, at most 1.5D × D)
                                                  starts at L+D-w/3, so that the seal covers its left third
    text            [L, L+2D] × [T-D-TEXT, T-D]   organisation's name and signing time, 10 pt

The organisation's stamp covers the whole box (the seal over the signer's image when she has no digital
signature of her own); in the two-step path the signer's own field is the image box and the organisation's
stamp, added after, draws only the seal and the text."""

import io
from dataclasses import dataclass

from PIL import Image

from campaign_portal.pdf import FONT_DIR

MM_TO_PT = 72 / 25.4
TEXT_LINE_PT = 12  # 10 pt type, one line
TEXT_HEIGHT_PT = 2 * TEXT_LINE_PT + 4
STAMP_FONT = FONT_DIR / "LiberationSerif-Regular.ttf"
IMAGE_DPI = 150
ORGANISATION_FIELD = "ChuKySoCoQuan"
SIGNER_FIELD = "ChuKySoNguoiKy"


@dataclass(frozen=True)
class StampGeometry:
    seal_diameter_pt: float

    @classmethod
    def for_seal(cls, diameter_mm: int) -> "StampGeometry":
        return cls(seal_diameter_pt=round(diameter_mm * MM_TO_PT, 2))

    @property
    def width_pt(self) -> float:
        return 2 * self.seal_diameter_pt

    @property
    def height_pt(self) -> float:
        return self.seal_diameter_pt + TEXT_HEIGHT_PT

    def signing_space(self) -> dict:
        """The template's signing space, sized so that the stamp fits without touching any text."""
        # Formatted here: the template's locale would write 130,05 and CSS would drop the rule.
        return {"width_pt": f"{self.width_pt:.2f}", "height_pt": f"{self.height_pt:.2f}"}

    def stamp_box(self, left: float, top: float) -> tuple[float, float, float, float]:
        return (left, top - self.height_pt, left + self.width_pt, top)

    def signer_box(self, left: float, top: float) -> tuple[float, float, float, float]:
        d = self.seal_diameter_pt
        return (left + d / 2, top - d, left + 2 * d, top)

    def origin_from_signer_box(self, box) -> tuple[float, float]:
        """(L, T) back from the signer's field rectangle (the two-step path finds the stamp from it)."""
        x0, _y0, _x1, y1 = box
        return (float(x0) - self.seal_diameter_pt / 2, float(y1))


def _fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """The picture's visible part (its transparent margins cut off), scaled up or down to fit width × height:
    the seal is drawn at its real diameter whatever the size of the uploaded file."""
    image = image.convert("RGBA")
    visible = image.getchannel("A").getbbox()
    if visible:
        image = image.crop(visible)
    scale = min(width / image.width, height / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def compose_stamp_image(
    *, geometry: StampGeometry, seal_png: bytes | None, signature_png: bytes | None
) -> Image.Image | None:
    """The picture part of the stamp (seal over the left third of the signer's image), transparent elsewhere,
    at print resolution; None when there is nothing to draw."""
    if not seal_png and not signature_png:
        return None
    scale = IMAGE_DPI / 72
    d = round(geometry.seal_diameter_pt * scale)
    canvas = Image.new("RGBA", (2 * d, d), (255, 255, 255, 0))
    if signature_png:
        signature = _fit(Image.open(io.BytesIO(signature_png)), round(1.5 * d), d)
        # Its left third under the seal [0, d], whatever its proportions (Phụ lục I: "trùm lên khoảng 1/3 hình
        # ảnh chữ ký số của người có thẩm quyền về bên trái"); it stays inside its box [d/2, 2d].
        canvas.alpha_composite(signature, (d - round(signature.width / 3), (d - signature.height) // 2))
    if seal_png:
        seal = _fit(Image.open(io.BytesIO(seal_png)), d, d)
        canvas.alpha_composite(seal, ((d - seal.width) // 2, (d - seal.height) // 2))
    return canvas


_scaled_font: bytes | None = None
# Basic Latin, Latin-1, Latin Extended-A/B, the combining marks and Latin Extended Additional (Vietnamese),
# general punctuation (– “ ”).
STAMP_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x324),
    *range(0x1EA0, 0x1F00),
    *range(0x2010, 0x2030),
]


def _stamp_font_bytes() -> bytes:
    """Liberation Serif rescaled to 1000 units per em, once per process: pyHanko 0.38 writes the font's glyph
    widths (/W) and kerning (TJ) in font units as if an em had 1000 of them; Liberation has 2048, which spaced
    the stamp's letters twice too wide."""
    global _scaled_font
    if _scaled_font is None:
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        font = TTFont(str(STAMP_FONT))
        scale_upem(font, 1000)
        # Only what a stamp writes (Vietnamese, digits, ISO time), without the layout tables: pyHanko subsets
        # the font again on every signature, and reading Liberation's full GSUB/GPOS took seconds each time.
        options = subset.Options()
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
        options.layout_features = []
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=STAMP_UNICODES)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        _scaled_font = buffer.getvalue()
    return _scaled_font


def _stamp_font(size: int):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class ScaledFontFactory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(_stamp_font_bytes()),
                font_size=self.font_size,
                obj_stream=obj_stream,
            )

    return ScaledFontFactory(str(STAMP_FONT), font_size=size)


def stamp_style(*, geometry: StampGeometry, image: Image.Image | None):
    """pyHanko's text stamp: the composed picture at the top of the box, the two lines of text below it in
    Liberation Serif (Times metrics), embedded as a subset."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    background = None
    if image is not None:
        background = PdfImage(
            image, box=layout.BoxConstraints(width=geometry.width_pt, height=geometry.seal_diameter_pt)
        )
    return TextStampStyle(
        stamp_text="%(organisation)s\n%(signed_at)s",
        text_box_style=TextBoxStyle(
            font=_stamp_font(10),
            font_size=10,
            leading=TEXT_LINE_PT,
            border_width=0,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN, margins=layout.Margins()
            ),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(left=2, bottom=2),
        ),
        background=background,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        background_opacity=1.0,
        border_width=0,
    )
