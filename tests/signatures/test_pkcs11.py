"""An organisation whose key lives on a token or HSM (a PKCS#11 credential) signs its directives on the token:
exercised against SoftHSM, whose token holds the key, the organisation's certificate and the intermediate CA's.
A wrong PIN, key label, token label or module is a clear refusal and the document stays a draft."""

import pytest
from cryptography.x509 import load_pem_x509_certificate
from django.core.files.base import ContentFile
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from campaign_portal.exceptions import PortalError
from directives.enums import DocumentStatus
from directives.registers import subject_key
from directives.signing import document_signed_file
from signatures import pki
from signatures.credentials import credential_save_pkcs11, credential_set_seal
from signatures.enums import CredentialKind
from signatures.models import SignedFile
from signatures.stamps import ORGANISATION_FIELD, StampGeometry
from signatures.verification import verify_pdf
from tests.directives.conftest import at

from .conftest import asn1, pdf_signatures
from .softhsm import token_environment

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["ec"])
def token_credential(request, tree, softhsm_token, monkeypatch, seal_png):
    """Gia Lâm's credential on the token, named by its environment prefix; the organisation's signature suffices
    (what the admin ticks on the credential's form). EC key by default, RSA when parametrised so."""
    if request.param == "rsa":
        token_environment(monkeypatch, softhsm_token, KEY_LABEL=softhsm_token.rsa_key_label)
        issued = softhsm_token.rsa_issued
    else:
        token_environment(monkeypatch, softhsm_token)
        issued = softhsm_token.issued
    credential = credential_save_pkcs11(
        unit=tree.gialam, env_prefix=softhsm_token.prefix, certificate_pem=issued.certificate_pem, by=tree.admin
    )
    credential = credential_set_seal(
        credential=credential, upload=ContentFile(seal_png, name="seal.png"), by=tree.admin
    )
    credential.organisation_signature_suffices = True
    credential.save(update_fields=["organisation_signature_suffices"])
    return credential


def _issue(make_document, tree):
    return make_document(unit=tree.gialam, by=tree.gialam_head, issue=True)


@pytest.mark.parametrize("token_credential", ["ec", "rsa"], indirect=True)
def test_issued_directive_carries_the_tokens_signature_chaining_to_the_test_ca(
    token_credential, make_document, tree, test_pki, softhsm_token
):
    assert token_credential.kind == CredentialKind.PKCS11
    certificate = asn1(load_pem_x509_certificate(token_credential.certificate_pem.encode("ascii")))
    document = _issue(make_document, tree)
    signed = document_signed_file(document)
    data = signed.file.read()
    (signature,) = pdf_signatures(data)
    # Only the root is given: the intermediate comes from the token, carried inside the signature.
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[asn1(test_pki.root.certificate)]))
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (True, True, True, True)
    assert status.signing_cert.sha256 == certificate.sha256
    algorithm = signature.signer_info["signature_algorithm"].signature_algo
    assert algorithm == {"ec": "ecdsa", "rsa": "rsassa_pkcs1v15"}[certificate.public_key.algorithm]
    path = [link.sha256 for link in status.validation_path]
    assert path == [
        asn1(test_pki.root.certificate).sha256,
        asn1(test_pki.intermediate.certificate).sha256,
        certificate.sha256,
    ]
    assert signature.field_name == ORGANISATION_FIELD
    assert signed.signatures[0]["kind"] == "organisation"
    assert signed.signatures[0]["organisation"] == "Liên đoàn Lao động huyện Gia Lâm"
    assert document.status == DocumentStatus.ISSUED
    assert signed.number_symbol == document.number_symbol


def test_the_stamp_is_drawn_at_the_seals_size(token_credential, make_document, tree):
    data = document_signed_file(_issue(make_document, tree)).file.read()
    (signature,) = pdf_signatures(data)
    field = signature.sig_field["/Kids"][0] if "/Kids" in signature.sig_field else signature.sig_field
    x0, y0, x1, y1 = [float(v) for v in field["/Rect"]]
    geometry = StampGeometry.for_seal(36)
    assert (round(x1 - x0, 1), round(y1 - y0, 1)) == (round(geometry.width_pt, 1), round(geometry.height_pt, 1))
    assert "/N" in field["/AP"]  # the visible stamp: seal, signature picture and text
    assert len(field["/AP"]["/N"].get_object()["/Resources"]["/XObject"]) >= 1


def test_the_portals_verification_trusts_the_tokens_signature(
    token_credential, make_document, tree, trusted_root, softhsm_token
):
    result = verify_pdf(document_signed_file(_issue(make_document, tree)).file.read())
    (checked,) = result.signatures
    assert (checked.intact, checked.trusted) == (True, True)


def test_two_documents_in_a_row_each_open_and_close_their_session(token_credential, make_document, tree):
    first, second = _issue(make_document, tree), _issue(make_document, tree)
    assert (first.number, second.number) == (1, 2)
    assert all(pdf_signatures(document_signed_file(d).file.read()) for d in (first, second))


def _refused(make_document, tree, monkeypatch, softhsm_token, **environment) -> str:
    token_environment(monkeypatch, softhsm_token, **environment)
    document = make_document(unit=tree.gialam, by=tree.gialam_head)
    with pytest.raises(PortalError) as error:
        from directives.services import document_issue

        document_issue(document=document, by=tree.gialam_head, now=at(document.issued_on))
    document.refresh_from_db()
    # Nothing half-way: still a draft, unnumbered, no stored file, nothing delivered.
    assert (document.status, document.number, document.number_symbol) == (DocumentStatus.DRAFT, None, "")
    assert not SignedFile.objects.filter(subject_key=subject_key(document)).exists()
    assert not document.deliveries.exists()
    return str(error.value)


def test_wrong_pin_is_refused_and_the_document_stays_a_draft(
    token_credential, make_document, tree, monkeypatch, softhsm_token
):
    message = _refused(make_document, tree, monkeypatch, softhsm_token, PIN="999999")
    assert message == "Mã PIN của thiết bị ký không đúng (biến môi trường SIGNING_PKCS11_GIALAM_PIN)."


def test_missing_key_label_is_refused_and_the_document_stays_a_draft(
    token_credential, make_document, tree, monkeypatch, softhsm_token
):
    message = _refused(make_document, tree, monkeypatch, softhsm_token, KEY_LABEL="khoa-khong-co")
    assert message == (
        "Thiết bị ký không có đúng một khóa bí mật có nhãn “khoa-khong-co” "
        "(biến môi trường SIGNING_PKCS11_GIALAM_KEY_LABEL)."
    )


def test_unknown_token_is_refused(token_credential, make_document, tree, monkeypatch, softhsm_token):
    message = _refused(make_document, tree, monkeypatch, softhsm_token, TOKEN_LABEL="Token khác")
    assert message == (
        "Không tìm thấy hoặc không mở được thiết bị ký có nhãn “Token khác” "
        "(biến môi trường SIGNING_PKCS11_GIALAM_TOKEN_LABEL)."
    )


def test_missing_module_is_refused(token_credential, make_document, tree, monkeypatch, softhsm_token):
    message = _refused(make_document, tree, monkeypatch, softhsm_token, MODULE="/nonexistent/libtoken.so")
    assert message == (
        "Không nạp được thư viện PKCS#11 của thiết bị ký (SIGNING_PKCS11_GIALAM_MODULE = /nonexistent/libtoken.so)."
    )


@pytest.mark.parametrize("other", ["another EC key", "the RSA key"])
def test_a_certificate_not_of_the_tokens_key_is_refused(
    other, token_credential, make_document, tree, monkeypatch, softhsm_token, test_pki
):
    """The credential's certificate is not the EC key's (the label names it): the signature would not verify, so
    nothing is signed."""
    if other == "the RSA key":
        certificate_pem = softhsm_token.rsa_issued.certificate_pem
    else:
        certificate_pem = pki.make_organisation_certificate(
            issuer=test_pki.intermediate, organisation="Liên đoàn Lao động huyện Gia Lâm"
        ).certificate_pem
    credential_save_pkcs11(
        unit=tree.gialam, env_prefix=softhsm_token.prefix, certificate_pem=certificate_pem, by=tree.admin
    )
    message = _refused(make_document, tree, monkeypatch, softhsm_token)
    assert message == (
        "Khóa bí mật “ky-so-don-vi” trên thiết bị ký không khớp với chứng thư số đã lưu của đơn vị: hãy lưu lại "
        "đúng chứng thư số của khóa này."
    )
