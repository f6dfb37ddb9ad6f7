"""A report's official PDF ("Báo cáo"), signed by the submitting unit and stored when it is submitted
(signatures.services does the signing; directives/signing.py and contest/signing.py are its siblings)."""

from django.utils import timezone

from campaign_portal.pdf import render_official_pdf_laid_out
from directives.registers import register_entry_for, subject_key
from organizations.models import Unit, User
from signatures.enums import SignedFileKind
from signatures.models import SignedFile
from signatures.selectors import signed_file_current
from signatures.services import signed_file_issue

from . import exports, selectors
from .enums import FILED_STATUSES
from .models import Period, Report

TEMPLATE = "documents/reporting/official_report.html"


def report_pdf_context(*, unit: Unit, period: Period) -> dict:
    """What the "Báo cáo" prints: the unit's rollup of the period and the official header and signature."""
    today = timezone.localdate()
    context = {
        "period": period,
        "cycle": period.cycle,
        "unit": unit,
        "today": today,
        "date": today,
        **selectors.rollup(period=period, unit=unit),
    }
    context.update(exports.official_context(unit=unit, period=period))
    return context


def report_sign(*, report: Report, by: User) -> SignedFile:
    """Render the submitted report with its BC number, sign it with the unit's credential (stored unsigned when
    the unit has none) and store it; a resubmission's file supersedes the older one."""

    entry = register_entry_for(subject_key(report))
    context = report_pdf_context(unit=report.unit, period=report.period)

    def render(extra: dict):
        return render_official_pdf_laid_out(template_name=TEMPLATE, context={**context, **extra})

    return signed_file_issue(
        kind=SignedFileKind.REPORT,
        subject_key=subject_key(report),
        issuer_unit=report.unit,
        number_symbol=entry.number_symbol if entry else "",
        issued_on=entry.issued_on if entry else timezone.localdate(),
        title=context["title"],
        render=render,
        by=by,
    )


def report_sign_once(*, report_id: int) -> SignedFile | None:
    """The worker's part of a submission: sign the report as filed, unless it was returned meanwhile (the draft
    being corrected has no official copy) or this submission is already signed (the task delivered twice)."""
    report = Report.objects.select_related("cycle", "period", "unit", "submitted_by").filter(pk=report_id).first()
    if report is None or report.status not in FILED_STATUSES:
        return None
    current = signed_file_current(subject_key(report))
    if current is not None and current.signed_at >= report.submitted_at:
        return current
    return report_sign(report=report, by=report.submitted_by)


def report_stored_pdf(*, unit: Unit, period: Period):
    """The stored file the report's PDF link serves once the report is filed (None before, or when returned:
    the live rendering is then the draft being corrected)."""
    report = Report.objects.filter(period=period, unit=unit).only("pk", "status").first()
    if report is None or report.status not in FILED_STATUSES:
        return None
    signed = signed_file_current(subject_key(report))
    return signed.file if signed else None
