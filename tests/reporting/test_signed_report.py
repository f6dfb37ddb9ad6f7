"""A report sent up is numbered at submission, then signed by the submitting unit and stored by a worker once the
submission commits; its PDF link then serves the stored file, and a report returned and submitted again gets a new
file that supersedes the old one. A signing task that was lost is caught up by beat's sweep."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from pyhanko.sign.validation import validate_pdf_signature

from notifications.tasks import sweep
from reporting import services, tasks
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

from .conftest import file as file_unsigned

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(django_capture_on_commit_callbacks):
    """Files a report and runs what its commit queues: the signing task (eager in tests)."""

    def _file(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return file_unsigned(*args, **kwargs)

    return _file


def _text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _pdf(login, user, period, unit) -> bytes:
    response = login(user).get(reverse("reporting:rollup_pdf", args=[period.pk, unit.code]))
    assert response.status_code == 200
    return response.content


def test_submitted_report_is_signed_by_its_unit_and_served_as_stored(
    tree,
    period,
    login,
    file,
    give_credential,  # noqa: F811
    test_pki,  # noqa: F811
):
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


def test_report_of_a_unit_without_credential_is_stored_unsigned(tree, period, login, file):
    report = file(period, tree.gialam, tree.gialam_officer)
    record = SignedFile.objects.get(subject_key=f"reporting.report:{report.pk}")
    assert record.signatures == []
    data = _pdf(login, tree.gialam_head, period, tree.gialam)
    assert data == record.file.read()
    assert pdf_signatures(data) == []


def test_returned_report_serves_a_fresh_rendering_and_its_resubmission_supersedes(tree, period, login, file):
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


def test_double_submit_and_a_task_delivered_twice_store_one_file(tree, period, file):
    report = file(period, tree.gialam, tree.gialam_officer)
    services.report_submit(report=report, by=tree.gialam_officer)
    tasks.report_sign(report_id=report.pk)
    assert SignedFile.objects.filter(subject_key=f"reporting.report:{report.pk}").count() == 1


def test_submission_answers_before_signing_and_the_link_renders_it_numbered_meanwhile(tree, period, login):
    file_unsigned(period, tree.gialam, tree.gialam_officer)  # the commit's task not run yet
    assert not SignedFile.objects.exists()
    text = _text(_pdf(login, tree.gialam_head, period, tree.gialam))
    assert "Số: 01/BC-LĐLĐ" in text


def test_report_returned_before_its_task_runs_is_not_signed(tree, period):
    report = file_unsigned(period, tree.gl1, tree.gl1_officer)
    services.report_return(report=report, by=tree.gialam_head, comment="Bổ sung số liệu")
    tasks.report_sign(report_id=report.pk)
    assert not SignedFile.objects.filter(subject_key=f"reporting.report:{report.pk}").exists()


def test_sweep_signs_a_submission_whose_task_was_lost_and_leaves_fresh_ones_to_their_task(
    tree, period, django_capture_on_commit_callbacks
):
    lost = services.report_submit(
        report=file_unsigned(period, tree.gl1, tree.gl1_officer, submit=False),
        by=tree.gl1_officer,
        now=timezone.now() - dt.timedelta(minutes=30),
    )
    fresh = file_unsigned(period, tree.gl2, tree.gl2_officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep()["caught_up"] == 1
    assert SignedFile.objects.filter(subject_key=f"reporting.report:{lost.pk}").count() == 1
    assert not SignedFile.objects.filter(subject_key=f"reporting.report:{fresh.pk}").exists()
    assert sweep()["caught_up"] == 0  # signed once


def test_submit_request_and_its_signing_keep_bounded_queries(
    tree,
    period,
    login,
    file,
    give_credential,  # noqa: F811
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    # The request saves, checks and numbers; the signing task renders the unit's rollup (bounded selectors) and
    # stores one file. Neither grows with the children's reports the rollup sums.
    from .conftest import post_data

    give_credential(tree.gialam, tree.admin)
    for child in (tree.gl1, tree.gl2):
        file(period, child, tree.gl1_officer if child == tree.gl1 else tree.gl2_officer)
    client = login(tree.gialam_officer)
    url = reverse("reporting:file_report", args=[period.pk, tree.gialam.code])
    # 59 and 28 measured (10 of the 59 recount the report's summary nodes, once made and once submitted); room for
    # small changes.
    with django_capture_on_commit_callbacks() as queued, django_assert_max_num_queries(62):
        response = client.post(url, post_data(action="submit"))
    assert response.status_code == 302
    with django_assert_max_num_queries(32):
        for callback in queued:
            callback()
    assert SignedFile.objects.filter(issuer_unit=tree.gialam, kind=SignedFileKind.REPORT).count() == 1
