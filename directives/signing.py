"""A directive's official PDF, signed and stored when it is issued (signatures.services does the signing)."""

from campaign_portal.pdf import render_official_pdf_laid_out
from organizations.models import User
from signatures.enums import SignedFileKind
from signatures.models import SignedFile
from signatures.selectors import signed_file_current
from signatures.services import signed_file_issue

from .models import Document

TEMPLATE = "documents/directive.html"


def document_subject_key(document: Document) -> str:
    return f"directives.document:{document.pk}"


def document_render(document: Document):
    """render(extra_context) for signed_file_issue: the document's own context plus the signing keys."""
    from .selectors import document_pdf_context

    def render(extra: dict):
        return render_official_pdf_laid_out(template_name=TEMPLATE, context={**document_pdf_context(document), **extra})

    return render


def document_sign(*, document: Document, by: User, signer_pdf: bytes | None = None, **signer) -> SignedFile:
    """Sign (organisation) and store the issued document's PDF; the two-step path hands the signer's PDF."""
    return signed_file_issue(
        kind=SignedFileKind.DIRECTIVE,
        subject_key=document_subject_key(document),
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
    return signed_file_current(document_subject_key(document))
