"""A report sent up is signed by the submitting unit and stored at submission; its PDF link then serves the stored
file, and a report returned and submitted again gets a new file that supersedes the old one."""

import io

import pypdf
import pytest
from django.urls import reverse
from pyhanko.sign.validation import validate_pdf_signature

from reporting import services
from signatures.enums import SignedFileKind
from signatures.models import SignedFile
from signatures.stamps import ORGANISATION_FIELD
from tests.signatures.conftest import (  # noqa: F401 - fixtures
    give_credential,
    pdf_signatures,
    seal_png,
    test_pki,
    validation_context,
)

from .conftest import file

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _pdf(login, user, period, unit) -> bytes:
    response = login(user).get(reverse("reporting:rollup_pdf", args=[period.pk, unit.code]))
    assert response.status_code == 200
    return response.content


def test_submitted_report_is_signed_by_its_unit_and_served_as_stored(tree, period, login, give_credential, test_pki):  # noqa: F811
    give_credential(tree.gialam, tree.admin)
    report = file(period, tree.gialam, tree.gialam_officer)
    record = SignedFile.objects.get(subject_key=f"reporting.report:{report.pk}")
    assert (record.kind, record.number_symbol, record.issuer_unit) == (SignedFileKind.REPORT, "01/BC-LĐLĐ", tree.gialam)
    data = _pdf(login, tree.gialam_head, period, tree.gialam)
    assert data == record.file.read()
    (signature,) = pdf_signatures(data)
    status = validate_pdf_signature(signature, validation_context(test_pki))
    assert (signature.field_name, status.bottom_line) == (ORGANISATION_FIELD, True)
    text = _text(data)
    assert "Số: 01/BC-LĐLĐ" in text
    assert record.verification_code in text


def test_report_of_a_unit_without_credential_is_stored_unsigned(tree, period, login):
    report = file(period, tree.gialam, tree.gialam_officer)
    record = SignedFile.objects.get(subject_key=f"reporting.report:{report.pk}")
    assert record.signatures == []
    data = _pdf(login, tree.gialam_head, period, tree.gialam)
    assert data == record.file.read()
    assert pdf_signatures(data) == []


def test_returned_report_serves_a_fresh_rendering_and_its_resubmission_supersedes(tree, period, login):
    report = file(period, tree.gl1, tree.gl1_officer)
    first = SignedFile.objects.get(subject_key=f"reporting.report:{report.pk}")
    services.report_return(report=report, by=tree.gialam_head, comment="Bổ sung số liệu")
    assert _pdf(login, tree.gialam_head, period, tree.gl1) != first.file.read()  # the draft being corrected
    file(period, tree.gl1, tree.gl1_officer, meeting_sessions=3)
    files = list(SignedFile.objects.filter(subject_key=f"reporting.report:{report.pk}").order_by("pk"))
    assert len(files) == 2
    first.refresh_from_db()
    assert first.superseded_by == files[1]
    assert files[1].number_symbol == first.number_symbol  # the same report sent again keeps its number
    assert _pdf(login, tree.gialam_head, period, tree.gl1) == files[1].file.read()


def test_double_submit_stores_one_file(tree, period):
    report = file(period, tree.gialam, tree.gialam_officer)
    services.report_submit(report=report, by=tree.gialam_officer)
    assert SignedFile.objects.filter(subject_key=f"reporting.report:{report.pk}").count() == 1


def test_submit_request_with_signing_keeps_bounded_queries(
    tree,
    period,
    login,
    give_credential,  # noqa: F811
    django_assert_max_num_queries,
):
    # Signing at submission renders the unit's rollup (bounded selectors) and stores one file: the submit
    # request's queries do not grow with the children's reports the rollup sums.
    from .conftest import post_data

    give_credential(tree.gialam, tree.admin)
    for child in (tree.gl1, tree.gl2):
        file(period, child, tree.gl1_officer if child == tree.gl1 else tree.gl2_officer)
    client = login(tree.gialam_officer)
    url = reverse("reporting:file_report", args=[period.pk, tree.gialam.code])
    # 74 measured (saving, checking, numbering, the rollup, the credential, the signed file); room for small changes.
    with django_assert_max_num_queries(80):
        response = client.post(url, post_data(action="submit"))
    assert response.status_code == 302
