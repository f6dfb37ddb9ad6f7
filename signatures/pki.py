"""A small certificate factory over `cryptography`: a self-signed root CA, an intermediate CA, and end-entity
certificates for an organisation (chữ ký số của cơ quan, tổ chức) and for a person.

Used by the tests, the demo and the signing part to build a private PKI without network or files. Names may
carry Vietnamese diacritics (they are UTF8String in the certificate). End-entity certificates carry key usage
digitalSignature + nonRepudiation (what Vietnamese signing certificates carry); CA certificates carry
keyCertSign + cRLSign and basicConstraints CA:true.

    root = make_root_ca(common_name="CA gốc thử nghiệm", organisation="LĐLĐ Hà Nội")
    intermediate = make_intermediate_ca(issuer=root, common_name="CA trung gian thử nghiệm")
    unit = make_organisation_certificate(issuer=intermediate, organisation="Liên đoàn Lao động quận Ba Đình")
    person = make_person_certificate(issuer=intermediate, full_name="Nguyễn Thị Hà", organisation="…")
    data = pkcs12_bytes(unit.key, unit.certificate, [intermediate.certificate, root.certificate], b"secret")

Serial numbers are random (as RFC 5280 wants); keys are EC P-256 by default because they are fast to make,
RSA 2048 on request (`key_type="rsa"`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

DEFAULT_VALIDITY = dt.timedelta(days=365 * 3)
CA_VALIDITY = dt.timedelta(days=365 * 10)


@dataclass(frozen=True)
class Issued:
    """A private key and its certificate; an issuer for the next certificate down the chain."""

    key: PrivateKey
    certificate: x509.Certificate

    @property
    def certificate_pem(self) -> str:
        return certificate_pem(self.certificate)


def new_private_key(key_type: str = "ec") -> PrivateKey:
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key type {key_type!r}")


def certificate_pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint_sha256(certificate: x509.Certificate) -> str:
    """Lower-case hex, 64 characters: the form TrustedCertificate.fingerprint_sha256 stores."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def build_name(
    *, common_name: str, organisation: str = "", organisational_unit: str = "", email: str = "", locality: str = ""
) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if locality:
        attributes.append(x509.NameAttribute(NameOID.LOCALITY_NAME, locality))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if organisational_unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, organisational_unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    if email:
        attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attributes)


def _validity(not_before: dt.datetime | None, not_after: dt.datetime | None, default: dt.timedelta):
    start = not_before or (dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    return start, (not_after or start + default)


def _sign(
    *,
    subject: x509.Name,
    public_key,
    issuer_name: x509.Name,
    issuer_key: PrivateKey,
    issuer_public_key,
    not_before: dt.datetime,
    not_after: dt.datetime,
    is_ca: bool,
    path_length: int | None = None,
    email: str = "",
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=path_length if is_ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=not is_ca,  # nonRepudiation
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public_key), critical=False)
    )
    if not is_ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_root_ca(
    *,
    common_name: str,
    organisation: str = "",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    key_type: str = "ec",
) -> Issued:
    key = new_private_key(key_type)
    name = build_name(common_name=common_name, organisation=organisation)
    start, end = _validity(not_before, not_after, CA_VALIDITY)
    certificate = _sign(
        subject=name,
        public_key=key.public_key(),
        issuer_name=name,
        issuer_key=key,
        issuer_public_key=key.public_key(),
        not_before=start,
        not_after=end,
        is_ca=True,
    )
    return Issued(key=key, certificate=certificate)


def make_intermediate_ca(
    *,
    issuer: Issued,
    common_name: str,
    organisation: str = "",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    key_type: str = "ec",
) -> Issued:
    key = new_private_key(key_type)
    start, end = _validity(not_before, not_after, CA_VALIDITY)
    certificate = _sign(
        subject=build_name(common_name=common_name, organisation=organisation),
        public_key=key.public_key(),
        issuer_name=issuer.certificate.subject,
        issuer_key=issuer.key,
        issuer_public_key=issuer.key.public_key(),
        not_before=start,
        not_after=end,
        is_ca=True,
        path_length=0,
    )
    return Issued(key=key, certificate=certificate)


def _make_end_entity(*, issuer: Issued, subject: x509.Name, not_before, not_after, email: str, key_type: str):
    key = new_private_key(key_type)
    start, end = _validity(not_before, not_after, DEFAULT_VALIDITY)
    certificate = _sign(
        subject=subject,
        public_key=key.public_key(),
        issuer_name=issuer.certificate.subject,
        issuer_key=issuer.key,
        issuer_public_key=issuer.key.public_key(),
        not_before=start,
        not_after=end,
        is_ca=False,
        email=email,
    )
    return Issued(key=key, certificate=certificate)


def make_organisation_certificate(
    *,
    issuer: Issued,
    organisation: str,
    common_name: str = "",
    locality: str = "Hà Nội",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    email: str = "",
    key_type: str = "ec",
) -> Issued:
    """The certificate of an organisation: CN and O both name it (CN defaults to O)."""
    subject = build_name(
        common_name=common_name or organisation, organisation=organisation, locality=locality, email=email
    )
    return _make_end_entity(
        issuer=issuer, subject=subject, not_before=not_before, not_after=not_after, email=email, key_type=key_type
    )


def make_person_certificate(
    *,
    issuer: Issued,
    full_name: str,
    organisation: str = "",
    title: str = "",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    email: str = "",
    key_type: str = "ec",
) -> Issued:
    """The certificate of a person: CN is the full name, O the organisation they sign for, OU their title."""
    subject = build_name(common_name=full_name, organisation=organisation, organisational_unit=title, email=email)
    return _make_end_entity(
        issuer=issuer, subject=subject, not_before=not_before, not_after=not_after, email=email, key_type=key_type
    )


def pkcs12_bytes(
    key: PrivateKey, cert: x509.Certificate, chain: list[x509.Certificate], passphrase: bytes | str
) -> bytes:
    """A PKCS#12 file (AES-256 encrypted with the passphrase) holding the key, its certificate and the chain."""
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    friendly_name = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value.encode("utf-8")
    return pkcs12.serialize_key_and_certificates(
        name=friendly_name,
        key=key,
        cert=cert,
        cas=list(chain) or None,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase),
    )
