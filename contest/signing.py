"""The contest's official PDFs, signed by the organising unit and stored (signatures.services)."""

from django.utils import timezone

from campaign_portal.pdf import render_official_pdf_laid_out
from directives.registers import subject_key
from signatures.enums import SignedFileKind
from signatures.models import SignedFile
from signatures.selectors import signed_file_current
from signatures.services import signed_file_issue

from . import documents
from .documents import certificate_date, certificate_document
from .numbering import number_of, organising_unit


def _sign(*, kind: str, subject_key: str, contest, issued_on, document: dict, by) -> SignedFile | None:
    """Sign (or store unsigned when the organising unit has no credential); None when the contest has no
    organising unit at all (nothing can issue it)."""
    unit = organising_unit(contest)
    if unit is None:
        return None

    def render(extra: dict):
        return render_official_pdf_laid_out(
            template_name=document["template_name"], context={**document["context"], **extra}
        )

    return signed_file_issue(
        kind=kind,
        subject_key=subject_key,
        issuer_unit=unit,
        number_symbol=document["context"].get("number_symbol", ""),
        issued_on=issued_on,
        title=document["context"]["title"],
        render=render,
        by=by,
    )


def certificate_sign(*, award, by=None) -> SignedFile | None:
    contest = award.entry.contest
    return _sign(
        kind=SignedFileKind.CERTIFICATE,
        subject_key=subject_key(award),
        contest=contest,
        issued_on=certificate_date(contest),
        document=certificate_document(award=award),
        by=by,
    )


def round_results_sign(*, round_, by=None) -> SignedFile | None:
    """The round's results (Biên bản kết quả chấm); a new copy supersedes the older one."""
    return _sign(
        kind=SignedFileKind.ROUND_RESULTS,
        subject_key=subject_key(round_),
        contest=round_.contest,
        issued_on=timezone.localdate(),
        document=documents.round_results_document(round_=round_),
        by=by,
    )


def receipt_sign(*, entry, by=None) -> SignedFile | None:
    """The receipt (Giấy biên nhận), signed and stored when the entry is submitted and numbered."""
    return _sign(
        kind=SignedFileKind.RECEIPT,
        subject_key=subject_key(entry),
        contest=entry.contest,
        issued_on=timezone.localdate(entry.submitted_at),
        document=documents.receipt_document(entry=entry),
        by=by,
    )


def award_decision_sign(*, contest, by=None) -> SignedFile | None:
    """The award decision (Quyết định khen thưởng), signed and stored when the results are published."""
    numbered = number_of(contest)
    return _sign(
        kind=SignedFileKind.AWARD_DECISION,
        subject_key=subject_key(contest),
        contest=contest,
        issued_on=numbered.issued_on if numbered else timezone.localdate(),
        document=documents.award_decision_document(contest=contest, awards=documents.award_decision_awards(contest)),
        by=by,
    )


def receipt_sign_once(*, entry_id: int) -> SignedFile | None:
    """The worker's (or the receipt e-mail's, whichever comes first) part of a submission: sign the numbered
    receipt unless it is already stored (the receipt is issued once, at the first submission)."""
    from .models import Entry

    entry = Entry.objects.select_related("contest", "entrant__user").filter(pk=entry_id).first()
    if entry is None or not entry.code:
        return None
    current = signed_file_current(subject_key(entry))
    if current is not None:
        return current
    return receipt_sign(entry=entry, by=entry.entrant.user)


def receipt_stored_pdf(entry):
    """The stored receipt the entry's download and its e-mail serve (None for an entry received before)."""
    signed = signed_file_current(subject_key(entry))
    return signed.file if signed else None


def award_decision_stored_pdf(contest):
    """The stored decision once the results are published (None before: the draft is rendered)."""
    signed = signed_file_current(subject_key(contest))
    return signed.file if signed else None
