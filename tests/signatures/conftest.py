"""A private PKI (signatures.pki) and the credentials the signing tests give units."""

import datetime as dt
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.core.files.base import ContentFile
from pyhanko_certvalidator import ValidationContext

from signatures import pki
from signatures.credentials import credential_save_pkcs12, credential_set_seal
from signatures.images import draw_seal_png, draw_signature_png
from tests.directives.conftest import at, make_document  # noqa: F401 - fixtures shared with directives

PASSPHRASE = "mật-khẩu-thử"


class TestPki:
    def __init__(self):
        self.root = pki.make_root_ca(common_name="CA gốc thử nghiệm", organisation="LĐLĐ Hà Nội")
        self.intermediate = pki.make_intermediate_ca(issuer=self.root, common_name="CA trung gian thử nghiệm")
        self.chain = [self.intermediate.certificate, self.root.certificate]

    def organisation(self, name: str, **validity):
        return pki.make_organisation_certificate(issuer=self.intermediate, organisation=name, **validity)

    def person(self, full_name: str, organisation: str = "", **validity):
        return pki.make_person_certificate(
            issuer=self.intermediate, full_name=full_name, organisation=organisation, **validity
        )

    def pkcs12(self, issued) -> bytes:
        return pki.pkcs12_bytes(issued.key, issued.certificate, self.chain, PASSPHRASE)

    def validation_context(self):
        return ValidationContext(
            trust_roots=[asn1(self.root.certificate)], other_certs=[asn1(self.intermediate.certificate)]
        )


@pytest.fixture(scope="session")
def test_pki():
    return TestPki()


@pytest.fixture(scope="session")
def seal_png():
    return draw_seal_png(organisation="Liên đoàn Lao động huyện Gia Lâm", centre_text="Gia Lâm")


@pytest.fixture(scope="session")
def signature_png():
    return draw_signature_png(name="Nguyễn Văn A")


@pytest.fixture
def give_credential(test_pki, seal_png):
    """give_credential(unit, by) → a stored PKCS#12 credential with a seal image (36 mm)."""

    def _give(unit, by, *, suffices=False, issued=None):
        issued = issued or test_pki.organisation(unit.name)
        credential = credential_save_pkcs12(
            unit=unit, pkcs12_data=test_pki.pkcs12(issued), passphrase=PASSPHRASE, by=by
        )
        credential = credential_set_seal(credential=credential, upload=ContentFile(seal_png, name="seal.png"), by=by)
        if suffices:  # what the admin ticks on the credential's form
            credential.organisation_signature_suffices = True
            credential.save(update_fields=["organisation_signature_suffices"])
        return credential

    return _give


def pdf_signatures(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data)).embedded_signatures


def expired_validity():
    now = dt.datetime.now(dt.UTC)
    return {"not_before": now - dt.timedelta(days=400), "not_after": now - dt.timedelta(days=30)}


def asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))
