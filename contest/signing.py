"""The contest's official PDFs, signed by the organising unit and stored (signatures.services)."""

from django.utils import timezone

from campaign_portal.pdf import render_official_pdf_laid_out
from signatures.enums import SignedFileKind
from signatures.models import SignedFile
from signatures.services import signed_file_issue

from . import documents
from .documents import certificate_date, certificate_document
from .numbering import organising_unit


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
        subject_key=f"contest.award:{award.pk}",
        contest=contest,
        issued_on=certificate_date(contest),
        document=certificate_document(award=award),
        by=by,
    )


def round_results_sign(*, round_, by=None) -> SignedFile | None:
    """The round's results (Biên bản kết quả chấm); a new copy supersedes the older one."""
    return _sign(
        kind=SignedFileKind.ROUND_RESULTS,
        subject_key=f"contest.round:{round_.pk}",
        contest=round_.contest,
        issued_on=timezone.localdate(),
        document=documents.round_results_document(round_=round_),
        by=by,
    )
