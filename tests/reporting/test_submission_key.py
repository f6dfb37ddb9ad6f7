"""The server takes each filing POST once, by the key the browser made for it (reporting.models.ReportSubmission):
a submission queued offline and sent again, or a double click, changes nothing the second time."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from reporting import services
from reporting.enums import ReportStatus
from reporting.models import Report, ReportSubmission, Value

from .conftest import VALID, clock, post_data

KEY = uuid.UUID("5f0e8a52-3d4b-4c1e-9a65-0c2f7e1d9b11")


def _file_url(period, unit):
    return reverse("reporting:file_report", args=[period.pk, unit.code])


def _meeting_sessions(unit):
    return Value.objects.get(report__unit=unit, indicator__code="meeting_sessions").number


def test_report_save_with_a_taken_key_changes_nothing(tree, period):
    first = services.report_save(
        period=period, unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer, submission_key=KEY
    )
    again = services.report_save(
        period=period,
        unit=tree.gl1,
        values={**VALID, "meeting_sessions": 9},
        expected_version=0,  # the version the queued page had: without the key this would be refused as stale
        by=tree.gl1_officer,
        submission_key=KEY,
    )
    assert again.pk == first.pk
    assert Report.objects.get(pk=first.pk).version == first.version
    assert first.history.count() == 1  # the one saved draft, which made the report
    assert _meeting_sessions(tree.gl1) == 2
    assert list(ReportSubmission.objects.values_list("key", "report_id", "by_id")) == [
        (KEY, first.pk, tree.gl1_officer.pk)
    ]


def test_report_save_refuses_a_key_taken_for_another_report(tree, period):
    services.report_save(
        period=period, unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer, submission_key=KEY
    )
    with pytest.raises(PortalError) as refused:
        services.report_save(
            period=period, unit=tree.gl2, values=VALID, expected_version=0, by=tree.gl2_officer, submission_key=KEY
        )
    assert refused.value.message == "Mã lượt gửi này đã dùng cho một báo cáo khác."
    assert Report.objects.filter(unit=tree.gl2).count() == 0


def test_refused_save_takes_no_key(tree, period):
    with pytest.raises(PortalError):
        services.report_save(
            period=period,
            unit=tree.gl1,
            values={**VALID, "meeting_sessions": -1},
            expected_version=0,
            by=tree.gl1_officer,
            submission_key=KEY,
        )
    assert ReportSubmission.objects.count() == 0


def test_same_key_posted_twice_saves_once(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    data = {**post_data(media_reached="1.000", coverage_percent="85,5"), "submission_key": str(KEY)}
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    second = client.post(url, data, HTTP_HX_REQUEST="true")
    for response in (first, second):
        assert (response.status_code, response["HX-Redirect"], response["X-Filing-Accepted"]) == (204, url, "1")
    report = Report.objects.get(unit=tree.gl1)
    assert (report.status, report.version) == (ReportStatus.DRAFT, 1)
    assert report.history.count() == 1
    assert Value.objects.get(report=report, indicator__code="media_reached").number == Decimal(1000)
    assert Value.objects.get(report=report, indicator__code="coverage_percent").number == Decimal("85.5")
    assert ReportSubmission.objects.count() == 1


def test_same_key_submitted_twice_submits_once(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    data = {**post_data(action="submit"), "submission_key": str(KEY)}
    first = client.post(url, data)
    report = Report.objects.get(unit=tree.gl1)
    detail = reverse("reporting:report_detail", args=[report.pk])
    assert (first.status_code, first["Location"], first["X-Filing-Accepted"]) == (302, detail, "1")
    history = report.history.count()
    second = client.post(url, {**data, "v_meeting_sessions": "7"})
    assert (second.status_code, second["Location"], second["X-Filing-Accepted"]) == (302, detail, "1")
    report.refresh_from_db()
    assert (report.status, report.history.count(), report.reviews.count()) == (ReportStatus.SUBMITTED, history, 1)
    assert _meeting_sessions(tree.gl1) == 2


def test_queued_submission_after_the_lock_gets_a_clear_message(tree, period, login):
    url = _file_url(period, tree.gl1)
    with clock(period.locks_on + dt.timedelta(days=1)):
        response = login(tree.gl1_officer).post(
            url, {**post_data(), "submission_key": str(KEY)}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert "X-Filing-Accepted" not in response
    body = response.content.decode()
    assert "Kỳ báo cáo đã khóa (quá hạn nộp" in body
    assert (Report.objects.count(), ReportSubmission.objects.count()) == (0, 0)


def test_queued_save_after_approval_is_not_taken(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    client.post(url, post_data())
    report = services.report_submit(report=Report.objects.get(unit=tree.gl1), by=tree.gl1_officer)
    services.report_approve(report=report, by=tree.gialam_head)
    response = client.post(url, {**post_data(version=1, meeting_sessions=9), "submission_key": str(KEY)})
    assert (response.status_code, response["Location"]) == (302, reverse("reporting:report_detail", args=[report.pk]))
    assert "X-Filing-Accepted" not in response  # the browser keeps what was typed
    assert _meeting_sessions(tree.gl1) == 2
    assert ReportSubmission.objects.count() == 0


def test_filing_page_gives_a_fresh_key_and_the_draft_slot(tree, period, login):
    response = login(tree.gl1_officer).get(_file_url(period, tree.gl1))
    body = response.content.decode()
    version = period.cycle.form_version_id
    assert f'data-filing-draft="{tree.gl1_officer.pk}:{period.pk}:{tree.gl1.code}:{version}"' in body
    assert f'<input type="hidden" name="submission_key" value="{response.context["submission_key"]}">' in body
    assert isinstance(response.context["submission_key"], uuid.UUID)
