"""A report sent up is numbered at submission in the submitting unit's outgoing register (sổ văn bản đi),
prints its number, and keeps it when it is returned and submitted again."""

import io

import pypdf
from django.urls import reverse
from django.utils import timezone

from directives.enums import RegisterEntryKind
from directives.models import RegisterEntry
from directives.services import document_issue
from reporting import services
from tests.directives.conftest import draft_data

from .conftest import file


def _pdf_text(response) -> str:
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_report_submit_takes_the_next_number_of_the_units_register(tree, period):
    # Gia Lâm already numbered a directive this year: the report takes the next number of the same register.
    from directives.services import document_create

    document = document_create(
        issuing_unit=tree.gialam, by=tree.gialam_officer, data=draft_data(issued_on=timezone.localdate())
    )
    document_issue(document=document, by=tree.gialam_officer)
    report = file(period, tree.gialam, tree.gialam_officer)
    entry = RegisterEntry.objects.get(subject_key=f"reporting.report:{report.pk}")
    assert (entry.number, entry.number_symbol, entry.kind) == (2, "02/BC-LĐLĐ", RegisterEntryKind.REPORT)
    assert entry.register.unit == tree.gialam
    assert entry.register.year == timezone.localdate().year
    assert entry.issued_on == timezone.localdate()
    assert entry.summary == f"{period.cycle.name} – {period.label}"
    assert entry.signer == tree.gialam_officer.full_name
    assert entry.recipients == tree.federation.name


def test_report_resubmitted_after_return_keeps_its_number(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer)
    services.report_return(report=report, by=tree.gialam_head, comment="Bổ sung số liệu")
    file(period, tree.gl1, tree.gl1_officer, meeting_sessions=3)
    entries = list(RegisterEntry.objects.filter(register__unit=tree.gl1).values_list("number", "subject_key"))
    assert entries == [(1, f"reporting.report:{report.pk}")]


def test_report_saved_but_not_submitted_has_no_number(tree, period):
    file(period, tree.gl1, tree.gl1_officer, submit=False)
    assert RegisterEntry.objects.filter(register__unit=tree.gl1).count() == 0


def test_report_pdf_prints_the_number_it_took_at_submission(tree, period, login):
    file(period, tree.gialam, tree.gialam_officer)
    response = login(tree.gialam_head).get(reverse("reporting:rollup_pdf", args=[period.pk, tree.gialam.code]))
    assert response.status_code == 200
    assert "Số: 01/BC-LĐLĐ" in _pdf_text(response)


def test_report_pdf_before_submission_leaves_the_number_blank(tree, period, login):
    file(period, tree.gialam, tree.gialam_officer, submit=False)
    response = login(tree.gialam_head).get(reverse("reporting:rollup_pdf", args=[period.pk, tree.gialam.code]))
    text = _pdf_text(response)
    assert "/BC-LĐLĐ" in text
    assert "01/BC-LĐLĐ" not in text
