import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.enums import Role
from reporting import services
from reporting.enums import ReportStatus
from reporting.models import Evidence, Report, ReportingCycle, Value
from tests.factories import make_unit, member

from .conftest import file, open_cycle, post_data

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _file_url(period, unit):
    return reverse("reporting:file_report", args=[period.pk, unit.code])


def test_todo_lists_what_the_officer_must_file(tree, period, login):
    response = login(tree.gl1_officer).get(reverse("reporting:todo"))
    assert response.status_code == 200
    items = response.context["items"]
    assert [(i.unit.code, i.report) for i in items] == [("HN-LDLD-GIALAM-0001", None)]
    assert _file_url(period, tree.gl1) in response.content.decode()


def test_filing_page_is_only_for_the_units_officer(tree, period, login, client):
    url = _file_url(period, tree.gl1)
    for user in (tree.gl2_officer, tree.da1_officer, tree.outsider, tree.gialam_head, tree.city_head):
        client.logout()
        assert login(user).get(url).status_code == 404, user.email
        assert login(user).post(url, post_data()).status_code == 404
    client.logout()
    response = login(tree.gl1_officer).get(url)
    assert response.status_code == 200
    assert "Số buổi hội nghị, hội họp có lồng ghép tuyên truyền" in response.content.decode()
    assert Report.objects.count() == 0  # a GET creates nothing


def test_save_draft_then_submit(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    response = client.post(url, post_data(meeting_sessions=4))
    assert response.status_code == 302
    report = Report.objects.get(unit=tree.gl1)
    assert report.status == ReportStatus.DRAFT
    assert Value.objects.get(report=report, indicator__code="meeting_sessions").number == 4
    response = client.post(url, post_data(version=report.version, action="submit", meeting_sessions=4))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_double_submit_creates_one_report(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    first = client.post(url, post_data(action="submit"))
    second = client.post(url, post_data(action="submit"))
    assert (first.status_code, second.status_code) == (302, 302)
    assert Report.objects.filter(unit=tree.gl1).count() == 1
    assert Report.objects.get(unit=tree.gl1).status == ReportStatus.SUBMITTED


def test_errors_keep_typed_values(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    response = client.post(url, post_data(action="submit", meeting_sessions="abc", results_text="Nội dung đã gõ"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="abc"' in body
    assert "Nội dung đã gõ" in body
    response = client.post(url, post_data(action="submit", feedback_received=2, feedback_answered=5,
                                          results_text="Giữ nguyên"))
    body = response.content.decode()
    assert "Số ý kiến đã trả lời không được lớn hơn số ý kiến đã tiếp nhận." in body
    assert 'value="5"' in body
    assert Report.objects.filter(unit=tree.gl1).count() == 0


def test_unusual_value_asks_for_confirmation(tree, period, form_version, login):
    earlier = open_cycle(form_version, tree, starts=-80, ends=-10, name="Kỳ trước")
    file(earlier.periods.get(), tree.gl1, tree.gl1_officer, meeting_reached=40)
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    page = client.get(url)
    assert page.context["previous"].period.cycle == earlier  # last period's figures beside the fields
    response = client.post(url, post_data(action="submit", meeting_reached=5000))
    assert response.status_code == 200
    assert "cao bất thường" in response.content.decode()
    assert 'name="confirm_unusual"' in response.content.decode()
    assert not Report.objects.filter(period=period).exists()
    response = client.post(url, {**post_data(action="submit", meeting_reached=5000), "confirm_unusual": "on"})
    assert response.status_code == 302
    assert Report.objects.get(period=period, unit=tree.gl1).status == ReportStatus.SUBMITTED


def test_stale_form_gets_a_clear_message_and_keeps_input(tree, period, login):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    stale_version = report.version
    services.report_save(period=period, unit=tree.gl1, values={"meeting_sessions": 8, "meeting_reached": 80},
                         expected_version=stale_version, by=tree.gialam_officer)
    response = login(tree.gl1_officer).post(_file_url(period, tree.gl1),
                                            post_data(version=stale_version, meeting_sessions=3))
    assert response.status_code == 200
    body = response.content.decode()
    assert "vừa được người khác lưu trước bạn" in body
    assert 'value="3"' in body
    assert Value.objects.get(report=report, indicator__code="meeting_sessions").number == 8


def test_htmx_post_returns_fragment_or_redirect_header(tree, period, login):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    response = client.post(url, post_data(meeting_sessions="x"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="filing-form">')
    response = client.post(url, post_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == url


def test_locked_report_refuses_edits_via_the_page(tree, period, login):
    report = file(period, tree.gl1, tree.gl1_officer)
    services.report_approve(report=report, by=tree.gialam_head)
    response = login(tree.gl1_officer).post(_file_url(period, tree.gl1), post_data(version=report.version + 1,
                                                                                   meeting_sessions=99))
    assert response.status_code == 302
    assert Value.objects.get(report=report, indicator__code="meeting_sessions").number == 2


def test_report_detail_visibility(tree, period, login, client):
    report = file(period, tree.gl1, tree.gl1_officer)
    url = reverse("reporting:report_detail", args=[report.pk])
    for user in (tree.gl2_officer, tree.donganh_head, tree.da1_officer, tree.outsider):
        client.logout()
        assert login(user).get(url).status_code == 404, user.email
    for user in (tree.gl1_officer, tree.gialam_head, tree.city_head, tree.admin):
        client.logout()
        assert login(user).get(url).status_code == 200, user.email


def test_review_post_approve_and_return(tree, period, login, client):
    report = file(period, tree.gl1, tree.gl1_officer)
    url = reverse("reporting:report_review", args=[report.pk])
    assert login(tree.donganh_head).post(url, {"action": "approve"}).status_code == 404
    client.logout()
    response = login(tree.gl1_officer).post(url, {"action": "approve"})  # can see, may not approve
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    client.logout()
    client = login(tree.gialam_head)
    page = client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert page.context["can_approve"] is True
    client.post(url, {"action": "return", "comment": "Bổ sung ảnh"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    file(period, tree.gl1, tree.gl1_officer)
    client.post(url, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def _grow(tree, period, n):
    for _ in range(n):
        unit = make_unit(tree.gialam)
        file(period, unit, member(unit, Role.OFFICER))


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_review_queue_bounded_queries(tree, period, login, django_assert_max_num_queries):
    file(period, tree.gl1, tree.gl1_officer)
    client = login(tree.gialam_head)
    url = reverse("reporting:review_queue")
    response = client.get(url)
    assert [r.unit.code for r in response.context["reports"]] == ["HN-LDLD-GIALAM-0001"]
    small = _queries(client, url)
    _grow(tree, period, 8)
    assert _queries(client, url) == small
    with django_assert_max_num_queries(12):
        client.get(url)


def test_dashboard_and_rollup_pages_bounded_queries(tree, period, login, django_assert_max_num_queries):
    file(period, tree.gl1, tree.gl1_officer)
    client = login(tree.city_head)
    dashboard = reverse("reporting:dashboard", args=[period.cycle_id, tree.federation.code])
    rollup = reverse("reporting:rollup", args=[period.pk, tree.federation.code])
    small = (_queries(client, dashboard), _queries(client, rollup))
    _grow(tree, period, 8)
    assert (_queries(client, dashboard), _queries(client, rollup)) == small
    with django_assert_max_num_queries(18):
        response = client.get(dashboard)
    assert "<svg" in response.content.decode()
    assert "<script" not in response.context["chart"]
    with django_assert_max_num_queries(17):  # 16, plus the unit's lineage on the period's date
        client.get(rollup)


def test_dashboard_rollup_export_denied_outside_subtree(tree, period, login, client):
    urls = [
        reverse("reporting:dashboard", args=[period.cycle_id, tree.gialam.code]),
        reverse("reporting:rollup", args=[period.pk, tree.gialam.code]),
        reverse("reporting:export_xlsx", args=[period.cycle_id, tree.gialam.code]),
    ]
    for user in (tree.da1_officer, tree.donganh_head, tree.outsider):
        client.logout()
        for url in urls:
            assert login(user).get(url).status_code == 404, (user.email, url)
    client.logout()
    for url in urls:
        assert login(tree.gialam_head).get(url).status_code == 200


def test_xlsx_export_has_rows_columns_and_level_totals(tree, period, login):
    file(period, tree.gl1, tree.gl1_officer, meeting_sessions=2)
    file(period, tree.gl2, tree.gl2_officer, meeting_sessions=3)
    file(period, tree.gialam, tree.gialam_officer, meeting_sessions=1)
    response = login(tree.city_head).get(reverse("reporting:export_xlsx", args=[period.cycle_id, "HN-LDLD"]))
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    col = header.index("Số buổi hội nghị, hội họp có lồng ghép tuyên truyền (buổi)")
    by_code = {}
    for row in rows[1:]:
        by_code.setdefault(row[0], []).append(row)
    assert by_code["HN-LDLD-GIALAM-0001"][0][col] == 2
    gialam_own, gialam_total = by_code["HN-LDLD-GIALAM"]
    assert (gialam_own[col], gialam_total[col]) == (1, 6)
    assert by_code["HN-LDLD"][1][col] == 6  # the city's total: filed reports of the whole tree
    assert len(rows) == 1 + 7 + 3  # header, seven units, totals for the city and two districts


def test_print_pages(tree, period, login):
    report = file(period, tree.gl1, tree.gl1_officer)
    client = login(tree.gl1_officer)
    assert client.get(reverse("reporting:report_print", args=[report.pk])).status_code == 200
    blank = client.get(reverse("reporting:blank_print", args=[period.cycle_id]))
    assert blank.status_code == 200
    assert "Số buổi hội nghị" in blank.content.decode()


def test_cycle_open_form_only_for_portal_admins(tree, form_version, login, client):
    url = reverse("reporting:cycle_open")
    assert login(tree.city_head).get(url).status_code == 404
    client.logout()
    client = login(tree.admin)
    data = {"name": "Báo cáo quý 2027", "form_version": form_version.pk, "period_type": "quarter",
            "scheme": "cutoff14", "year": 2027, "due_working_days": 2, "grace_days": 10,
            "scope_kinds": ["grassroots_union"], "scope_root_code": "hn-ldld"}
    response = client.post(url, data)
    assert response.status_code == 302
    cycle = ReportingCycle.objects.get(name="Báo cáo quý 2027")
    assert cycle.scope_root == tree.federation
    assert [p.label for p in cycle.periods.all()] == ["Quý 1/2027", "Quý 2/2027", "Quý 3/2027", "Quý 4/2027"]
    response = client.post(url, {**data, "scope_kinds": [], "scope_root_code": "", "name": "Thiếu phạm vi"})
    assert response.status_code == 200
    assert "Hãy chọn loại đơn vị" in response.content.decode()


def test_evidence_upload_and_permission_checked_download(tree, period, login, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    file(period, tree.gl1, tree.gl1_officer, submit=False)
    report = Report.objects.get(unit=tree.gl1)
    upload = reverse("reporting:evidence_upload", args=[report.pk])
    assert login(tree.gl2_officer).post(upload, {"file": SimpleUploadedFile("a.png", PNG)}).status_code == 404
    client.logout()
    client = login(tree.gl1_officer)
    client.post(upload, {"file": SimpleUploadedFile("biên bản.png", PNG), "description": "Ảnh"})
    evidence = Evidence.objects.get(report=report)
    url = reverse("reporting:evidence_download", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG
    client.logout()
    assert login(tree.da1_officer).get(url).status_code == 404
    client.logout()
    assert login(tree.gialam_head).get(url).status_code == 200


def test_home_panel_and_nav(tree, period, login):
    response = login(tree.gl1_officer).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("reporting:todo") in body
    assert _file_url(period, tree.gl1) in body


@pytest.mark.parametrize("value", ["-1", "101"])
def test_percent_out_of_bounds_is_a_field_error(tree, period, login, value):
    response = login(tree.gl1_officer).post(_file_url(period, tree.gl1), post_data(coverage_percent=value))
    assert response.status_code == 200
    assert response.context["form"].errors["v_coverage_percent"]
    assert Decimal(value)  # typed value echoed back
    assert f'value="{value}"' in response.content.decode()


def test_rollup_pdf_is_an_official_bao_cao(tree, filed_for_pdf, login):
    import pypdf

    period = filed_for_pdf
    response = login(tree.gialam_head).get(reverse("reporting:rollup_pdf", args=[period.pk, tree.gialam.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
                    .split())
    assert "BÁO CÁO" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Công đoàn cơ sở Trường THCS Dương Xá" in text  # missing child listed
    assert "Số buổi hội nghị, hội họp có lồng ghép tuyên truyền" in text


@pytest.fixture
def filed_for_pdf(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, meeting_sessions=2)
    services.report_approve(report=report, by=tree.gialam_head)
    file(period, tree.gialam, tree.gialam_officer, meeting_sessions=1)
    return period
