"""Browser journeys on the demo campaign, driven by clicks and typing only (no database writes while a journey
runs; the database is read at the end to check what the pages claimed), each ending with a screenshot
(artifacts/screenshots/)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from organizations.demo import DEMO_PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISSUED = re.compile(r"Đã ban hành văn bản số (\S+)\.")


@pytest.fixture
def demo():
    with open("/dev/null", "w") as devnull:
        call_command("load_demo_campaign", stdout=devnull)


def _login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/me/")


def _logout(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # phone: the header menu is collapsed
        toggler.click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()


def _issued_number(page) -> str:
    """The number the register gave, from the success message after 'Ban hành (cấp số)'."""
    message = page.get_by_role("alert").filter(has_text="Đã ban hành văn bản số")
    match = ISSUED.search(message.inner_text())
    assert match, message.inner_text()
    return match.group(1)


# ---------------------------------------------------------------- journey 1


def test_journey_1_admin_issues_a_directive_to_all_districts_sees_cascade_and_pdf(live_server, page, demo):
    from directives.enums import DocumentStatus
    from directives.models import Delivery, Document
    from organizations.enums import UnitKind
    from organizations.models import Unit

    base = live_server.url
    _login(page, base, "admin@demo.cchc.vn")
    page.get_by_role("link", name="Văn bản chỉ đạo").first.click()
    page.wait_for_url(f"{base}/directives/")
    page.get_by_role("link", name="Soạn văn bản").click()
    page.wait_for_url(f"{base}/directives/new/")

    page.get_by_label("Đơn vị ban hành").select_option(label="Liên đoàn Lao động Thành phố Hà Nội")
    page.get_by_label("Loại văn bản").select_option(label="Kế hoạch")
    page.get_by_label("Ký hiệu đơn vị soạn thảo").fill("TG")
    page.get_by_label("Địa danh").fill("Hà Nội")
    subject = "Tuyên truyền cải cách thủ tục hành chính và cơ chế một cửa liên thông quý này"
    page.get_by_label("Trích yếu").fill(subject)
    page.get_by_label("Gửi tới").select_option(label="Tất cả đơn vị trực thuộc thuộc loại")
    page.get_by_label("LĐLĐ quận, huyện, thị xã").check()
    page.get_by_label("Nội dung").fill(
        "I. MỤC ĐÍCH, YÊU CẦU\n- Phổ biến tới 100% công đoàn cơ sở.\n"
        "II. NỘI DUNG\n1. Tuyên truyền trực tiếp tại hội nghị người lao động.\n"
        "III. TỔ CHỨC THỰC HIỆN\n- LĐLĐ quận, huyện, thị xã xây dựng hướng dẫn triển khai."
    )
    deadline = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("Nhiệm vụ và thời hạn").fill(
        f"{deadline:%d/%m/%Y} | Báo cáo kết quả về LĐLĐ Thành phố (qua Ban Tuyên giáo)")
    page.get_by_label("Thẩm quyền ký").fill("TM. BAN THƯỜNG VỤ")
    page.get_by_label("Chức vụ người ký").fill("PHÓ CHỦ TỊCH")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Thị Thu Hà")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    assert page.get_by_role("alert").filter(has_text="Đã lưu dự thảo.").count() == 1

    page.get_by_role("button", name="Ban hành (cấp số)").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    number = _issued_number(page)
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT_FEDERATION, dissolved_on__isnull=True).count()
    assert page.get_by_text(f"{districts} đơn vị nhận").count() == 1
    assert page.locator("article").get_by_text(f"Số: {number}").count() == 1

    page.get_by_role("link", name="Theo dõi lan tỏa").click()
    page.wait_for_url(re.compile(r"/directives/\d+/cascade/$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Theo dõi lan tỏa: {number}"
    totals = page.locator("tr.fw-bold td").first
    assert totals.inner_text() == str(districts)  # delivered to every district federation

    page.get_by_role("link", name=number).click()  # the breadcrumb back to the document
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    # The PDF is served inline: Chromium opens it in the tab.
    with page.expect_response(re.compile(r"/directives/\d+/pdf/$")) as pdf:
        page.get_by_role("link", name="Bản PDF").click()
    response = pdf.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # Chromium shows it in its viewer (the response body is the viewer's page): save the bytes the way
    # "download" would, with the same session, and read them.
    saved = page.context.request.get(response.url)
    assert saved.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.body())).pages)
    assert f"Số: {number}" in text
    page.go_back()
    page.get_by_role("link", name="Theo dõi lan tỏa").click()
    page.wait_for_url(re.compile(r"/cascade/$"))
    screenshot(page, "journey-1-directive-cascade")

    document = Document.objects.get(number_symbol=number)
    assert document.status == DocumentStatus.ISSUED and document.issuing_unit.code == "HN-LDLD"
    assert number == f"{document.number:02d}/KH-LĐLĐ-TG"
    assert set(Delivery.objects.filter(document=document).values_list("unit_kind", flat=True)) == {
        UnitKind.DISTRICT_FEDERATION}
    assert Delivery.objects.filter(document=document).count() == districts


# ---------------------------------------------------------------- journey 2


def test_journey_2_district_officer_acknowledges_and_issues_implementing_guidance(live_server, page, demo):
    from directives.demo import CURRENT_NOTICE_SUBJECT
    from directives.enums import DeliveryOutcome, LinkKind
    from directives.models import Delivery, Document, DocumentLink

    # The demo's live notice from the city federation (issued yesterday), still unread in Gia Lâm.
    parent = Document.objects.get(subject=CURRENT_NOTICE_SUBJECT)
    base = live_server.url
    _login(page, base, "canbo.gialam@demo.cchc.vn")
    page.get_by_role("link", name="Văn bản chỉ đạo").first.click()
    page.wait_for_url(f"{base}/directives/")
    page.get_by_role("link", name="xem tất cả").click()
    page.wait_for_url(f"{base}/directives/inbox/")
    row = page.get_by_role("row").filter(has_text=parent.number_symbol)
    assert row.get_by_text("Chưa đọc").count() == 1
    row.get_by_role("button", name="Mở").click()
    page.wait_for_url(f"{base}/directives/{parent.pk}/")

    page.get_by_role("button", name="Xác nhận đã nhận").click()
    page.wait_for_url(f"{base}/directives/{parent.pk}/")
    assert page.get_by_role("alert").filter(has_text="Đã xác nhận đã nhận văn bản.").count() == 1
    assert page.get_by_text("Xác nhận bởi Phạm Thị Lan").count() == 1

    page.get_by_role("button", name="Soạn văn bản triển khai cho đơn vị trực thuộc").click()
    page.wait_for_url(re.compile(r"/directives/\d+/edit/$"))
    # Pre-filled: a công văn implementing the notice, to the grassroots unions, with the notice's deadline.
    assert page.get_by_label("Loại văn bản").input_value() == "CV"
    assert page.get_by_label("Trích yếu").input_value() == parent.subject
    assert page.get_by_label("Thực hiện văn bản").evaluate("s => [...s.selectedOptions].map(o => o.value)") == [
        str(parent.pk)]
    assert page.get_by_label("Công đoàn cơ sở").is_checked()
    page.get_by_label("Nội dung").fill(
        "Ban Thường vụ LĐLĐ huyện đề nghị các công đoàn cơ sở trực thuộc:\n"
        "- Tuyên truyền tới 100% đoàn viên, lồng ghép trong sinh hoạt công đoàn;\n"
        "- Vận động đoàn viên sử dụng dịch vụ công trực tuyến;\n"
        "- Nộp báo cáo nhanh kết quả tuyên truyền về LĐLĐ huyện trên Cổng đúng hạn."
    )
    page.get_by_label("Họ tên người ký").fill("Nguyễn Đức Thế")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    page.get_by_role("button", name="Ban hành (cấp số)").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    number = _issued_number(page)
    related = page.get_by_role("region", name="Văn bản liên quan")
    assert related.get_by_role("link", name=parent.number_symbol).count() == 1
    assert page.locator("article").get_by_text(f"Thực hiện {parent.reference}").count() == 1
    screenshot(page, "journey-2-implementing-guidance")

    child = Document.objects.get(number_symbol=number)
    assert child.issuing_unit.code == "HN-LDLD-GIALAM"
    assert number == f"{child.number:02d}/LĐLĐ"  # a công văn's number has no type part
    assert child.tasks.get().deadline == parent.tasks.get().deadline
    assert DocumentLink.objects.filter(source=child, target=parent, kind=LinkKind.IMPLEMENTS).count() == 1
    assert child.deliveries.count() == 4  # the four demo grassroots unions of Gia Lâm
    delivery = Delivery.objects.get(document=parent, unit__code="HN-LDLD-GIALAM")
    assert delivery.acknowledged_by.email == "canbo.gialam@demo.cchc.vn"
    assert delivery.outcome == DeliveryOutcome.BY_DOCUMENT and delivery.implementing_document == child


# ---------------------------------------------------------------- journey 3


def _todo_link(page, cycle_name):
    """'Lập báo cáo' for one cycle in the landing page's reporting panel (the demo has two open ones)."""
    panel = page.get_by_role("region", name="Báo cáo định kỳ")
    return panel.get_by_role("listitem").filter(has_text=cycle_name).get_by_role("link", name="Lập báo cáo")


def _rates(page, unit_name) -> list[str]:
    """A dashboard row's submitted / on time / approved cells for the open cycle, whitespace collapsed."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=unit_name, exact=True))
    return [" ".join(text.split()) for text in row.locator("td").all_inner_texts()]


def test_journey_3_grassroots_report_returned_corrected_approved_on_city_dashboard(
        live_server, phone_page, page, demo):
    from reporting.demo import OPEN_CYCLE
    from reporting.enums import ReportStatus
    from reporting.models import Report

    base = live_server.url
    officer, head = phone_page, page

    # The Trâu Quỳ officer, on her phone, starts the report of the open period from her landing page.
    _login(officer, base, "cdcs.trauquy@demo.cchc.vn")
    _todo_link(officer, OPEN_CYCLE).click()
    officer.wait_for_url(re.compile(r"/reports/periods/\d+/units/HN-LDLD-GIALAM-0001/$"))
    assert OPEN_CYCLE in officer.get_by_role("heading", level=1).inner_text()
    typed = {"v_meeting_sessions": "3", "v_meeting_reached": "2", "v_documents_disseminated": "2",
             "v_media_sessions": "1"}
    for name, value in typed.items():
        officer.locator(f"[name={name}]").fill(value)
    officer.locator("[name=v_has_plan]").select_option(label="Có")
    results = "Tổ chức 3 buổi sinh hoạt chuyên đề về dịch vụ công trực tuyến cho đoàn viên."
    officer.locator("[name=v_results_text]").fill(results)
    officer.get_by_role("button", name="Nộp báo cáo").click()
    # Refused (fewer attendees than meetings); what she typed is still there.
    error = officer.locator("#err_v_meeting_reached")
    error.wait_for()
    assert "phải lớn hơn hoặc bằng số buổi hội nghị" in error.inner_text()
    for name, value in typed.items():
        assert officer.locator(f"[name={name}]").input_value() == value
    assert officer.locator("[name=v_results_text]").input_value() == results
    assert officer.locator("[name=v_has_plan]").input_value() == "1"
    assert Report.objects.filter(unit__code="HN-LDLD-GIALAM-0001", cycle__name=OPEN_CYCLE).count() == 0

    officer.locator("[name=v_meeting_reached]").fill("45")
    officer.get_by_role("button", name="Nộp báo cáo").click()
    officer.wait_for_url(re.compile(r"/reports/\d+/$"))
    assert officer.get_by_role("alert").filter(has_text="Đã nộp báo cáo").count() == 1
    report_url = officer.url

    # Her district head returns it with a comment.
    _login(head, base, "chutich.gialam@demo.cchc.vn")
    head.get_by_role("link", name=re.compile("báo cáo chờ bạn duyệt")).click()
    head.wait_for_url(f"{base}/reports/review/")
    row = head.get_by_role("row").filter(has_text="Trâu Quỳ").filter(has_text=OPEN_CYCLE)
    row.get_by_role("link", name="Xem và duyệt").click()
    head.wait_for_url(report_url)
    comment = "Số lượt người tham dự chưa khớp biên bản: 3 buổi nhưng đề nghị ghi đủ 48 đoàn viên."
    head.get_by_label("Ý kiến").fill(comment)
    head.get_by_role("button", name="Trả lại để sửa").click()
    head.wait_for_url(report_url)
    assert head.get_by_role("alert").filter(has_text="Đã trả lại báo cáo cho đơn vị.").count() == 1

    # She sees the comment, corrects and resubmits.
    officer.get_by_role("link", name="CCHC Hà Nội").click()  # the brand: back to her landing page
    officer.wait_for_url(f"{base}/me/")
    _todo_link(officer, OPEN_CYCLE).click()
    officer.wait_for_url(re.compile(r"/reports/periods/\d+/units/HN-LDLD-GIALAM-0001/$"))
    assert comment in officer.locator("main .alert").filter(has_text="Cấp trên trả lại").inner_text()
    assert officer.locator("[name=v_meeting_reached]").input_value() == "45"
    officer.locator("[name=v_meeting_reached]").fill("48")
    officer.get_by_role("button", name="Nộp báo cáo").click()
    officer.wait_for_url(report_url)
    assert officer.get_by_role("alert").filter(has_text="Đã nộp báo cáo").count() == 1
    screenshot(officer, "journey-3-phone-resubmitted")

    # The head approves.
    head.get_by_role("link", name="CCHC Hà Nội").click()
    head.wait_for_url(f"{base}/me/")
    head.get_by_role("link", name=re.compile("báo cáo chờ bạn duyệt")).click()
    head.get_by_role("row").filter(has_text="Trâu Quỳ").filter(has_text=OPEN_CYCLE).get_by_role(
        "link", name="Xem và duyệt").click()
    head.wait_for_url(report_url)
    head.get_by_role("button", name="Duyệt", exact=True).click()
    head.wait_for_url(report_url)
    assert head.get_by_role("alert").filter(has_text="Đã duyệt báo cáo.").count() == 1
    _logout(head)

    # The city's head of propaganda sees it on the city dashboard, then in Gia Lâm's.
    _login(head, base, "tuyengiao@demo.cchc.vn")
    head.get_by_role("link", name="Báo cáo", exact=True).click()
    head.get_by_role("link", name="Các đợt báo cáo, tổng hợp, thống kê").click()
    head.wait_for_url(f"{base}/reports/cycles/")
    card = head.locator("section.card").filter(has_text=OPEN_CYCLE)
    card.get_by_role("link", name="Tình hình nộp báo cáo").first.click()
    head.wait_for_url(re.compile(r"/units/HN-LDLD/dashboard/$"))
    # Gia Lâm's subtree: the district itself and its 4 grassroots unions; Trâu Quỳ's is the one filed and approved.
    # (The demo's open period is due today or within two days: on time, unless the calendar made it due earlier.)
    late = Report.objects.get(unit__code="HN-LDLD-GIALAM-0001", cycle__name=OPEN_CYCLE).is_late
    assert _rates(head, "Liên đoàn Lao động huyện Gia Lâm") == ["20,0 1/5", "0,0" if late else "20,0", "20,0"]
    screenshot(head, "journey-3-city-dashboard")
    head.get_by_role("link", name="Liên đoàn Lao động huyện Gia Lâm").click()
    head.wait_for_url(re.compile(r"/units/HN-LDLD-GIALAM/dashboard/$"))
    assert _rates(head, "Công đoàn cơ sở UBND thị trấn Trâu Quỳ") == ["100,0 1/1", "0,0" if late else "100,0", "100,0"]
    assert _rates(head, "Công đoàn cơ sở Trường THCS Dương Xá") == ["0,0 0/1", "0,0", "0,0"]
    screenshot(head, "journey-3-district-dashboard")

    report = Report.objects.get(unit__code="HN-LDLD-GIALAM-0001", cycle__name=OPEN_CYCLE)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by.email == "chutich.gialam@demo.cchc.vn"
    assert [r.action for r in report.reviews.order_by("at", "pk")] == ["submit", "return", "submit", "approve"]
    assert report.reviews.get(action="return").comment == comment
    assert report.values.get(indicator__code="meeting_reached").number == 48
