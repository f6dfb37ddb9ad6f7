"""The picture part of the organisation's stamp (signatures.stamps.compose_stamp_image) follows Nghị định 30/2020,
Phụ lục I: the seal at its real diameter, over about the left third of the signer's signature image, whatever
the proportions, size and transparent margins of the uploaded pictures."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from campaign_portal.exceptions import PortalError
from signatures.credentials import credential_set_seal
from signatures.images import draw_seal_png, draw_signature_png
from signatures.stamps import IMAGE_DPI, StampGeometry, compose_stamp_image

GEOMETRY = StampGeometry.for_seal(36)
D = round(GEOMETRY.seal_diameter_pt * IMAGE_DPI / 72)  # the seal's diameter in the picture's pixels


def _png(width: int, height: int, *, margin: int = 0, colour=(20, 40, 140, 255)) -> bytes:
    """A solid block of ink, `margin` transparent pixels around it."""
    image = Image.new("RGBA", (width + 2 * margin, height + 2 * margin), (255, 255, 255, 0))
    image.paste(Image.new("RGBA", (width, height), colour), (margin, margin))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _visible_box(image: Image.Image) -> tuple[int, int, int, int]:
    return image.getchannel("A").getbbox()


def test_seal_drawn_at_its_real_diameter_margins_cut():
    """draw_seal_png leaves a transparent margin around its ring; a small upload is scaled up, not left small."""
    for seal in (draw_seal_png(organisation="Liên đoàn Lao động huyện Gia Lâm"), _png(120, 120, margin=30)):
        picture = compose_stamp_image(geometry=GEOMETRY, seal_png=seal, signature_png=None)
        x0, y0, x1, y1 = _visible_box(picture)
        assert (x0, x1 - x0, y1 - y0) == (0, D, D)


@pytest.mark.parametrize(
    "signature",
    [
        draw_signature_png(name="Nguyễn Thị Hà"),  # 3:2 with wide transparent margins
        _png(400, 400),  # square
        _png(800, 200),  # long and flat
        _png(150, 600),  # narrow and tall
        _png(60, 40, margin=25),  # small, scaled up
    ],
    ids=["drawn", "square", "wide", "tall", "small"],
)
def test_seal_covers_the_left_third_of_the_signature(signature):
    seal = _png(300, 300, colour=(218, 37, 29, 255))
    alone = compose_stamp_image(geometry=GEOMETRY, seal_png=None, signature_png=signature)
    sx0, sy0, sx1, sy1 = _visible_box(alone)
    # Inside its box [D/2, 2D] × [0, D], as large as the box allows.
    assert D // 2 <= sx0 and sx1 <= 2 * D and 0 <= sy0 and sy1 <= D
    assert sx1 - sx0 >= round(1.5 * D) - 1 or sy1 - sy0 >= D - 1
    seal_x0, _y0, seal_x1, _y1 = _visible_box(compose_stamp_image(geometry=GEOMETRY, seal_png=seal, signature_png=None))
    covered = (seal_x1 - sx0) / (sx1 - sx0)
    assert covered == pytest.approx(1 / 3, abs=0.01)


@pytest.mark.django_db
def test_seal_on_an_opaque_ground_refused(tree, give_credential):
    credential = give_credential(tree.gialam, tree.admin)
    stored = credential.seal_image.name
    with pytest.raises(PortalError, match="Hình con dấu có nền không trong suốt"):
        credential_set_seal(
            credential=credential,
            upload=ContentFile(_png(300, 300, colour=(255, 255, 255, 255)), name="dau.png"),
            by=tree.admin,
        )
    credential.refresh_from_db()
    assert credential.seal_image.name == stored
