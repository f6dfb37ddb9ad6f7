"""A directive issued by a unit with a credential: its PDF is signed by the organisation, with the stamp where
the layout left the signing space and over no text; a unit without a credential issues unsigned."""

import io

import pdfplumber
import pytest
from django.db import connection
from django.urls import reverse
from pyhanko.sign.validation import validate_pdf_signature

from directives.signing import document_signed_file
from signatures.models import SigningCredential
from signatures.stamps import ORGANISATION_FIELD, StampGeometry

from .conftest import PASSPHRASE, pdf_signatures, pkcs12_of, validation_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(tree, make_document, give_credential):
    give_credential(tree.gialam, tree.admin, suffices=True)  # the organisation-only path: one step
    return make_document(unit=tree.gialam, by=tree.gialam_head, issue=True)


def test_issue_with_credential_signs_once_by_the_organisation(issued, test_pki):
    signed = document_signed_file(issued)
    data = signed.file.read()
    (signature,) = pdf_signatures(data)
    status = validate_pdf_signature(signature, validation_context(test_pki))
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True, True, True, True)
    assert signature.field_name == ORGANISATION_FIELD
    assert signed.signatures[0]["organisation"] == "Liên đoàn Lao động huyện Gia Lâm"
    assert signed.signatures[0]["kind"] == "organisation"
    assert signed.number_symbol == issued.number_symbol


def _stamp_rect(data):
    (signature,) = pdf_signatures(data)
    return (
        [float(v) for v in signature.sig_field["/Kids"][0]["/Rect"]]
        if "/Kids" in signature.sig_field
        else [float(v) for v in signature.sig_field["/Rect"]]
    )


def test_stamp_sits_in_the_signing_space_over_no_text(issued):
    data = document_signed_file(issued).file.read()
    x0, y0, x1, y1 = _stamp_rect(data)
    geometry = StampGeometry.for_seal(36)
    assert (round(x1 - x0, 1), round(y1 - y0, 1)) == (round(geometry.width_pt, 1), round(geometry.height_pt, 1))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[-1]
        height = float(page.height)
        # pdfplumber's top is measured from the top of the page; the rectangle from the bottom.
        inside = [
            c["text"]
            for c in page.chars
            if c["x1"] > x0 and c["x0"] < x1 and (height - c["top"]) > y0 and (height - c["bottom"]) < y1
        ]
        words = page.extract_text()
    assert inside == []
    # The stamp lies between the signer's position and her name.
    position = next(w for w in page.extract_words() if w["text"] == "CHỦ")
    name = next(w for w in page.extract_words() if w["text"] == "Nguyễn")
    assert height - position["bottom"] >= y1 and height - name["top"] <= y0
    assert "Nguyễn Văn A" in words


def test_every_page_carries_the_verification_code(issued):
    signed = document_signed_file(issued)
    with pdfplumber.open(io.BytesIO(signed.file.read())) as pdf:
        footers = [page.extract_text() for page in pdf.pages]
    assert all(f"Mã kiểm tra: {signed.verification_code}" in text for text in footers)
    assert all(f"/kiem-tra/{signed.verification_code}/" in text for text in footers)


def test_download_serves_the_stored_signed_file(issued, login, tree):
    signed = document_signed_file(issued)
    response = login(tree.gialam_officer).get(reverse("directives:document_pdf", args=[issued.pk]))
    assert response.status_code == 200
    assert response.content == signed.file.open("rb").read()


def test_unit_without_credential_issues_unsigned(tree, make_document):
    document = make_document(unit=tree.gialam, by=tree.gialam_head, issue=True)
    signed = document_signed_file(document)
    assert signed.signatures == []
    assert pdf_signatures(signed.file.read()) == []


def test_credential_is_stored_encrypted(tree, give_credential, test_pki):
    raw = pkcs12_of(test_pki, test_pki.organisation)
    credential = give_credential(tree.gialam, tree.admin, issued=test_pki.organisation)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pkcs12_encrypted FROM {SigningCredential._meta.db_table} WHERE id = %s", [credential.pk]
        )
        (stored,) = cursor.fetchone()
    stored = bytes(stored)
    assert raw not in stored and PASSPHRASE.encode() not in stored
    assert raw[:64] not in stored
    assert credential.subject_name == test_pki.organisation.certificate.subject.rfc4514_string()


def test_pkcs11_credential_without_its_environment_refuses_to_sign(tree, test_pki, monkeypatch):
    """A token credential names its device through the environment; a missing variable is a clear refusal (the
    token itself is exercised against SoftHSM in test_pkcs11)."""
    from campaign_portal.exceptions import PortalError
    from signatures.credentials import credential_save_pkcs11, credential_signer

    credential = credential_save_pkcs11(
        unit=tree.gialam,
        env_prefix="SIGNING_PKCS11_TEST",
        certificate_pem=test_pki.organisation.certificate_pem,
        by=tree.admin,
    )
    monkeypatch.setenv("SIGNING_PKCS11_TEST_MODULE", "/nonexistent/libtoken.so")
    with pytest.raises(PortalError) as error, credential_signer(credential):
        pass
    assert str(error.value) == "Thiếu biến môi trường SIGNING_PKCS11_TEST_TOKEN_LABEL của thiết bị ký."
