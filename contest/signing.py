"""The contest's official PDFs, signed by the organising unit and stored (signatures.services)."""

from campaign_portal.pdf import render_official_pdf_laid_out
from signatures.enums import SignedFileKind
from signatures.models import SignedFile
from signatures.services import signed_file_issue

from .documents import _organising_unit, certificate_date, certificate_document


def _laid_out(document: dict):
    def render(extra: dict):
        return render_official_pdf_laid_out(
            template_name=document["template_name"], context={**document["context"], **extra}
        )

    return render


def certificate_sign(*, award, by=None) -> SignedFile | None:
    """The award's certificate, signed (or stored unsigned when the organising unit has no credential); None
    when the contest has no organising unit at all (nothing can issue it)."""
    contest = award.entry.contest
    unit = _organising_unit(contest)
    if unit is None:
        return None
    document = certificate_document(award=award)
    return signed_file_issue(
        kind=SignedFileKind.CERTIFICATE,
        subject_key=f"contest.award:{award.pk}",
        issuer_unit=unit,
        number_symbol="",
        issued_on=certificate_date(contest),
        title=document["context"]["title"],
        render=_laid_out(document),
        by=by,
    )


def round_results_sign(*, round_, by=None) -> SignedFile | None:
    """The round's results (Biên bản kết quả chấm), signed for the organising unit; superseding the older copy."""
    from django.utils import timezone

    from .documents import round_results_document

    unit = _organising_unit(round_.contest)
    if unit is None:
        return None
    document = round_results_document(round_=round_)
    return signed_file_issue(
        kind=SignedFileKind.ROUND_RESULTS,
        subject_key=f"contest.round:{round_.pk}",
        issuer_unit=unit,
        number_symbol="",
        issued_on=timezone.localdate(),
        title=document["context"]["title"],
        render=_laid_out(document),
        by=by,
    )
