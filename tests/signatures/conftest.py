import io
import os
from types import SimpleNamespace

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.files.base import ContentFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko_certvalidator import ValidationContext

from signatures import pki
from signatures.credentials import credential_save_pkcs12, credential_set_seal
from signatures.images import draw_seal_png, draw_signature_png
from signatures.services_trust import trusted_certificates_add
from tests.directives.conftest import at, make_document  # noqa: F401 - fixtures shared with directives

from . import pdfs, softhsm


@pytest.fixture(scope="session")
def test_pki():
    """A private PKI: root → intermediate → an organisation and a person; a second, untrusted root; an
    expired person certificate under the trusted intermediate."""
    root = pki.make_root_ca(common_name="CA gốc thử nghiệm Hà Nội", organisation="Ban Cơ yếu thử nghiệm")
    intermediate = pki.make_intermediate_ca(issuer=root, common_name="CA trung gian thử nghiệm")
    organisation = pki.make_organisation_certificate(
        issuer=intermediate, organisation="Liên đoàn Lao động huyện Gia Lâm", email="ldld.gialam@example.vn"
    )
    person = pki.make_person_certificate(
        issuer=intermediate,
        full_name="Nguyễn Thị Hà",
        organisation="Liên đoàn Lao động huyện Gia Lâm",
        title="Chủ tịch",
        email="ha.nguyen@example.vn",
    )
    expired = pki.make_person_certificate(
        issuer=intermediate,
        full_name="Trần Văn Cũ",
        organisation="Liên đoàn Lao động huyện Gia Lâm",
        not_before=pdfs.days_ago(800),
        not_after=pdfs.days_ago(30),
    )
    stranger_root = pki.make_root_ca(common_name="CA lạ", organisation="Tổ chức không tin cậy")
    stranger = pki.make_person_certificate(issuer=stranger_root, full_name="Lê Văn Lạ", organisation="Công ty Lạ")
    return SimpleNamespace(
        root=root,
        intermediate=intermediate,
        organisation=organisation,
        person=person,
        expired=expired,
        stranger_root=stranger_root,
        stranger=stranger,
    )


@pytest.fixture
def trusted_root(tree, test_pki):
    """The test root trusted through the admin's service; the intermediate only travels inside the PDFs."""
    return trusted_certificates_add(data=test_pki.root.certificate_pem.encode(), by=tree.admin)[0]


@pytest.fixture(scope="session")
def signed_once(test_pki):
    return pdfs.sign(pdfs.plain_pdf(), signer=test_pki.person, chain=[test_pki.intermediate, test_pki.root])


@pytest.fixture(scope="session")
def signed_twice(test_pki, signed_once):
    return pdfs.sign(
        signed_once, signer=test_pki.organisation, chain=[test_pki.intermediate, test_pki.root], field_name="ChuKy2"
    )


# ---------------------------------------------------------------- signing (the organisation's credential)

PASSPHRASE = "mật-khẩu-thử"


def pkcs12_of(test_pki, issued) -> bytes:
    return pki.pkcs12_bytes(
        issued.key, issued.certificate, [test_pki.intermediate.certificate, test_pki.root.certificate], PASSPHRASE
    )


def asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


def validation_context(test_pki) -> ValidationContext:
    """pyHanko's own validation, independent of the portal's verify_pdf."""
    return ValidationContext(
        trust_roots=[asn1(test_pki.root.certificate)], other_certs=[asn1(test_pki.intermediate.certificate)]
    )


@pytest.fixture(scope="session")
def seal_png():
    return draw_seal_png(organisation="Liên đoàn Lao động huyện Gia Lâm", centre_text="Gia Lâm")


@pytest.fixture(scope="session")
def signature_png():
    return draw_signature_png(name="Nguyễn Thị Hà")


@pytest.fixture
def give_credential(test_pki, seal_png):
    """give_credential(unit, by) → a stored PKCS#12 credential with a seal image (36 mm)."""

    def _give(unit, by, *, suffices=False, issued=None):
        issued = issued or pki.make_organisation_certificate(issuer=test_pki.intermediate, organisation=unit.name)
        credential = credential_save_pkcs12(
            unit=unit, pkcs12_data=pkcs12_of(test_pki, issued), passphrase=PASSPHRASE, by=by
        )
        credential = credential_set_seal(credential=credential, upload=ContentFile(seal_png, name="seal.png"), by=by)
        if suffices:  # what the admin ticks on the credential's form
            credential.organisation_signature_suffices = True
            credential.save(update_fields=["organisation_signature_suffices"])
        return credential

    return _give


def pdf_signatures(data: bytes):
    return PdfFileReader(io.BytesIO(data)).embedded_signatures


# ---------------------------------------------------------------- a PKCS#11 token (SoftHSM)


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory, test_pki):
    """A SoftHSM token holding the Gia Lâm organisation's key, its certificate and the intermediate CA's; skipped
    only where Debian's softhsm2 is not installed (CI installs it: scripts/test.sh)."""
    if not softhsm.installed():
        pytest.skip(softhsm.NOT_INSTALLED)
    previous = os.environ.get("SOFTHSM2_CONF")
    token = softhsm.softhsm_token(
        tmp_path_factory.mktemp("softhsm"),
        issuer=test_pki.intermediate,
        chain=[test_pki.intermediate],
        organisation="Liên đoàn Lao động huyện Gia Lâm",
    )
    yield token
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous
