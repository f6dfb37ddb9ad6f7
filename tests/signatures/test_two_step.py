"""The signer's own signature: “Cấp số và chuẩn bị ký” numbers the document and offers its PDF with an empty
field; the signer's signed upload is checked (each refusal its own message), then sealed and delivered."""

import io
from unittest import mock

import pytest
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.validation import validate_pdf_signature

from campaign_portal.exceptions import PortalError
from directives.enums import DocumentStatus
from directives.services import document_complete_signing, document_issue, document_prepare_signing
from directives.signing import document_signed_file, document_signing_request
from signatures import pki
from signatures.credentials import personal_certificate_register
from signatures.stamps import ORGANISATION_FIELD, SIGNER_FIELD, StampGeometry

from . import pdfs
from .conftest import at, pdf_signatures, validation_context

pytestmark = pytest.mark.django_db


def signed_by(data: bytes, issued, test_pki) -> bytes:
    """What the signer's device does: sign the prepared field with her key."""
    pkcs12 = pki.pkcs12_bytes(
        issued.key, issued.certificate, [test_pki.intermediate.certificate, test_pki.root.certificate], b"pw"
    )
    signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=b"pw")
    output = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(data), strict=False),
        signers.PdfSignatureMetadata(field_name=SIGNER_FIELD, md_algorithm="sha256"),
        signer=signer,
        existing_fields_only=True,
    )
    return output.getvalue()


@pytest.fixture
def prepared(tree, make_document, give_credential, trusted_root):
    give_credential(tree.gialam, tree.admin)
    document = make_document(unit=tree.gialam, by=tree.gialam_head)
    return document_prepare_signing(document=document, by=tree.gialam_head, now=at(document.issued_on))


def _prepared_bytes(document) -> bytes:
    with document_signing_request(document).file.open("rb") as handle:
        return handle.read()


def test_prepare_numbers_the_document_and_offers_an_empty_signer_field(prepared):
    prepared.refresh_from_db()
    assert (prepared.status, prepared.number_symbol) == (DocumentStatus.AWAITING_SIGNATURE, "01/KH-LĐLĐ")
    assert prepared.deliveries.count() == 0
    data = _prepared_bytes(prepared)
    assert pdf_signatures(data) == []
    assert b"/T (" + SIGNER_FIELD.encode() + b")" in data or SIGNER_FIELD.encode() in data


def test_issue_in_one_step_is_refused_when_the_signer_must_sign(tree, make_document, give_credential):
    give_credential(tree.gialam, tree.admin)
    document = make_document(unit=tree.gialam, by=tree.gialam_head)
    with pytest.raises(PortalError) as error:
        document_issue(document=document, by=tree.gialam_head)
    assert str(error.value) == (
        "Văn bản của đơn vị cần chữ ký số của người ký: hãy “Cấp số và chuẩn bị ký”, rồi tải lên tệp đã ký."
    )


def test_signer_upload_issues_with_two_valid_signatures(prepared, tree, test_pki):
    personal_certificate_register(user=tree.gialam_head, data=test_pki.person.certificate_pem.encode())
    data = signed_by(_prepared_bytes(prepared), test_pki.person, test_pki)
    document = document_complete_signing(document=prepared, data=data, by=tree.gialam_head)
    assert document.status == DocumentStatus.ISSUED
    assert document.deliveries.count() == 2
    signed = document_signed_file(document)
    stored = signed.file.read()
    signatures = pdf_signatures(stored)
    assert [s.field_name for s in signatures] == [SIGNER_FIELD, ORGANISATION_FIELD]
    for signature in signatures:
        status = validate_pdf_signature(signature, validation_context(test_pki))
        assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True, True, True, True)
    # The seal covers the left third of the signer's field: the organisation's box starts D/2 left of it.
    signer_box, organisation_box = ([float(v) for v in s.sig_field["/Rect"]] for s in signatures)
    d = StampGeometry.for_seal(36).seal_diameter_pt
    assert round(organisation_box[0] + d / 2, 1) == round(signer_box[0], 1)
    assert round(organisation_box[3], 1) == round(signer_box[3], 1)
    assert [s["kind"] for s in signed.signatures] == ["signer", "organisation"]
    assert signed.signatures[0]["signer"] == "Nguyễn Thị Hà"
    assert signed.verification_code == document_signing_request(document).verification_code


def test_signer_page_upload_goes_through_the_view(prepared, tree, test_pki, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    personal_certificate_register(user=tree.gialam_head, data=test_pki.person.certificate_pem.encode())
    data = signed_by(_prepared_bytes(prepared), test_pki.person, test_pki)
    client = login(tree.gialam_head)
    url = reverse("directives:document_signed_upload", args=[prepared.pk])
    response = client.post(url, {"file": SimpleUploadedFile("ky.pdf", data, "application/pdf")})
    assert response.status_code == 302
    prepared.refresh_from_db()
    assert prepared.status == DocumentStatus.ISSUED
    # An outsider posting the same file meets a 404, and nothing moves.
    response = login(tree.outsider).post(url, {"file": SimpleUploadedFile("ky.pdf", data, "application/pdf")})
    assert response.status_code == 404


def _refusal(prepared, tree, data) -> str:
    with pytest.raises(PortalError) as error:
        document_complete_signing(document=prepared, data=data, by=tree.gialam_head)
    prepared.refresh_from_db()
    assert prepared.status == DocumentStatus.AWAITING_SIGNATURE
    return str(error.value)


def test_upload_signed_with_someone_elses_certificate_is_refused(prepared, tree, test_pki):
    personal_certificate_register(user=tree.gialam_officer, data=test_pki.person.certificate_pem.encode())
    data = signed_by(_prepared_bytes(prepared), test_pki.person, test_pki)
    assert _refusal(prepared, tree, data) == (
        "Chữ ký số không phải của bạn: chứng thư số “Nguyễn Thị Hà” chưa được đăng ký cho tài khoản của bạn."
    )


def test_upload_signed_with_an_expired_certificate_is_refused(prepared, tree, test_pki):
    with mock.patch("django.utils.timezone.now", return_value=pdfs.days_ago(60)):  # registered while it was valid
        personal_certificate_register(user=tree.gialam_head, data=test_pki.expired.certificate_pem.encode())
    data = signed_by(_prepared_bytes(prepared), test_pki.expired, test_pki)
    assert _refusal(prepared, tree, data) == (
        "Chứng thư số của người ký đã hết hiệu lực (hoặc chưa có hiệu lực) tại thời điểm ký."
    )


def test_upload_signed_under_an_untrusted_ca_is_refused(prepared, tree, test_pki):
    personal_certificate_register(user=tree.gialam_head, data=test_pki.stranger.certificate_pem.encode())
    pkcs12 = pki.pkcs12_bytes(
        test_pki.stranger.key, test_pki.stranger.certificate, [test_pki.stranger_root.certificate], b"pw"
    )
    signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=b"pw")
    data = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(_prepared_bytes(prepared)), strict=False),
        signers.PdfSignatureMetadata(field_name=SIGNER_FIELD, md_algorithm="sha256"),
        signer=signer,
        existing_fields_only=True,
    ).getvalue()
    assert _refusal(prepared, tree, data) == "Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp."


def test_upload_changed_after_signing_is_refused(prepared, tree, test_pki):
    personal_certificate_register(user=tree.gialam_head, data=test_pki.person.certificate_pem.encode())
    data = signed_by(_prepared_bytes(prepared), test_pki.person, test_pki)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    extra = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (Sua noi dung) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(extra))
    changed = io.BytesIO()
    writer.write(changed)
    assert _refusal(prepared, tree, changed.getvalue()) == "Nội dung tệp đã bị thay đổi sau khi ký."


def test_upload_of_a_file_edited_before_signing_is_refused(prepared, tree, test_pki, make_document):
    personal_certificate_register(user=tree.gialam_head, data=test_pki.person.certificate_pem.encode())
    other = make_document(unit=tree.gialam, by=tree.gialam_head, subject="Một văn bản khác")
    document_prepare_signing(document=other, by=tree.gialam_head, now=at(other.issued_on))
    data = signed_by(_prepared_bytes(other), test_pki.person, test_pki)
    assert _refusal(prepared, tree, data) == (
        "Tệp đã ký không phải là tệp do Cổng chuẩn bị cho văn bản này, hoặc đã bị sửa trước khi ký."
    )
