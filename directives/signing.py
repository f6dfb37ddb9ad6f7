"""A directive's official PDF, signed and stored when it is issued (signatures.services does the signing)."""

from campaign_portal.pdf import render_official_pdf_laid_out
from organizations.enums import Role
from organizations.models import User
from organizations.selectors import unit_officers
from signatures.credentials import credential_for, credential_is_usable
from signatures.enums import SignedFileKind
from signatures.models import SignatureImage, SignedFile, SigningRequest
from signatures.selectors import signed_file_current
from signatures.services import (
    credential_needs_signer,
    signed_file_issue,
    signer_pdf_check,
    signing_request_prepare,
)

from .enums import DocumentStatus
from .models import Document
from .registers import subject_key

TEMPLATE = "documents/directive.html"


def document_render(document: Document):
    """render(extra_context) for signed_file_issue: the document's own context plus the signing keys."""
    from .selectors import document_pdf_context

    def render(extra: dict):
        return render_official_pdf_laid_out(template_name=TEMPLATE, context={**document_pdf_context(document), **extra})

    return render


def unit_signer_choices(unit_id: int):
    """Who may be named the signer of a unit's documents: its active heads (unit_officers)."""
    heads = unit_officers(unit_ids=[unit_id]).filter(role=Role.HEAD).values("user_id")
    return User.objects.filter(pk__in=heads, is_active=True).order_by("full_name", "pk")


def document_signer_choices(document: Document):
    """Who may be named the signer of a document: the active heads of its issuing unit."""
    return unit_signer_choices(document.issuing_unit_id)


def _signer_picture(document: Document) -> bytes | None:
    """The chosen signer's signature picture for the stamp; None (the seal alone) when she has none."""
    picture = (
        SignatureImage.objects.filter(user_id=document.signer_user_id).first() if document.signer_user_id else None
    )
    if picture is None or not picture.image:
        return None
    with picture.image.open("rb") as handle:
        return handle.read()


def document_sign(*, document: Document, by: User, signer_pdf: bytes | None = None, **signer) -> SignedFile:
    """Sign (organisation) and store the issued document's PDF; the two-step path hands the signer's PDF. The
    one-step stamp shows the chosen signer's picture beside the seal."""
    if signer_pdf is None:
        signer.setdefault("signature_png", _signer_picture(document))
    return signed_file_issue(
        kind=SignedFileKind.DIRECTIVE,
        subject_key=subject_key(document),
        issuer_unit=document.issuing_unit,
        number_symbol=document.number_symbol,
        issued_on=document.issued_on,
        title=str(document),
        render=None if signer_pdf is not None else document_render(document),
        signer_pdf=signer_pdf,
        by=by,
        **signer,
    )


def document_signed_file(document: Document) -> SignedFile | None:
    return signed_file_current(subject_key(document))


# ---------------------------------------------------------------- the signer's own signature


def document_needs_signer_signature(document: Document) -> bool:
    return credential_needs_signer(credential_for(document.issuing_unit))


def document_prepare_signature_field(*, document: Document, by: User) -> SigningRequest:
    return signing_request_prepare(
        subject_key=subject_key(document),
        issuer_unit=document.issuing_unit,
        render=document_render(document),
        by=by,
    )


def document_signing_request(document: Document) -> SigningRequest | None:
    return SigningRequest.objects.filter(subject_key=subject_key(document)).first()


def document_sign_with_signer(*, document: Document, data: bytes, by: User) -> SignedFile:
    """Check the signer's upload against the prepared file, then seal it with the organisation's signature."""
    request = document_signing_request(document)
    signer_signature = signer_pdf_check(request=request, data=data, by=by)
    return document_sign(
        document=document,
        by=by,
        signer_pdf=data,
        signer_signature=signer_signature,
        verification_code=request.verification_code,
    )


def document_stored_pdf(document: Document):
    """The stored file a numbered document's PDF link serves: the signed one once issued, the one prepared for
    the signer while it waits for her signature (None for a document issued before signing existed)."""
    if document.status == DocumentStatus.AWAITING_SIGNATURE:
        request = document_signing_request(document)
        return request.file if request else None
    signed = document_signed_file(document)
    return signed.file if signed else None


def document_signing_state(document: Document) -> dict:
    """What the document page says about signatures: the unit's way of signing, and the file's signatures."""
    credential = credential_for(document.issuing_unit)
    signed = None if document.is_draft else document_signed_file(document)
    return {
        "needs_signer_signature": credential_needs_signer(credential),
        "has_credential": credential_is_usable(credential),
        "awaiting_signature": document.status == DocumentStatus.AWAITING_SIGNATURE,
        "signed_file": signed,
        "issued_unsigned": signed is not None and not signed.signatures,
    }
