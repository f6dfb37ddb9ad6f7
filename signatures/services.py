"""Signing and storing the official PDFs the portal issues.

    signed_file_issue(kind=…, subject_key="directives.document:12", issuer_unit=unit, number_symbol="12/KH-LĐLĐ",
                      issued_on=date, title="…", render=render, by=user) -> SignedFile

`render(extra_context) -> campaign_portal.pdf.LaidOutPdf` renders the official PDF with the extra context keys
(`verification_line` for the footer, `signing_space` for the stamp's room); the organisation's signature is
added where the layout put the space. A unit without a usable credential still gets its file, stored unsigned."""

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.calendar import HANOI
from campaign_portal.exceptions import PortalError
from campaign_portal.pdf import LaidOutPdf
from organizations.models import Unit, User

from .credentials import credential_for, credential_is_usable, credential_signer
from .models import PersonalCertificate, SignedFile, SigningCredential, SigningRequest
from .pyhanko_sync import run_pyhanko
from .stamps import ORGANISATION_FIELD, SIGNER_FIELD, StampGeometry, compose_stamp_image, stamp_style

# No 0/O, 1/I/L: a code read aloud or typed from paper must not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
SIGNING_SPACE_ANCHOR = "signing-space"
CMS_BYTES_RESERVED = 16 * 1024  # an RSA-4096 chain of three certificates fits with room to spare

Render = Callable[[dict], LaidOutPdf]


def verification_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("signatures:verify_code", kwargs={"code": code})


def verification_line(code: str) -> str:
    return _("Mã kiểm tra: %(code)s – tra cứu tại %(url)s") % {"code": code, "url": verification_url(code)}


def signing_context(*, code: str, credential: SigningCredential | None) -> dict:
    """The extra template context of a signed PDF: the footer line, and room for the stamp when it is signed."""
    context = {"verification_line": verification_line(code)}
    if credential_is_usable(credential):
        context["signing_space"] = StampGeometry.for_seal(credential.seal_diameter_mm).signing_space()
    return context


def _read(file_field) -> bytes | None:
    if not file_field:
        return None
    with file_field.open("rb") as handle:
        return handle.read()


def _hanoi_iso(moment: dt.datetime) -> str:
    return moment.astimezone(HANOI).isoformat(timespec="seconds")


def _certificate_names(credential: SigningCredential) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    certificate = x509.load_pem_x509_certificate(credential.certificate_pem.encode("ascii"))

    def first(oid):
        values = certificate.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    return first(NameOID.COMMON_NAME), first(NameOID.ORGANIZATION_NAME)


def organisation_sign(
    *,
    data: bytes,
    credential: SigningCredential,
    page_index: int,
    origin: tuple[float, float],
    organisation: str,
    signature_png: bytes | None,
    now: dt.datetime,
) -> bytes:
    """Add the organisation's PAdES signature with its visible stamp, its top-left corner at `origin`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    geometry = StampGeometry.for_seal(credential.seal_diameter_mm)
    image = compose_stamp_image(geometry=geometry, seal_png=_read(credential.seal_image), signature_png=signature_png)
    with credential_signer(credential) as signer:
        pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name=ORGANISATION_FIELD,
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
                name=organisation,
                location="Hà Nội",
            ),
            signer=signer,
            stamp_style=stamp_style(geometry=geometry, image=image),
            new_field_spec=fields.SigFieldSpec(
                sig_field_name=ORGANISATION_FIELD, on_page=page_index, box=geometry.stamp_box(*origin)
            ),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        output = run_pyhanko(
            pdf_signer.async_sign_pdf(
                writer,
                # Room for the CMS (signature, certificate chain) given, not estimated: pyHanko would sign twice.
                bytes_reserved=CMS_BYTES_RESERVED,
                appearance_text_params={"organisation": organisation, "signed_at": _hanoi_iso(now)},
            )
        )
    return output.getvalue()


def _store(
    *,
    kind: str,
    code: str,
    data: bytes,
    subject_key: str,
    issuer_unit: Unit,
    number_symbol: str,
    issued_on: dt.date,
    title: str,
    signatures: list[dict],
    now: dt.datetime,
) -> SignedFile:
    signed = SignedFile(
        kind=kind,
        verification_code=code,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        issuer_unit=issuer_unit,
        number_symbol=number_symbol,
        issued_on=issued_on,
        title=title[:500],
        subject_key=subject_key,
        signatures=signatures,
        signed_at=now,
    )
    signed.file.save(f"{code}.pdf", ContentFile(data), save=False)
    with transaction.atomic():
        signed.save()
        # The newest file of an object is the one served; the older ones stay verifiable.
        SignedFile.objects.filter(subject_key=subject_key, superseded_by__isnull=True).exclude(pk=signed.pk).update(
            superseded_by=signed
        )
    return signed


def signed_file_issue(
    *,
    kind: str,
    subject_key: str,
    issuer_unit: Unit,
    number_symbol: str,
    issued_on: dt.date,
    title: str,
    render: Render | None = None,
    signer_pdf: bytes | None = None,
    signer_signature: dict | None = None,
    verification_code: str = "",
    signature_png: bytes | None = None,
    by: User | None,
) -> SignedFile:
    """Render (or take the signer-signed PDF of the two-step path), add the organisation's signature when the
    unit has a usable credential, store the bytes and supersede the older file of the same object. Signing
    happens now, by the real clock (it is what the signature and its stamp certify), whatever the business date."""
    now = timezone.now()
    credential = credential_for(issuer_unit)
    if credential is not None and not credential_is_usable(credential, at=now):
        credential = None  # an expired credential would sign something no one can trust: issue unsigned
    code = verification_code or verification_code_new()
    signatures = [signer_signature] if signer_signature else []
    if signer_pdf is not None:
        data = signer_pdf
        anchor = _signer_field_anchor(signer_pdf, credential) if credential else None
        signature_png = None  # the signer's own signature already shows her image
    else:
        if render is None:
            raise ValueError("signed_file_issue needs render or signer_pdf")
        laid_out = render(signing_context(code=code, credential=credential))
        data = laid_out.data
        anchor = laid_out.anchors.get(SIGNING_SPACE_ANCHOR)
        if credential is not None and anchor is None:
            raise PortalError(_("Mẫu văn bản không có chỗ ký (signing-space): không thể đóng dấu số."))
        anchor = (anchor.page_index, (anchor.left, anchor.top)) if anchor else None
    if credential is not None:
        common_name, organisation = _certificate_names(credential)
        organisation = organisation or common_name or issuer_unit.name
        page_index, origin = anchor
        data = organisation_sign(
            data=data,
            credential=credential,
            page_index=page_index,
            origin=origin,
            organisation=organisation,
            signature_png=signature_png,
            now=now,
        )
        signatures.append(
            {"signer": common_name, "organisation": organisation, "signed_at": now.isoformat(), "kind": "organisation"}
        )
    return _store(
        kind=kind,
        code=code,
        data=data,
        subject_key=subject_key,
        issuer_unit=issuer_unit,
        number_symbol=number_symbol,
        issued_on=issued_on,
        title=title,
        signatures=signatures,
        now=now,
    )


def _signer_field_anchor(data: bytes, credential: SigningCredential):
    """Where the signer's field lies (page, stamp origin): the organisation's stamp goes over it."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    geometry = StampGeometry.for_seal(credential.seal_diameter_mm)
    for page_index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(page_index)[0].get_object()
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/T") == SIGNER_FIELD:
                return page_index, geometry.origin_from_signer_box(list(annotation["/Rect"]))
    raise PortalError(_("Tệp đã ký không còn ô chữ ký của người ký do cổng chuẩn bị."))


# ---------------------------------------------------------------- the signer's own signature (two steps)


def credential_needs_signer(credential: SigningCredential | None) -> bool:
    """A unit with a usable credential signs with its signer too, unless it decided the organisation's
    signature suffices."""
    return credential_is_usable(credential) and not credential.organisation_signature_suffices


def signing_request_prepare(*, subject_key: str, issuer_unit: Unit, render: Render, by: User) -> SigningRequest:
    """Render the numbered PDF with its footer code, the stamp's room and an empty signature field over the
    signer's image box; keep it for her to download and sign."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    credential = credential_for(issuer_unit)
    code = verification_code_new()
    laid_out = render(signing_context(code=code, credential=credential))
    anchor = laid_out.anchors.get(SIGNING_SPACE_ANCHOR)
    if anchor is None:
        raise PortalError(_("Mẫu văn bản không có chỗ ký (signing-space): không thể đóng dấu số."))
    geometry = StampGeometry.for_seal(credential.seal_diameter_mm)
    writer = IncrementalPdfFileWriter(io.BytesIO(laid_out.data), strict=False)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=SIGNER_FIELD,
            on_page=anchor.page_index,
            box=geometry.signer_box(anchor.left, anchor.top),
        ),
    )
    output = io.BytesIO()
    writer.write(output)
    data = output.getvalue()
    SigningRequest.objects.filter(subject_key=subject_key).delete()
    request = SigningRequest(
        subject_key=subject_key, verification_code=code, sha256=hashlib.sha256(data).hexdigest(), prepared_by=by
    )
    request.file.save(f"{code}.pdf", ContentFile(data), save=False)
    request.save()
    return request


def signer_pdf_check(*, request: SigningRequest, data: bytes, by: User) -> dict:
    """The signer's upload, each refusal its own message: the prepared file plus one signature in the prepared
    field, made with a certificate registered to her, chaining to a trusted CA, valid when she signed, and
    nothing changed after it. Returns the signature's summary for the SignedFile."""
    from .verification import verify_pdf

    with request.file.open("rb") as handle:
        prepared = handle.read()
    result = verify_pdf(data)
    if not result.signatures:
        raise PortalError(_("Tệp tải lên chưa có chữ ký số."))
    if not data.startswith(prepared):
        raise PortalError(
            _("Tệp đã ký không phải là tệp do Cổng chuẩn bị cho văn bản này, hoặc đã bị sửa trước khi ký.")
        )
    if len(result.signatures) != 1 or result.signatures[0].field_name != SIGNER_FIELD:
        raise PortalError(_("Tệp phải có đúng một chữ ký số, đặt tại ô ký của người ký."))
    (signature,) = result.signatures
    if not signature.intact or signature.modified_after:
        raise PortalError(_("Nội dung tệp đã bị thay đổi sau khi ký."))
    if not PersonalCertificate.objects.filter(user=by, fingerprint_sha256=signature.certificate_fingerprint).exists():
        raise PortalError(
            _("Chữ ký số không phải của bạn: chứng thư số “%(name)s” chưa được đăng ký cho tài khoản của bạn.")
            % {"name": signature.signer_name}
        )
    if not signature.trusted:
        raise PortalError(_("Chứng thư số của người ký không do tổ chức chứng thực được tin cậy cấp."))
    if not signature.valid_at_signing_time:
        raise PortalError(_("Chứng thư số của người ký đã hết hiệu lực (hoặc chưa có hiệu lực) tại thời điểm ký."))
    return {
        "signer": signature.signer_name,
        "organisation": signature.organisation,
        "signed_at": signature.signing_time.isoformat() if signature.signing_time else "",
        "kind": "signer",
    }
