"""Trusted CA certificates: what the admin uploads becomes the verification page's trust roots.

A certificate is never deleted (a verification done yesterday must stay explainable): it is deactivated."""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError

from .models import TrustedCertificate
from .pki import certificate_pem, fingerprint_sha256

MAX_BUNDLE_BYTES = 1024 * 1024


def parse_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM bundle, or the one DER certificate; PortalError for anything else."""
    garbage = PortalError(_("Không đọc được chứng thư số: tệp phải là chứng thư X.509 dạng PEM hoặc DER."))
    if not data or len(data) > MAX_BUNDLE_BYTES:
        raise garbage
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise garbage from error


def subject_text(certificate: x509.Certificate) -> str:
    """The subject as people read it: CN, O, C (RFC 4514 would escape the diacritics)."""
    parts = []
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.ORGANIZATION_NAME, NameOID.COUNTRY_NAME):
        parts.extend(str(attribute.value) for attribute in certificate.subject.get_attributes_for_oid(oid))
    return ", ".join(parts) or certificate.subject.rfc4514_string()


def is_ca_certificate(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def is_self_signed(certificate: x509.Certificate) -> bool:
    if certificate.subject != certificate.issuer:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def trusted_certificates_check(data: bytes) -> list[x509.Certificate]:
    """The certificates of an upload, once they pass: PortalError for garbage, a certificate that is not a CA,
    the same certificate twice, or one already in the list (active or not). Writes nothing."""
    certificates = parse_certificates(data)
    fingerprints = [fingerprint_sha256(c) for c in certificates]
    for certificate in certificates:
        if not is_ca_certificate(certificate):
            raise PortalError(
                _(
                    "“%(subject)s” không phải chứng thư của tổ chức cung cấp dịch vụ chứng thực (CA); "
                    "chỉ nhận chứng thư CA gốc hoặc trung gian."
                )
                % {"subject": subject_text(certificate)}
            )
    if len(set(fingerprints)) != len(fingerprints):
        raise PortalError(_("Tệp có một chứng thư số lặp lại hai lần."))
    existing = TrustedCertificate.objects.filter(fingerprint_sha256__in=fingerprints).first()
    if existing is not None:
        raise PortalError(_("Chứng thư số “%(subject)s” đã có trong danh sách tin cậy.") % {"subject": existing})
    return certificates


@transaction.atomic
def trusted_certificates_add(*, data: bytes, by) -> list[TrustedCertificate]:
    """Adds every CA certificate of a PEM bundle or DER file, all or nothing (see trusted_certificates_check)."""
    certificates = trusted_certificates_check(data)
    added = []
    try:
        with transaction.atomic():
            for certificate in certificates:
                added.append(
                    TrustedCertificate.objects.create(
                        certificate_pem=certificate_pem(certificate),
                        fingerprint_sha256=fingerprint_sha256(certificate),
                        subject_name=subject_text(certificate)[:500],
                        is_root=is_self_signed(certificate),
                        not_before=certificate.not_valid_before_utc,
                        not_after=certificate.not_valid_after_utc,
                        added_by=by,
                    )
                )
    except IntegrityError as error:  # the same certificate added at the same moment by another request
        raise PortalError(_("Chứng thư số này đã có trong danh sách tin cậy.")) from error
    return added


def trusted_certificate_set_active(*, certificate: TrustedCertificate, active: bool, by) -> TrustedCertificate:
    """Trusts again or stops trusting; the row and its history stay."""
    if certificate.is_active != active:
        certificate.is_active = active
        certificate._change_reason = f"{'activated' if active else 'deactivated'} by {by.pk}"
        certificate.save(update_fields=["is_active"])
    return certificate
