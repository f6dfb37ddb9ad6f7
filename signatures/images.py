"""Pictures drawn with Pillow for the demo and the tests: a red round seal and a handwritten-looking signature,
transparent PNGs, so that no image file has to be shipped. A real unit uploads its own seal and signers their
own signature images."""

import io
import math

from PIL import Image, ImageDraw, ImageFont

from campaign_portal.pdf import FONT_DIR

SEAL_RED = (218, 37, 29, 255)
INK_BLUE = (20, 40, 140, 255)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _font(size: int, bold: bool = False):
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def draw_seal_png(*, organisation: str, centre_text: str = "", size: int = 600) -> bytes:
    """Two red rings, the organisation's name around the inner one, a star and a short text in the middle."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    c, r = size / 2, size / 2 - 6
    draw.ellipse((c - r, c - r, c + r, c + r), outline=SEAL_RED, width=max(6, size // 60))
    inner = r * 0.68
    draw.ellipse((c - inner, c - inner, c + inner, c + inner), outline=SEAL_RED, width=max(3, size // 120))
    text = organisation.upper()
    font = _font(size // 14, bold=True)
    ring = (r + inner) / 2
    span = min(300.0, 12.5 * len(text))  # degrees of arc the name takes, starting at the top-left
    for index, char in enumerate(text):
        angle = math.radians(-90 - span / 2 + span * (index + 0.5) / len(text))
        glyph = Image.new("RGBA", (size // 10, size // 10), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((size // 20, size // 20), char, font=font, fill=SEAL_RED, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x, y = c + ring * math.cos(angle), c + ring * math.sin(angle)
        image.alpha_composite(glyph, (round(x - glyph.width / 2), round(y - glyph.height / 2)))
    star = [
        (
            c + inner * 0.35 * math.cos(math.radians(-90 + 36 * k)) * (1 if k % 2 == 0 else 0.4),
            c - inner * 0.25 + inner * 0.35 * math.sin(math.radians(-90 + 36 * k)) * (1 if k % 2 == 0 else 0.4),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=SEAL_RED)
    if centre_text:
        draw.text(
            (c, c + inner * 0.35), centre_text.upper(), font=_font(size // 16, bold=True), fill=SEAL_RED, anchor="mm"
        )
    return _png(image)


def draw_signature_png(*, name: str, width: int = 900, height: int = 600) -> bytes:
    """A flowing stroke and the family name in italic-like script, blue ink on transparent ground."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    seed = sum(ord(ch) for ch in name)
    points = []
    for step in range(120):
        t = step / 119
        x = width * (0.08 + 0.84 * t)
        y = height * (0.5 + 0.22 * math.sin(6 * math.pi * t + seed % 7) * (1 - t * 0.6))
        points.append((x, y))
    draw.line(points, fill=INK_BLUE, width=max(4, width // 150), joint="curve")
    family = name.split()[-1] if name.split() else name
    draw.text((width * 0.5, height * 0.82), family, font=_font(height // 7), fill=INK_BLUE, anchor="mm")
    return _png(image)
