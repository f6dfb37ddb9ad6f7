"""The layout rules of the official documents (tests/directives/test_pdf.py) hold on the signed PDF too: the
same tests, run on the plan rendered with its footer and signing space and signed with its stamp."""

import io

import pdfplumber
import pytest

from campaign_portal.pdf import render_official_pdf_laid_out
from signatures import pki
from signatures.credentials import credential_unsaved
from signatures.images import draw_seal_png, draw_signature_png
from signatures.services import SIGNING_SPACE_ANCHOR, organisation_sign, signing_context
from tests.directives.test_pdf import MM, _context
from tests.directives.test_pdf import test_pdf_fonts_embedded_liberation_serif as test_fonts  # noqa: F401
from tests.directives.test_pdf import test_pdf_header_has_motto_number_and_date as test_header  # noqa: F401
from tests.directives.test_pdf import test_pdf_page_numbers_from_page_two as test_page_numbers  # noqa: F401
from tests.directives.test_pdf import test_pdf_page_size_is_a4_portrait as test_page_size  # noqa: F401

# The four tests above run here against the signed plan_pdf below.
from .conftest import pdf_signatures


@pytest.fixture(scope="module")
def plan_pdf():
    """The plan of test_pdf.py, signed by an organisation credential held in memory (no database needed)."""
    root = pki.make_root_ca(common_name="CA gốc thử nghiệm")
    issued = pki.make_organisation_certificate(issuer=root, organisation="Ủy ban nhân dân Thành phố Hà Nội")
    credential = credential_unsaved(
        pkcs12_data=pki.pkcs12_bytes(issued.key, issued.certificate, [root.certificate], "pw"),
        passphrase="pw",
        seal_png=draw_seal_png(organisation="Ủy ban nhân dân"),
    )
    laid_out = render_official_pdf_laid_out(
        template_name="documents/base_official.html",
        context={**_context(), **signing_context(code="TEST234567", credential=credential)},
    )
    anchor = laid_out.anchors[SIGNING_SPACE_ANCHOR]
    from django.utils import timezone

    signed = organisation_sign(
        data=laid_out.data,
        credential=credential,
        page_index=anchor.page_index,
        origin=(anchor.left, anchor.top),
        organisation="Ủy ban nhân dân Thành phố Hà Nội",
        signature_png=draw_signature_png(name="Nguyễn Văn Sửu"),
        now=timezone.now(),
    )
    assert len(pdf_signatures(signed)) == 1
    return signed


def test_pdf_text_inside_margins_but_the_verification_footer(plan_pdf):
    """test_pdf.py's margin rule, with the one line a signed PDF adds in the bottom margin: the verification
    code, centred in the footer."""
    footer = "Mã kiểm tra: TEST234567 – tra cứu tại http://127.0.0.1:8000/kiem-tra/TEST234567/"
    with pdfplumber.open(io.BytesIO(plan_pdf)) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if w["top"] > 20 * MM]  # skip the page number
            body = [w for w in words if w["bottom"] <= page.height - 20 * MM + 0.5]
            in_footer = [w for w in words if w["bottom"] > page.height - 20 * MM + 0.5]
            assert min(w["x0"] for w in body) >= 30 * MM - 0.5
            assert max(w["x1"] for w in body) <= page.width - 15 * MM + 0.5
            assert " ".join(w["text"] for w in in_footer) == footer
            assert min(w["top"] for w in in_footer) > page.height - 15 * MM  # well below the text block
