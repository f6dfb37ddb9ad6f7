import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign_portal.numbers import format_number
from organizations.enums import Role
from organizations.models import ExportJob
from reporting import services
from reporting.enums import ReportStatus
from reporting.models import Evidence, Report, ReportingCycle, Value
from tests.factories import make_unit, member
from tests.upload_samples import png_bytes

from .conftest import file, open_cycle, post_data

PNG = png_bytes()


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
    response = client.post(
        url, post_data(action="submit", feedback_received=2, feedback_answered=5, results_text="Giữ nguyên")
    )
    body = response.content.decode()
    assert "Số ý kiến đã trả lời không được lớn hơn số ý kiến đã tiếp nhận." in body
    assert 'value="5"' in body
    assert Report.objects.filter(unit=tree.gl1).count() == 0


def test_unusual_values_are_warnings_confirmed_beside_each_field(tree, quarters, login):
    third, fourth = quarters
    previous = file(third, tree.gl1, tree.gl1_officer, meeting_reached=40, media_reached=10)
    client = login(tree.gl1_officer)
    url = _file_url(fourth, tree.gl1)
    assert client.get(url).context["previous"] == previous  # its figures beside the fields
    unusual = {"meeting_reached": "5.000", "media_reached": "900"}
    response = client.post(url, post_data(action="submit", coverage_percent="101", **unusual))
    assert response.status_code == 200
    body = response.content.decode()
    # Both warnings, each with its own confirmation, shown with the error of the same round.
    assert [(p.field_id, p.is_warning) for p in response.context["problems"]] == [
        ("id_u_media_reached", True),
        ("id_u_meeting_reached", True),
        ("id_v_coverage_percent", False),
    ]
    assert 'id="warn_v_meeting_reached"' in body and 'id="warn_v_media_reached"' in body
    assert body.count("Cảnh báo:</strong>") == 2
    assert "Số liệu 5.000 cao bất thường so với kỳ trước (40)" in body
    assert 'type="checkbox" name="u_meeting_reached"' in body and 'type="checkbox" name="u_media_reached"' in body
    assert 'name="confirm_unusual"' not in body
    # One confirmed, the range error fixed: the other warning is shown again and nothing is filed.
    response = client.post(url, {**post_data(action="submit", **unusual), "u_meeting_reached": "on"})
    assert response.status_code == 200
    assert [p.field_id for p in response.context["problems"]] == ["id_u_media_reached"]
    assert 'name="u_meeting_reached" id="id_u_meeting_reached" checked' in response.content.decode()
    assert not Report.objects.filter(period=fourth).exists()
    response = client.post(
        url, {**post_data(action="submit", **unusual), "u_meeting_reached": "on", "u_media_reached": "on"}
    )
    assert response.status_code == 302
    report = Report.objects.get(period=fourth, unit=tree.gl1)
    assert report.status == ReportStatus.SUBMITTED
    confirmed = {
        v.indicator.code: (v.number, v.unusual_reference)
        for v in Value.objects.filter(report=report, unusual_confirmed=True).select_related("indicator")
    }
    assert confirmed == {"meeting_reached": (5000, 40), "media_reached": (900, 10)}
    submit = report.reviews.get(action="submit")
    assert submit.comment == (
        "Đã xác nhận số liệu bất thường: Số lượt đoàn viên, CNVCLĐ được tiếp cận qua phương "
        "tiện thông tin đại chúng: 900 (kỳ trước: 10); Số lượt đoàn viên, CNVCLĐ tham dự: "
        "5.000 (kỳ trước: 40)."
    )


def test_head_sees_previous_figures_and_confirmed_warnings(tree, quarters, login):
    third, fourth = quarters
    file(third, tree.gl1, tree.gl1_officer, meeting_reached=40, media_reached=1200)
    client = login(tree.gl1_officer)
    client.post(
        _file_url(fourth, tree.gl1),
        {**post_data(action="submit", meeting_reached="5.000", media_reached="1.500"), "u_meeting_reached": "on"},
    )
    report = Report.objects.get(period=fourth, unit=tree.gl1)
    client.logout()
    response = login(tree.gialam_head).get(reverse("reporting:report_detail", args=[report.pk]))
    assert response.context["can_approve"] is True
    rows = {
        indicator.code: (value, prev)
        for _section, items in response.context["sections"]
        for indicator, value, prev in items
    }
    assert (rows["meeting_reached"][0].number, rows["meeting_reached"][1].number) == (5000, 40)
    assert rows["meeting_reached"][0].unusual_confirmed is True
    assert rows["media_reached"][0].unusual_confirmed is False  # 1.500 against 1.200 is not unusual
    body = " ".join(response.content.decode().split())
    assert f"Kỳ trước ({third.label})" in body
    assert (
        '<td class="text-end">5.000<br><span class="badge text-bg-warning"><span aria-hidden="true">⚠</span> '
        'Cảnh báo đã được đơn vị xác nhận</span></td> <td class="text-end text-muted">40</td>'
    ) in body
    assert "Đã xác nhận số liệu bất thường: Số lượt đoàn viên, CNVCLĐ tham dự: 5.000 (kỳ trước: 40)." in body


def test_previous_period_is_the_last_filed_one_of_the_same_cycle(tree, form_version, quarters, login):
    third, fourth = quarters
    # Another cycle of the same form, more recent and with small figures, must not be the reference.
    other = open_cycle(form_version, tree, starts=-80, ends=-10, name="Đợt khác")
    file(other.periods.get(), tree.gl1, tree.gl1_officer, meeting_reached=40)
    client = login(tree.gl1_officer)
    url = _file_url(fourth, tree.gl1)
    file(third, tree.gl1, tree.gl1_officer, submit=False, meeting_reached=2000)
    assert client.get(url).context["previous"] is None  # a draft is not a filed period
    services.report_submit(report=Report.objects.get(period=third, unit=tree.gl1), by=tree.gl1_officer)
    page = client.get(url)
    assert page.context["previous"].period == third
    assert "Số liệu kỳ trước (Quý 3/" in page.content.decode()
    response = client.post(url, post_data(action="submit", meeting_reached="5.000"))
    assert response.status_code == 302  # 5.000 after 2.000 is not unusual (after 40 it would be)
    assert Value.objects.get(report__period=fourth, indicator__code="meeting_reached").unusual_confirmed is False


def test_stale_form_gets_a_clear_message_and_keeps_input(tree, period, login):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    stale_version = report.version
    services.report_save(
        period=period,
        unit=tree.gl1,
        values={"meeting_sessions": 8, "meeting_reached": 80},
        expected_version=stale_version,
        by=tree.gialam_officer,
    )
    response = login(tree.gl1_officer).post(
        _file_url(period, tree.gl1), post_data(version=stale_version, meeting_sessions=3)
    )
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
    response = login(tree.gl1_officer).post(
        _file_url(period, tree.gl1), post_data(version=report.version + 1, meeting_sessions=99)
    )
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
    # One period: no lone-dot chart, its rates as a table (the trend is drawn from two periods on).
    assert response.context["chart"] == ""
    assert 'id="one-period-rates"' in response.content.decode()
    with django_assert_max_num_queries(17):  # 16, plus the unit's lineage on the period's date
        client.get(rollup)


def test_dashboard_rollup_export_denied_outside_subtree(tree, period, login, client):
    urls = [
        reverse("reporting:dashboard", args=[period.cycle_id, tree.gialam.code]),
        reverse("reporting:rollup", args=[period.pk, tree.gialam.code]),
    ]
    export = reverse("reporting:export_xlsx", args=[period.cycle_id, tree.gialam.code])
    for user in (tree.da1_officer, tree.donganh_head, tree.outsider):
        client.logout()
        for url in urls:
            assert login(user).get(url).status_code == 404, (user.email, url)
        assert login(user).post(export).status_code == 404, user.email
    assert ExportJob.objects.count() == 0
    client.logout()
    for url in urls:
        assert login(tree.gialam_head).get(url).status_code == 200
    assert login(tree.gialam_head).post(export).status_code == 302
    assert ExportJob.objects.get().requested_by == tree.gialam_head


def test_xlsx_export_has_rows_columns_and_level_totals(tree, period, login, export_file):
    file(period, tree.gl1, tree.gl1_officer, meeting_sessions=2)
    file(period, tree.gl2, tree.gl2_officer, meeting_sessions=3)
    file(period, tree.gialam, tree.gialam_officer, meeting_sessions=1)
    response = export_file(login(tree.city_head), reverse("reporting:export_xlsx", args=[period.cycle_id, "HN-LDLD"]))
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
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
    data = {
        "name": "Báo cáo quý 2027",
        "form_version": form_version.pk,
        "period_type": "quarter",
        "scheme": "cutoff14",
        "year": 2027,
        "due_working_days": 2,
        "grace_days": 10,
        "scope_kinds": ["grassroots_union"],
        "scope_root_code": "hn-ldld",
    }
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
    with evidence.file.open("rb") as stored:  # the re-encoded image, served as stored
        assert b"".join(response.streaming_content) == stored.read()
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
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages).split()
    )
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


# ---------------------------------------------------------------- numbers as officers type them
# (indicator, typed, stored number or None when refused, message when refused)
TYPED = [
    ("coverage_percent", "85,5", Decimal("85.5"), None),
    ("coverage_percent", "85,5%", Decimal("85.5"), None),
    ("media_reached", "1.000", Decimal(1000), None),
    ("media_reached", "1 000", Decimal(1000), None),
    ("media_reached", "1.234.567", Decimal(1234567), None),
    ("coverage_percent", "85.5", None, "“85.5” có thể hiểu theo hai cách"),
    ("media_reached", "1,000", None, "“1,000” có thể hiểu theo hai cách"),
    ("coverage_percent", "101", None, "Tối đa 100."),
    ("coverage_percent", "-1", None, "Tối thiểu 0."),
    ("coverage_percent", "85,5555", None, "Tối đa 2 chữ số sau dấu thập phân."),
    ("media_reached", "12,5", None, "Chỉ nhập số nguyên."),
    ("media_reached", "mười", None, "“mười” không phải là số."),
    ("media_reached", "123456789012345678901", None, "Số quá lớn: tối đa 16 chữ số trước dấu thập phân."),
    ("media_reached", "10.000.000.000.000.000", None, "Số quá lớn: tối đa 16 chữ số trước dấu thập phân."),
    # SQLite keeps 15 significant digits (Django reads its decimals through a float): PostgreSQL all 16.
    ("media_reached", "999.999.999.999.999", Decimal("999999999999999"), None),
]


@pytest.mark.parametrize(("code", "typed", "stored", "message"), TYPED)
def test_numbers_typed_the_vietnamese_way_through_the_filing_page(tree, period, login, code, typed, stored, message):
    client = login(tree.gl1_officer)
    url = _file_url(period, tree.gl1)
    response = client.post(url, post_data(**{code: typed}))
    if message is None:
        assert response.status_code == 302
        number = Value.objects.get(report__unit=tree.gl1, indicator__code=code).number
        assert number == stored
        shown = client.get(url).content.decode()  # shown back the way it is typed
        assert f'name="v_{code}" id="id_v_{code}" value="{format_number(stored)}"' in shown
        return
    assert response.status_code == 200
    errors = response.context["form"].errors[f"v_{code}"]
    assert len(errors) == 1 and errors[0].startswith(message), errors
    body = response.content.decode()
    assert f'name="v_{code}" id="id_v_{code}" value="{typed}"' in body  # the text as typed, to correct it
    assert not Report.objects.filter(unit=tree.gl1).exists()  # nothing stored


def test_filing_page_shows_text_inputs_with_bounds(tree, period, login):
    body = login(tree.gl1_officer).get(_file_url(period, tree.gl1)).content.decode()
    assert 'type="number"' not in body
    assert (
        '<input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" class="form-control" '
        'name="v_coverage_percent"'
    ) in body
    assert 'aria-describedby="bounds_v_coverage_percent"' in body
    assert (
        '<div class="form-text" id="bounds_v_coverage_percent">Số, tối đa 2 chữ số sau dấu thập phân từ 0 đến 100</div>'
    ) in body
    assert '<div class="form-text" id="bounds_v_media_reached">Số nguyên, tối thiểu 0</div>' in body
    assert '<input type="text" inputmode="numeric"' in body


def test_all_problems_in_one_round_with_a_linked_summary(tree, period, login):
    client = login(tree.gl1_officer)
    data = post_data(
        action="submit",
        meeting_sessions="ba",
        documents_disseminated="",
        coverage_percent="101",
        feedback_received=2,
        feedback_answered=5,
        results_text="",
    )
    response = client.post(_file_url(period, tree.gl1), {**data, "v_has_plan": ""})
    assert response.status_code == 200
    problems = [(p.field_id, p.message) for p in response.context["problems"]]
    assert problems == [
        ("id_v_meeting_sessions", "“ba” không phải là số. Ví dụ: 1.000 (một nghìn), 85,5 (tám mươi lăm phẩy năm)."),
        ("id_v_documents_disseminated", "Chỉ tiêu bắt buộc: hãy nhập số liệu."),
        ("id_v_feedback_answered", "Số ý kiến đã trả lời không được lớn hơn số ý kiến đã tiếp nhận."),
        ("id_v_coverage_percent", "Tối đa 100."),
        ("id_v_has_plan", "Chỉ tiêu bắt buộc: hãy nhập số liệu."),
        ("id_v_results_text", "Chỉ tiêu bắt buộc: hãy nhập số liệu."),
    ]
    body = response.content.decode()
    summary = body[body.index('<div class="alert alert-danger" role="alert" id="problems">') :]
    summary = summary[: summary.index("</div>")]
    assert '<h2 class="h6" id="problems-h" tabindex="-1" autofocus>Có 6 vấn đề cần xử lý</h2>' in summary
    for field_id, _message in problems:
        assert f'<a class="alert-link" href="#{field_id}">' in summary
        assert f'id="{field_id}"' in body  # the link's target exists
        assert f'id="err_{field_id[3:]}"' in body  # and the message is beside it
    assert 'value="ba"' in body  # everything typed is kept
    assert not Report.objects.filter(unit=tree.gl1).exists()


def test_saving_a_draft_checks_only_what_was_typed(tree, period, login):
    response = login(tree.gl1_officer).post(
        _file_url(period, tree.gl1), post_data(meeting_sessions="ba", documents_disseminated="", results_text="")
    )
    assert [p.field_id for p in response.context["problems"]] == ["id_v_meeting_sessions"]


def test_yes_no_shows_co_khong_on_every_reporting_page(tree, period, login, export_file):
    import pypdf

    report = file(period, tree.gl1, tree.gl1_officer, has_plan=Decimal(1))
    services.report_approve(report=report, by=tree.gialam_head)
    file(period, tree.gl2, tree.gl2_officer, has_plan=Decimal(0))
    client = login(tree.gialam_head)

    def has_plan_cell(url):
        body = " ".join(client.get(url).content.decode().split()).replace(" </td>", "</td>")
        start = body.index("Đã ban hành kế hoạch triển khai tại đơn vị")
        return body[start : start + 300]

    assert '<td class="text-end">Có</td>' in has_plan_cell(reverse("reporting:report_detail", args=[report.pk]))
    assert '<td class="text-end">Có</td>' in has_plan_cell(reverse("reporting:report_print", args=[report.pk]))
    assert '<td class="text-end">Có</td>' in has_plan_cell(
        reverse("reporting:rollup", args=[period.pk, tree.gialam.code])
    )
    pdf = client.get(reverse("reporting:rollup_pdf", args=[period.pk, tree.gialam.code])).content
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Đã ban hành kế hoạch triển khai tại đơn vị — Có Có II." in text  # own, below, total
    response = export_file(client, reverse("reporting:export_xlsx", args=[period.cycle_id, tree.gialam.code]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True))
    col = rows[0].index("Đã ban hành kế hoạch triển khai tại đơn vị")
    by_code = {row[0]: row[col] for row in rows[1:] if row[0]}
    assert (by_code["HN-LDLD-GIALAM-0001"], by_code["HN-LDLD-GIALAM-0002"]) == ("Có", "Không")


# ---------------------------------------------------------------- no page fails because of a stored value
EXTREMES = {
    "media_reached": Decimal("9999999999999999"),
    "media_sessions": Decimal("-9999999999999999"),
    "coverage_percent": Decimal("0.0001"),
    "visual_reached": Decimal("1234567.8912"),
}
TOO_LONG = 10**21  # 22 digits: SQLite does not enforce max_digits, so such a row can exist there


def _store_extremes(report):
    """Data, not a domain operation: figures written outside the portal (an old import, a script)."""
    for code, number in EXTREMES.items():
        Value.objects.filter(report=report, indicator__code=code).update(number=number)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reporting_value SET number = %s WHERE report_id = %s AND indicator_id = "
                "(SELECT id FROM reporting_indicator WHERE code = 'meeting_reached' AND version_id = %s)",
                [str(TOO_LONG), report.pk, report.form_version_id],
            )


def _shown(report, code):
    """The stored figure as the database gives it back, the way the pages show it."""
    return format_number(Value.objects.get(report=report, indicator__code=code).number)


def test_extreme_stored_values_render_on_every_page_and_export(tree, period, login, export_file):
    import pypdf

    child = file(period, tree.gl1, tree.gl1_officer)
    child = services.report_approve(report=child, by=tree.gialam_head)
    own = file(period, tree.gialam, tree.gialam_officer, submit=False)
    for report in (child, own):
        _store_extremes(report)
    codes = [*EXTREMES, *(["meeting_reached"] if connection.vendor == "sqlite" else [])]
    client = login(tree.gialam_head)
    pages = {
        "detail": reverse("reporting:report_detail", args=[child.pk]),
        "print": reverse("reporting:report_print", args=[child.pk]),
        "rollup": reverse("reporting:rollup", args=[period.pk, tree.gialam.code]),
        "dashboard": reverse("reporting:dashboard", args=[period.cycle_id, tree.gialam.code]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        if name in ("detail", "print"):
            for code in codes:
                assert _shown(child, code) in body, (name, code)
        elif name == "rollup":  # sums shown with at most two decimals
            for code in codes:
                if code not in ("coverage_percent", "visual_reached"):
                    assert _shown(child, code) in body, (name, code)
            assert "1.234.567,89" in body
    response = client.get(reverse("reporting:rollup_pdf", args=[period.pk, tree.gialam.code]))
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for code in ("media_reached", "media_sessions"):
        assert _shown(child, code) in text, code  # the approved child's figures, below
    response = export_file(client, reverse("reporting:export_xlsx", args=[period.cycle_id, tree.gialam.code]))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True))
    child_row = next(row for row in rows if row[0] == tree.gl1.code)
    for code in codes:
        indicator = child.form_version.indicators.get(code=code)
        stored = Value.objects.get(report=child, indicator=indicator).number
        cell = child_row[rows[0].index(f"{indicator.label} ({indicator.measure_unit})")]
        # Beyond a spreadsheet's 15 significant digits the exact figure comes as text.
        assert (cell == format_number(stored)) if isinstance(cell, str) else (Decimal(str(cell)) == stored), code

    # The officer of the unit with the stored draft can open it, sees the figures and can correct them.
    client.logout()
    client = login(tree.gialam_officer)
    url = _file_url(period, tree.gialam)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for code in codes:
        assert f'name="v_{code}" id="id_v_{code}" value="{_shown(own, code)}"' in body, code
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {**data, "action": "save", "v_has_plan": "1"}
    response = client.post(url, data)
    assert response.status_code == 200  # the figures outside the bounds are refused, beside their fields
    assert {p.field_id for p in response.context["problems"]} >= {"id_v_media_sessions"}
    fixed = {f"v_{code}": "1" for code in codes}
    response = client.post(url, {**data, **fixed})
    assert response.status_code == 302
    assert {_shown(own, code) for code in codes} == {"1"}


def test_filing_and_report_pages_bounded_queries(tree, quarters, login, django_assert_max_num_queries):
    third, fourth = quarters
    file(third, tree.gl1, tree.gl1_officer, meeting_reached=40)
    client = login(tree.gl1_officer)
    url = _file_url(fourth, tree.gl1)
    empty = _queries(client, url)
    client.post(url, post_data(meeting_reached="5.000"))
    version = Report.objects.get(period=fourth, unit=tree.gl1).version
    assert _queries(client, url) == empty + 3  # the stored draft: its values, evidence and history
    with django_assert_max_num_queries(16):
        client.get(url)
    with django_assert_max_num_queries(15):  # a round with errors and warnings
        response = client.post(
            url, post_data(version=version, action="submit", meeting_reached="5.000", coverage_percent="101")
        )
    assert len(response.context["problems"]) == 2
    # Saved and submitted, with the confirmation (and the lineage of the period's date), and numbered in the unit's
    # outgoing register (the register row made and locked, the entry written, the parent named), its summary row
    # updated and the nodes above it recounted (reporting.summaries: lock, cycle, scope root, count, upsert): a fixed
    # cost.
    with django_assert_max_num_queries(50):
        response = client.post(
            url, {**post_data(version=version, action="submit", meeting_reached="5.000"), "u_meeting_reached": "on"}
        )
    assert response.status_code == 302
    client.logout()
    client = login(tree.gialam_head)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("reporting:report_detail", args=[Report.objects.get(period=fourth).pk]))
    assert response.context["previous"].period == third


def test_xlsx_export_job_is_the_requesters_only(tree, period, login, client, export_file):
    """A head's export of her unit's reports, built by the real task: another unit's head, and even her own
    unit's officer, open neither the job's page nor its file."""
    file(period, tree.gl1, tree.gl1_officer, meeting_sessions=2)
    response = export_file(
        login(tree.gialam_head), reverse("reporting:export_xlsx", args=[period.cycle_id, "HN-LDLD-GIALAM"])
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0].iter_rows(values_only=True))
    # Gia Lâm's own row and its subtree's totals, then its grassroots unions.
    assert [row[0] for row in rows[1:]] == [
        "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM-0001",
        "HN-LDLD-GIALAM-0002",
    ]
    job = ExportJob.objects.get()
    assert (job.total, job.done, job.filename) == (1, 1, f"dot-bao-cao-{period.cycle_id}-HN-LDLD-GIALAM.xlsx")
    for other in (tree.donganh_head, tree.gialam_officer):
        client.logout()
        assert login(other).get(reverse("organizations:export_job", args=[job.pk])).status_code == 404
        assert login(other).get(reverse("organizations:export_download", args=[job.pk])).status_code == 404
