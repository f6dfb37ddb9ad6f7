"""The demo's private PKI, so that every document the demo issues is signed: a demo CA (trusted), an organisation
certificate with a drawn red seal for each unit that issues documents, and for the heads a person certificate
and a drawn signature image. Nothing here has legal value, and the names say so.

Keys are EC P-256 derived from the unit's or person's code (no key to cache, the same on every run); what is
already there is kept, so the loader is idempotent and a second run costs a few queries. Runs before the other
apps' loaders (signatures sits right after organizations in INSTALLED_APPS)."""

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.base import ContentFile

from organizations.enums import UnitKind
from organizations.models import Unit, User

from . import pki
from .credentials import credential_save_pkcs12, credential_set_seal, personal_certificate_register
from .images import draw_seal_png, draw_signature_png
from .models import PersonalCertificate, SignatureImage, SigningCredential, TrustedCertificate
from .services_trust import trusted_certificates_add

NO_LEGAL_VALUE = "DEMO – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"
CA_NAME = f"CA Cổng CCHC {NO_LEGAL_VALUE}"
DEMO_PASSPHRASE = "demo"
SIGNING_KINDS = (
    UnitKind.CITY_COMMITTEE,
    UnitKind.CITY_FEDERATION,
    UnitKind.DISTRICT_FEDERATION,
    UnitKind.INDUSTRY_UNION,
    UnitKind.DIRECT_SUPERIOR_UNION,
    UnitKind.COMMUNE_UNION,
)
# Đông Anh shows the two-step path (the head signs on her device); every other demo unit's signature suffices.
TWO_STEP_UNITS = ("HN-LDLD-DONGANH",)
VALID_FROM = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)  # the history starts in 2019
VALID_UNTIL = dt.datetime(2035, 12, 31, tzinfo=dt.UTC)


def _x520(text: str) -> str:
    """At most 64 characters as cryptography counts them (UTF-8 bytes), cut on a character boundary."""
    return text.encode("utf-8")[:64].decode("utf-8", errors="ignore").strip()


def demo_key(label: str) -> ec.EllipticCurvePrivateKey:
    """A key derived from a public label: fine for a demo whose certificates say they are worthless."""
    secret = int.from_bytes(hashlib.sha256(f"cchc-demo-key:{label}".encode()).digest(), "big")
    return ec.derive_private_key(secret % (2**255) + 1, ec.SECP256R1())


def _issue(*, issuer: pki.Issued | None, subject: x509.Name, key, is_ca: bool) -> x509.Certificate:
    """A certificate for a fixed (derived) key: signatures.pki makes a fresh key every time, and the demo must
    give the same key to a unit on every run without storing the CA's key anywhere."""
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
    )
    return builder.sign(signing_key, hashes.SHA256())


def demo_ca(*, by: User) -> pki.Issued:
    key = demo_key("ca")
    row = TrustedCertificate.objects.filter(subject_name__contains=NO_LEGAL_VALUE).first()
    if row is not None:
        return pki.Issued(key=key, certificate=x509.load_pem_x509_certificate(row.certificate_pem.encode("ascii")))
    certificate = _issue(
        issuer=None, subject=pki.build_name(common_name=CA_NAME, organisation=NO_LEGAL_VALUE), key=key, is_ca=True
    )
    trusted_certificates_add(data=pki.certificate_pem(certificate).encode("ascii"), by=by)
    return pki.Issued(key=key, certificate=certificate)


def _unit_credential(*, unit: Unit, ca: pki.Issued, by: User) -> None:
    key = demo_key(f"unit:{unit.code}")
    # X.520 caps names at 64 characters; the warning goes in the organisational unit.
    subject = pki.build_name(
        common_name=_x520(unit.name),
        organisation=_x520(unit.name),
        organisational_unit=NO_LEGAL_VALUE,
        locality="Hà Nội",
    )
    certificate = _issue(issuer=ca, subject=subject, key=key, is_ca=False)
    data = pki.pkcs12_bytes(key, certificate, [ca.certificate], DEMO_PASSPHRASE)
    credential = credential_save_pkcs12(unit=unit, pkcs12_data=data, passphrase=DEMO_PASSPHRASE, by=by)
    seal = draw_seal_png(organisation=unit.name, centre_text=NO_LEGAL_VALUE.split(" – ")[0])
    credential = credential_set_seal(credential=credential, upload=ContentFile(seal, name="seal.png"), by=by)
    credential.organisation_signature_suffices = unit.code not in TWO_STEP_UNITS
    credential.save(update_fields=["organisation_signature_suffices"])


def demo_person_certificate(*, user: User, ca: pki.Issued) -> pki.Issued:
    key = demo_key(f"person:{user.email}")
    subject = pki.build_name(
        common_name=_x520(user.full_name or user.email), organisation=NO_LEGAL_VALUE, email=user.email
    )
    return pki.Issued(key=key, certificate=_issue(issuer=ca, subject=subject, key=key, is_ca=False))


def _signer(*, user: User, ca: pki.Issued) -> None:
    if not PersonalCertificate.objects.filter(user=user).exists():
        issued = demo_person_certificate(user=user, ca=ca)
        personal_certificate_register(user=user, data=issued.certificate_pem.encode("ascii"))
    if not SignatureImage.objects.filter(user=user).exists():
        from .credentials import signature_image_set

        png = draw_signature_png(name=user.full_name or user.email)
        signature_image_set(user=user, upload=ContentFile(png, name="signature.png"))


def load_demo(*, stdout=None) -> None:
    """Credentials for the units that issue documents and have none yet; certificates and signature images for
    their heads. Called before and after the 2025 reorganisation (its new units get theirs)."""
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    if admin is None:
        return
    ca = demo_ca(by=admin)
    have = set(SigningCredential.objects.values_list("unit_id", flat=True))
    for unit in Unit.objects.filter(kind__in=SIGNING_KINDS).exclude(pk__in=have).order_by("path"):
        _unit_credential(unit=unit, ca=ca, by=admin)
    heads = User.objects.filter(
        memberships__is_active=True, memberships__role="head", memberships__unit__kind__in=SIGNING_KINDS
    ).distinct()
    for user in heads.exclude(signing_certificates__isnull=False):
        _signer(user=user, ca=ca)
    if stdout is not None:
        stdout.write(f"  {SigningCredential.objects.count()} chứng thư số đơn vị ({NO_LEGAL_VALUE})")


ACCOUNTS_HELP = (
    "Văn bản demo được ký số bằng CA demo (không có giá trị pháp lý); LĐLĐ huyện Đông Anh ký hai bước "
    "(cấp số, người ký ký số, rồi tải lên).",
)
