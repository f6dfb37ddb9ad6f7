"""Checking a PDF: did this portal issue it, who signed it, is it intact, does its chain reach a trusted CA.

Contract (the public page "Kiểm tra văn bản" and the signing part both call it):

    verify_pdf(data: bytes) -> PdfVerification
    verify_uploaded_pdf(upload: UploadedFile) -> PdfVerification   (the same, never reading an oversized file)

- Refuses, by raising `PortalError` with a Vietnamese message and before anything else, a file that is too large
  (the "verification" upload kind: 20 MB unless `settings.UPLOAD_MAX_BYTES["verification"]` says otherwise), not
  a PDF (judged by content), encrypted or password-protected, or carrying active content; these are the portal's
  one upload check (`campaign_portal.uploads.upload_check`). A PDF pyHanko cannot read is refused the same way.
- Stores nothing and writes nothing. Reads: the `TrustedCertificate` rows (one query), the `SignedFile` on
  record (one query) and the organisation certificates (`SigningCredential`, one query, only when the file is
  not on record as it is).
- `PdfVerification.signed_file` is the `SignedFile` whose SHA-256 equals the file's (`record_match == "exact"`),
  or the one whose SHA-256 equals the bytes up to one of the file's signatures, i.e. our file with something
  appended after signing (`"signed_revision"`); `record_match == "certificate"` when no record matches but a
  signature was made with one of the portal's organisation certificates (then `signed_file` is None).
- `PdfVerification.signatures` has one `SignatureCheck` per embedded signature, in file order: signer's name
  (CN), organisation (O), signing time as the signer's software stated it (no timestamp authority is
  consulted), certificate serial and SHA-256 fingerprint, and
  `intact` (the signed bytes hash to the signed digest and the signature value verifies),
  `trusted` (the certificate chains to an active `TrustedCertificate` root, through intermediates from the
  file or from active `TrustedCertificate` rows; a chain through a deactivated row is not trusted),
  `valid_at_signing_time` (every certificate of that chain was within its validity at the signing time),
  `modification_level` (what was changed in the file after this signature: "none", "form_filling" — later
  signatures and form filling only —, "annotations", "other" — the content —, or "unknown").
- `PdfVerification.verdict` (a `Verdict`) sums it up; `PdfVerification.modified_after_signing` is True when a
  signature is broken or the content changed after one; that is the page's "tệp đã bị thay đổi sau khi ký".
- Trust roots come only from `TrustedCertificate` rows (roots as trust roots, intermediates as other
  certificates): never the operating system's store, nothing fetched. Revocation (CRL/OCSP) is NOT checked,
  because nothing is fetched from the network: `PdfVerification.revocation_checked` is False, say so on pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import KeyUsageConstraints, async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleTrustManager

from campaign_portal.exceptions import PortalError
from campaign_portal.uploads import VERIFICATION, upload_check

from .models import SignedFile, SigningCredential, TrustedCertificate
from .pyhanko_sync import run_pyhanko


class Verdict:
    """The overall answer, most reassuring first. Labels are what the page shows as its headline."""

    ISSUED_HERE = "issued_here"
    VALID = "valid"
    MODIFIED = "modified"
    UNTRUSTED = "untrusted"
    UNSIGNED = "unsigned"

    LABELS = {
        ISSUED_HERE: gettext_lazy("Văn bản do Cổng này phát hành, nguyên vẹn như khi ký."),
        VALID: gettext_lazy("Chữ ký số hợp lệ, nhưng văn bản không do Cổng này phát hành."),
        MODIFIED: gettext_lazy("Cảnh báo: tệp đã bị thay đổi sau khi ký."),
        UNTRUSTED: gettext_lazy("Tệp còn nguyên vẹn, nhưng chữ ký số không được xác nhận là tin cậy."),
        UNSIGNED: gettext_lazy("Tệp không có chữ ký số và không có trong hồ sơ của Cổng."),
    }


# What may be changed after a signature without the file counting as modified: later signatures, form filling.
ACCEPTED_LEVELS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
LEVEL_NAMES = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "none",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}
# Sub-indications that mean "a chain was found, but a certificate was outside its validity at that moment".
TIME_PROBLEMS = frozenset(
    {
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    }
)
SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


@dataclass(frozen=True)
class SignatureCheck:
    field_name: str
    signer_name: str
    organisation: str
    email: str
    signing_time: dt.datetime | None
    certificate_serial: str  # upper-case hex
    certificate_fingerprint: str  # lower-case hex SHA-256
    certificate_issuer: str
    certificate_not_before: dt.datetime | None
    certificate_not_after: dt.datetime | None
    intact: bool
    trusted: bool
    valid_at_signing_time: bool
    modification_level: str  # none | form_filling | annotations | other | unknown
    covers_whole_file: bool

    @property
    def modified_after(self) -> bool:
        return not self.intact or self.modification_level not in ("none", "form_filling")

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.valid_at_signing_time and not self.modified_after


@dataclass(frozen=True)
class PdfVerification:
    sha256: str
    size: int
    signatures: list[SignatureCheck] = field(default_factory=list)
    signed_file: SignedFile | None = None
    record_match: str = ""  # exact | signed_revision | certificate | ""
    revocation_checked: bool = False

    @property
    def issued_here(self) -> bool:
        """The portal issued exactly these bytes."""
        return self.record_match == "exact"

    @property
    def ours(self) -> bool:
        """The portal issued this document, as it is or with something changed since."""
        return bool(self.record_match)

    @property
    def modified_after_signing(self) -> bool:
        return self.record_match == "signed_revision" or any(s.modified_after for s in self.signatures)

    @property
    def verdict(self) -> str:
        if self.issued_here:
            return Verdict.ISSUED_HERE
        if self.modified_after_signing:
            return Verdict.MODIFIED
        if not self.signatures:
            return Verdict.UNSIGNED
        if all(s.ok for s in self.signatures):
            return Verdict.VALID
        return Verdict.UNTRUSTED

    @property
    def verdict_label(self) -> str:
        return str(Verdict.LABELS[self.verdict])


def verify_pdf(data: bytes) -> PdfVerification:
    upload_check(upload=data, kind=VERIFICATION, label=_("Tệp PDF"), field="file")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        raise PortalError(_("Tệp PDF: PDF hỏng hoặc không đọc được."), field="file") from error

    trust = _trust_material()
    signatures = [_check_signature(signature, trust) for signature in embedded]
    sha256 = hashlib.sha256(data).hexdigest()
    signed_file, record_match = _record_for(data, sha256, embedded, signatures)
    return PdfVerification(
        sha256=sha256, size=len(data), signatures=signatures, signed_file=signed_file, record_match=record_match
    )


def verify_uploaded_pdf(upload) -> PdfVerification:
    """verify_pdf for an UploadedFile: a file over the limit is refused before it is read into memory."""
    if upload.size > VERIFICATION.limit:
        upload_check(upload=upload, kind=VERIFICATION, label=_("Tệp PDF"), field="file")  # raises "too large"
    upload.seek(0)
    return verify_pdf(upload.read())


@dataclass(frozen=True)
class _TrustMaterial:
    roots: list[asn1_x509.Certificate]
    intermediates: list[asn1_x509.Certificate]
    distrusted_fingerprints: frozenset[str]


def load_certificates(pem_or_der: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM bundle, or the one DER certificate; raises ValueError for anything else."""
    if pem.detect(pem_or_der):
        return [
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(pem_or_der, multiple=True)
            if kind == "CERTIFICATE"
        ]
    certificate = asn1_x509.Certificate.load(pem_or_der)
    certificate.native  # parses it all now: garbage fails here, not later  # noqa: B018
    return [certificate]


def _trust_material() -> _TrustMaterial:
    roots, intermediates, distrusted = [], [], set()
    for row in TrustedCertificate.objects.only("certificate_pem", "is_root", "is_active", "fingerprint_sha256"):
        if not row.is_active:
            distrusted.add(row.fingerprint_sha256)
            continue
        certificates = load_certificates(row.certificate_pem.encode("ascii"))
        (roots if row.is_root else intermediates).extend(certificates)
    return _TrustMaterial(roots=roots, intermediates=intermediates, distrusted_fingerprints=frozenset(distrusted))


def _validation_context(trust: _TrustMaterial, moment: dt.datetime | None) -> ValidationContext:
    # An explicit trust manager: an empty list of roots must mean "trust nobody", never the OS store.
    return ValidationContext(
        trust_manager=SimpleTrustManager.build(trust_roots=trust.roots),
        other_certs=trust.intermediates,
        moment=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _check_signature(embedded, trust: _TrustMaterial) -> SignatureCheck:
    certificate = embedded.signer_cert
    subject = certificate.subject.native
    signing_time = embedded.self_reported_timestamp
    intact = trusted = valid_at_time = False
    level, covers_whole_file = "unknown", False
    try:
        status = run_pyhanko(
            async_validate_pdf_signature(
                embedded,
                signer_validation_context=_validation_context(trust, signing_time),
                key_usage_settings=SIGNER_KEY_USAGE,
            )
        )
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
        status = None
    if status is not None:
        intact = bool(status.intact and status.valid)
        problem = status.trust_problem_indic
        chain = status.validation_path
        chain_fingerprints = {c.sha256.hex() for c in chain.iter_certs(include_root=True)} if chain else set()
        distrusted = bool(chain_fingerprints & trust.distrusted_fingerprints)
        trusted = intact and not distrusted and (status.trusted or problem in TIME_PROBLEMS)
        valid_at_time = trusted and problem not in TIME_PROBLEMS
        level = LEVEL_NAMES.get(status.modification_level, "unknown")
        covers_whole_file = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    return SignatureCheck(
        field_name=str(embedded.field_name or ""),
        signer_name=subject.get("common_name", "") or "",
        organisation=subject.get("organization_name", "") or "",
        email=subject.get("email_address", "") or "",
        signing_time=signing_time,
        certificate_serial=format(certificate.serial_number, "X"),
        certificate_fingerprint=certificate.sha256.hex(),
        certificate_issuer=certificate.issuer.human_friendly,
        certificate_not_before=certificate.not_valid_before,
        certificate_not_after=certificate.not_valid_after,
        intact=intact,
        trusted=trusted,
        valid_at_signing_time=valid_at_time,
        modification_level=level,
        covers_whole_file=covers_whole_file,
    )


def _record_for(data: bytes, sha256: str, embedded, signatures) -> tuple[SignedFile | None, str]:
    """The portal's record of this file: by its own hash, else by the hash of a signed revision inside it
    (our file with bytes appended), else only the knowledge that one of our organisation certificates signed."""
    revision_hashes = {}
    for signature in embedded:
        byte_range = signature.byte_range
        end = int(byte_range[2]) + int(byte_range[3])
        if end < len(data):
            revision_hashes[hashlib.sha256(data[:end]).hexdigest()] = end
    candidates = SignedFile.objects.select_related("issuer_unit").filter(sha256__in=[sha256, *revision_hashes])
    by_hash = {record.sha256: record for record in candidates}
    if sha256 in by_hash:
        return by_hash[sha256], "exact"
    if by_hash:
        return next(iter(by_hash.values())), "signed_revision"
    if signatures:
        ours = {
            fingerprint_of_pem(pem_text)
            for pem_text in SigningCredential.objects.values_list("certificate_pem", flat=True)
        }
        if any(s.certificate_fingerprint in ours for s in signatures):
            return None, "certificate"
    return None, ""


def fingerprint_of_pem(pem_text: str) -> str:
    certificates = load_certificates(pem_text.encode("ascii"))
    return certificates[0].sha256.hex() if certificates else ""
