"""Browser journeys on the demo campaign, driven by clicks and typing only (no database writes while a journey
runs; the database is read at the end to check what the pages claimed), each ending with a screenshot
(artifacts/screenshots/)."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ISSUED = re.compile(r"Đã ban hành văn bản số (\S+)\.")


@pytest.fixture
def demo():
    with open("/dev/null", "w") as devnull:
        call_command("load_demo_campaign", stdout=devnull)


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


def _confirm_issue(page, recipients: int | None = None) -> str:
    """'Ban hành (cấp số)' opens the look back (recipients, expected number, PDF); confirm it. The expected number."""
    page.get_by_role("link", name="Ban hành (cấp số)").click()
    page.wait_for_url(re.compile(r"/directives/\d+/issue/preview/$"))
    if recipients is not None:
        assert page.locator("#addressee-count").inner_text() == f"{recipients} đơn vị"
    expected = page.locator("#expected-number").inner_text()
    assert page.get_by_role("link", name="Xem bản PDF dự thảo").count() == 1
    page.get_by_role("button", name="Xác nhận ban hành").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    return expected


# ---------------------------------------------------------------- journey 1


def test_journey_1_admin_issues_a_directive_to_all_commune_unions_sees_cascade_and_pdf(live_server, page, demo):
    from directives.enums import DocumentStatus
    from directives.models import Delivery, Document
    from organizations.enums import UnitKind
    from organizations.models import Unit

    base = live_server.url
    login(page, base, "admin@demo.cchc.vn")
    page.get_by_role("link", name="Văn bản chỉ đạo").first.click()
    page.wait_for_url(f"{base}/directives/")
    page.get_by_role("link", name="Soạn văn bản").click()
    page.wait_for_url(f"{base}/directives/new/")

    issuer = page.get_by_role("combobox", name="Đơn vị ban hành")
    issuer.click()
    issuer.fill("lien doan lao dong thanh pho")
    # The option named exactly so (its children name it as their parent in their second line).
    page.locator(".ts-dropdown .option").filter(
        has=page.get_by_text("Liên đoàn Lao động Thành phố Hà Nội", exact=True)
    ).first.click()
    page.get_by_label("Loại văn bản").select_option(label="Kế hoạch")
    page.get_by_label("Ký hiệu đơn vị soạn thảo").fill("TG")
    page.get_by_label("Địa danh").fill("Hà Nội")
    subject = "Tuyên truyền cải cách thủ tục hành chính và cơ chế một cửa liên thông quý này"
    page.get_by_label("Trích yếu").fill(subject)
    page.get_by_label("Gửi tới").select_option(label="Tất cả đơn vị trực thuộc thuộc loại")
    page.get_by_label("Công đoàn xã, phường").check()
    page.get_by_label("Nội dung").fill(
        "I. MỤC ĐÍCH, YÊU CẦU\n- Phổ biến tới 100% công đoàn cơ sở.\n"
        "II. NỘI DUNG\n1. Tuyên truyền trực tiếp tại hội nghị người lao động.\n"
        "III. TỔ CHỨC THỰC HIỆN\n- Công đoàn xã, phường xây dựng hướng dẫn triển khai."
    )
    deadline = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("Nhiệm vụ và thời hạn").fill(
        f"{deadline:%d/%m/%Y} | Báo cáo kết quả về LĐLĐ Thành phố (qua Ban Tuyên giáo)"
    )
    page.get_by_label("Thẩm quyền ký").fill("TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH")
    page.get_by_label("Chức vụ người ký").fill("PHÓ CHỦ TỊCH")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Thị Thu Hà")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    assert page.get_by_role("alert").filter(has_text="Đã lưu dự thảo.").count() == 1

    communes = Unit.objects.filter(kind=UnitKind.COMMUNE_UNION, dissolved_on__isnull=True).count()
    expected = _confirm_issue(page, recipients=communes)
    number = _issued_number(page)
    assert number == expected
    assert page.get_by_text(f"{communes} đơn vị nhận").count() == 1
    assert page.locator("article").get_by_text(f"Số: {number}").count() == 1

    page.get_by_role("link", name="Theo dõi lan tỏa").click()
    page.wait_for_url(re.compile(r"/directives/\d+/cascade/$"))
    assert page.get_by_role("heading", level=1).inner_text() == f"Theo dõi lan tỏa: {number}"
    totals = page.locator("tr.fw-bold td").first
    assert totals.inner_text() == str(communes)  # delivered to every commune/ward union of today's tree

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
        UnitKind.COMMUNE_UNION
    }
    assert Delivery.objects.filter(document=document).count() == communes


# ---------------------------------------------------------------- journey 2


def test_journey_2_commune_union_officer_acknowledges_and_issues_implementing_guidance(live_server, page, demo):
    from directives.demo import CURRENT_NOTICE_SUBJECT
    from directives.enums import DeliveryOutcome, LinkKind
    from directives.models import Delivery, Document, DocumentLink

    # The demo's live notice from the city federation (issued yesterday), still unread in the Gia Lâm commune union.
    parent = Document.objects.get(subject=CURRENT_NOTICE_SUBJECT)
    base = live_server.url
    login(page, base, "canbo.gialam@demo.cchc.vn")
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
        str(parent.pk)
    ]
    assert page.get_by_label("Công đoàn cơ sở").is_checked()
    page.get_by_label("Nội dung").fill(
        "Ban Chấp hành Công đoàn xã đề nghị các công đoàn cơ sở trực thuộc:\n"
        "- Tuyên truyền tới 100% đoàn viên, lồng ghép trong sinh hoạt công đoàn;\n"
        "- Vận động đoàn viên sử dụng dịch vụ công trực tuyến;\n"
        "- Nộp báo cáo nhanh kết quả tuyên truyền về Công đoàn xã trên Cổng đúng hạn."
    )
    page.get_by_label("Họ tên người ký").fill("Nguyễn Đức Thế")
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.wait_for_url(re.compile(r"/directives/\d+/$"))
    _confirm_issue(page)
    number = _issued_number(page)
    related = page.get_by_role("region", name="Văn bản liên quan")
    assert related.get_by_role("link", name=parent.number_symbol).count() == 1
    assert page.locator("article").get_by_text(f"Thực hiện {parent.reference}").count() == 1
    screenshot(page, "journey-2-implementing-guidance")

    child = Document.objects.get(number_symbol=number)
    assert child.issuing_unit.code == "HN-LDLD-CDX-GIALAM"
    assert number == f"{child.number:02d}/CĐ"  # a công văn's number has no type part
    assert child.tasks.get().deadline == parent.tasks.get().deadline
    assert DocumentLink.objects.filter(source=child, target=parent, kind=LinkKind.IMPLEMENTS).count() == 1
    assert child.deliveries.count() == 4  # the four demo grassroots unions of the Gia Lâm commune union
    delivery = Delivery.objects.get(document=parent, unit__code="HN-LDLD-CDX-GIALAM")
    assert delivery.acknowledged_by.email == "canbo.gialam@demo.cchc.vn"
    assert delivery.outcome == DeliveryOutcome.BY_DOCUMENT and delivery.implementing_document == child


# ---------------------------------------------------------------- journey 3


def _todo_link(page, cycle_name, action="Lập báo cáo"):
    """The filing link ('Lập báo cáo', or 'Tiếp tục' once a report exists) for one cycle in the landing page's
    reporting panel (the demo has two open ones)."""
    panel = page.get_by_role("region", name="Báo cáo định kỳ")
    return panel.get_by_role("listitem").filter(has_text=cycle_name).get_by_role("link", name=action)


def _rates(page, unit_name) -> list[str]:
    """A dashboard row's submitted / on time / approved cells for the open cycle, whitespace collapsed."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=unit_name, exact=True))
    return [" ".join(text.split()) for text in row.locator("td").all_inner_texts()]


def test_journey_3_grassroots_report_returned_corrected_approved_on_city_dashboard(live_server, phone_page, page, demo):
    from reporting.demo import OPEN_CYCLE
    from reporting.enums import ReportStatus
    from reporting.models import Report

    base = live_server.url
    officer, head = phone_page, page

    # The Trâu Quỳ officer, on her phone, starts the report of the open period from her landing page.
    login(officer, base, "cdcs.trauquy@demo.cchc.vn")
    _todo_link(officer, OPEN_CYCLE).click()
    officer.wait_for_url(re.compile(r"/reports/periods/\d+/units/HN-LDLD-GIALAM-0001/$"))
    assert OPEN_CYCLE in officer.get_by_role("heading", level=1).inner_text()
    typed = {
        "v_meeting_sessions": "3",
        "v_meeting_reached": "2",
        "v_documents_disseminated": "2",
        "v_media_sessions": "1",
    }
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

    # The head of her commune union returns it with a comment.
    login(head, base, "chutich.gialam@demo.cchc.vn")
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
    # The landing page says what the reports page says: returned, continue.
    returned = officer.get_by_role("region", name="Báo cáo định kỳ").get_by_role("listitem").filter(has_text=OPEN_CYCLE)
    assert "Trả lại" in returned.inner_text()
    _todo_link(officer, OPEN_CYCLE, "Tiếp tục").click()
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
        "link", name="Xem và duyệt"
    ).click()
    head.wait_for_url(report_url)
    head.get_by_role("button", name="Duyệt", exact=True).click()
    head.wait_for_url(report_url)
    assert head.get_by_role("alert").filter(has_text="Đã duyệt báo cáo.").count() == 1
    _logout(head)

    # The city's head of propaganda sees it on the city dashboard, then in Gia Lâm's.
    login(head, base, "tuyengiao@demo.cchc.vn")
    head.get_by_role("link", name="Báo cáo", exact=True).click()
    head.get_by_role("link", name="Các đợt báo cáo, tổng hợp, thống kê").click()
    head.wait_for_url(f"{base}/reports/cycles/")
    card = head.locator("section.card").filter(has_text=OPEN_CYCLE)
    card.get_by_role("link", name="Tình hình nộp báo cáo").first.click()
    head.wait_for_url(re.compile(r"/units/HN-LDLD/dashboard/$"))
    # Gia Lâm's subtree: the commune union itself and its 4 grassroots unions; Trâu Quỳ's is filed and approved.
    # (The demo's open period is due today or within two days: on time, unless the calendar made it due earlier.)
    late = Report.objects.get(unit__code="HN-LDLD-GIALAM-0001", cycle__name=OPEN_CYCLE).is_late
    assert _rates(head, "Công đoàn xã Gia Lâm") == ["20,0 1/5", "0,0" if late else "20,0", "20,0"]
    screenshot(head, "journey-3-city-dashboard")
    head.get_by_role("link", name="Công đoàn xã Gia Lâm").click()
    head.wait_for_url(re.compile(r"/units/HN-LDLD-CDX-GIALAM/dashboard/$"))
    assert _rates(head, "Công đoàn cơ sở UBND thị trấn Trâu Quỳ") == ["100,0 1/1", "0,0" if late else "100,0", "100,0"]
    assert _rates(head, "Công đoàn cơ sở Trường THCS Dương Xá") == ["0,0 0/1", "0,0", "0,0"]
    screenshot(head, "journey-3-district-dashboard")

    report = Report.objects.get(unit__code="HN-LDLD-GIALAM-0001", cycle__name=OPEN_CYCLE)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by.email == "chutich.gialam@demo.cchc.vn"
    assert [r.action for r in report.reviews.order_by("at", "pk")] == ["submit", "return", "submit", "approve"]
    assert report.reviews.get(action="return").comment == comment
    assert report.values.get(indicator__code="meeting_reached").number == 48


# ---------------------------------------------------------------- journey 4

VERIFY_LINK = re.compile(r"https?://\S+/contest/[\w-]+/verify/\S+/\S+/")


def test_journey_4_contestant_registers_is_refused_unaccented_text_submits_and_gets_receipt(
    live_server, page, demo, settings
):
    from django.core import mail

    from contest.enums import EntryStatus
    from contest.models import Entry

    base = live_server.url
    settings.SITE_URL = base  # links in mail come from the configured site address, not the request's Host
    slug = f"cuoc-thi-{timezone.localdate().year}"
    email = "nguyen.thu.trang@example.vn"

    # From the contests page to the current contest (open for entries) and its registration form.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Cuộc thi", exact=True).first.click()
    page.wait_for_load_state()
    if page.url.rstrip("/").endswith("/contest"):  # several public contests: a list
        page.get_by_role("link", name=re.compile(f"năm {timezone.localdate().year}")).first.click()
    page.wait_for_url(f"{base}/contest/{slug}/")
    page.get_by_role("link", name="Đăng ký dự thi").click()
    page.wait_for_url(f"{base}/contest/{slug}/register/")
    page.get_by_label("Họ và tên").fill("Nguyễn Thu Trang")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu*", exact=True).fill("Trang#2024-cchc")
    page.get_by_label("Nhập lại mật khẩu").fill("Trang#2024-cchc")
    page.get_by_label("Hình thức dự thi").select_option(label="Cá nhân")
    page.get_by_label("Cơ quan, đơn vị công tác hoặc tổ chức dự thi").fill("UBND phường Láng Hạ")
    page.locator("#id_area_filter").fill("lang")  # today's wards, found without accents
    page.get_by_label("Phường, xã", exact=True).select_option(label="Phường Láng (00199)")
    page.get_by_label("Điện thoại").fill("0904123456")
    page.get_by_label("Cán bộ, công chức, viên chức, người lao động tại cơ quan hành chính nhà nước TP Hà Nội").check()
    page.get_by_label("Tôi cam đoan thuộc đối tượng dự thi").check()
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_role("heading", name="Kiểm tra e-mail của bạn").wait_for()
    assert page.get_by_text(f"Chúng tôi sẽ gửi thư xác nhận tới {email} trong ít phút.").count() == 1
    assert page.get_by_role("button", name="Gửi lại thư xác minh").count() == 1

    # The verification e-mail: its link shows a button (a GET changes nothing), the button activates.
    verification = [m for m in mail.outbox if m.to == [email] and "Xác nhận e-mail" in m.subject]
    assert len(verification) == 1
    link = VERIFY_LINK.search(verification[0].body).group(0)
    assert link.startswith(base)
    page.goto(link)
    page.get_by_role("button", name="Xác nhận và kích hoạt tài khoản").click()
    page.wait_for_url(f"{base}/contest/my/")
    assert page.get_by_role("alert").filter(has_text="Đã xác nhận e-mail.").count() == 1
    _logout(page)

    # She signs in with her new account and declares her eligibility on "Thông tin dự thi".
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill("Trang#2024-cchc")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/me/")
    page.get_by_role("link", name="Cuộc thi", exact=True).first.click()
    page.wait_for_load_state()
    if page.url.rstrip("/").endswith("/contest"):
        page.get_by_role("link", name=re.compile(f"năm {timezone.localdate().year}")).first.click()
    page.wait_for_url(f"{base}/contest/{slug}/")
    page.get_by_role("link", name="Bài của tôi").click()
    page.wait_for_url(f"{base}/contest/my/")
    page.get_by_role("link", name="Thông tin dự thi").click()
    page.wait_for_url(f"{base}/contest/{slug}/join/")
    official = page.get_by_label(
        "Cán bộ, công chức, viên chức, người lao động tại cơ quan hành chính nhà nước TP Hà Nội"
    )
    assert official.is_checked()  # as declared when registering
    page.get_by_label("Tôi cam đoan thuộc đối tượng dự thi").check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{base}/contest/my/")
    assert page.get_by_role("alert").filter(has_text="Đã lưu thông tin dự thi.").count() == 1

    # She writes her entry, first without diacritics: refused, and nothing she typed is lost.
    page.get_by_role("link", name="Viết bài mới").click()
    page.wait_for_url(f"{base}/contest/{slug}/new/")
    unaccented = {
        "title": "So hoa quy trinh cap ban sao trich luc ho tich",
        "procedure": "Cap ban sao trich luc ho tich tai UBND phuong",
        "problem": "Nguoi dan phai den UBND phuong nhieu lan de xin ban sao trich luc khai sinh.",
        "solution": "Cho phep nop yeu cau truc tuyen va nhan ban sao qua buu dien.",
        "benefits": "Giam hai lan di lai cho moi nguoi dan.",
        "feasibility": "Dung he thong mot cua dien tu san co, chi phi thap.",
    }
    for name, value in unaccented.items():
        page.locator(f"[name={name}]").fill(value)
    page.get_by_label("Lĩnh vực").select_option(label="Hộ tịch")
    page.get_by_role("button", name="Nộp bài").click()
    # Each refusal at its own field, the field marked invalid.
    refusal = page.locator(".invalid-feedback").filter(has_text="phải viết bằng tiếng Việt có dấu")
    refusal.first.wait_for()
    assert "Mục “tên sáng kiến, giải pháp, mô hình” phải viết bằng tiếng Việt có dấu (theo thể lệ cuộc thi)." in (
        refusal.first.inner_text()
    )
    assert refusal.count() == len(unaccented)
    assert page.locator("[name=title]").get_attribute("aria-invalid") == "true"
    for name, value in unaccented.items():
        assert page.locator(f"[name={name}]").input_value() == value
    assert page.get_by_label("Lĩnh vực").input_value() == "ho-tich"
    assert not Entry.objects.filter(entrant__user__email=email).exclude(code=None).exists()

    # She rewrites it in Vietnamese with diacritics and submits.
    accented = {
        "title": "Số hóa quy trình cấp bản sao trích lục hộ tịch",
        "procedure": "Cấp bản sao trích lục hộ tịch tại UBND phường",
        "problem": "Người dân phải đến UBND phường nhiều lần để xin bản sao trích lục khai sinh.",
        "solution": "Cho phép nộp yêu cầu trực tuyến và nhận bản sao qua bưu điện.",
        "benefits": "Giảm hai lần đi lại cho mỗi người dân.",
        "feasibility": "Dùng hệ thống một cửa điện tử sẵn có, chi phí thấp.",
    }
    for name, value in accented.items():
        page.locator(f"[name={name}]").fill(value)
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(re.compile(r"/contest/entries/\d+/$"))
    message = page.get_by_role("alert").filter(has_text="Đã nộp bài. Mã bài dự thi:").inner_text()
    code = re.search(r"Mã bài dự thi: (\S+)\.", message).group(1)
    assert re.fullmatch(rf"CT{timezone.localdate().year}-\d{{4}}", code)
    assert page.get_by_role("heading", level=1).inner_text() == accented["title"]
    assert page.locator("dd").filter(has_text=code).count() == 1

    # The receipt: an e-mail with the code, and the PDF (an attachment download) with the code in it.
    receipts = [m for m in mail.outbox if m.to == [email] and code in m.subject]
    assert len(receipts) == 1 and f"Mã bài dự thi: {code}" in receipts[0].body
    receipt_link = page.get_by_role("link", name="Biên nhận (PDF)")
    pdf = page.context.request.get(base + receipt_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert f'filename="bien-nhan-{code}.pdf"' in pdf.headers["content-disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert code in text
    screenshot(page, "journey-4-entry-receipt")

    entry = Entry.objects.get(code=code)
    assert entry.entrant.user.email == email and entry.entrant.user.is_active
    assert entry.status == EntryStatus.RECEIVED and entry.title == accented["title"]
    assert entry.entrant.eligibility == "official" and entry.entrant.email_verified_at is not None
    assert Entry.objects.filter(entrant__user__email=email).count() == 1  # the refused attempt is the same draft


# ---------------------------------------------------------------- journey 5


def _round_card(page, name):
    """One round's card on the organiser dashboard."""
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=name))


def test_journey_5_judge_scores_blind_organiser_closes_round_and_sees_ranking(live_server, page, demo):
    from contest.demo import CONTEST_NAME
    from contest.enums import AssignmentState, RoundState
    from contest.models import Assignment, Entry, Round

    base = live_server.url
    year = timezone.localdate().year
    slug = f"cuoc-thi-{year}"
    # The demo's submitted entry of the current edition (Ngô Thị Hoa's); no round is open for judging yet.
    entry = Entry.objects.select_related("entrant__user").get(contest__slug=slug, code__isnull=False)
    assert not Round.objects.filter(contest__slug=slug, state=RoundState.OPEN).exists()

    # The organiser checks the entry, has it assigned automatically and opens the preliminary round.
    login(page, base, "tuyengiao@demo.cchc.vn")
    page.get_by_role("link", name=f"Quản lý: {CONTEST_NAME} năm {year}").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/")
    page.get_by_role("link", name="Bài dự thi", exact=True).click()
    page.wait_for_url(re.compile(rf"/contest/{slug}/manage/entries/"))
    page.get_by_role("row").filter(has_text=entry.entrant.display_name).get_by_role(
        "link", name=entry.code, exact=True
    ).click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/entries/{entry.pk}/")
    page.get_by_label("Hợp lệ", exact=True).check()
    page.get_by_role("button", name="Ghi kết quả").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/entries/{entry.pk}/")
    assert page.get_by_role("alert").filter(has_text="Đã ghi kết quả kiểm tra hợp lệ.").count() == 1

    page.get_by_role("link", name="Tổng quan").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/")
    _round_card(page, "Vòng sơ khảo").get_by_role("link", name="Phân công tự động").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/rounds/preliminary/assign/")
    assert page.get_by_label("Số giám khảo mỗi bài").input_value() == "3"
    page.get_by_role("button", name="Phân công").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/rounds/preliminary/progress/")
    assert page.get_by_role("alert").filter(has_text="Đã tạo 3 phân công").count() == 1
    page.get_by_role("link", name="Tổng quan").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/")
    _round_card(page, "Vòng sơ khảo").get_by_role("button", name="Mở chấm").click()
    # The demo's edition still receives entries: the organiser is told so and confirms.
    assert page.get_by_text("Thời gian nhận bài còn mở").count() >= 1
    page.get_by_role("button", name="Vẫn mở chấm").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/")
    assert _round_card(page, "Vòng sơ khảo").get_by_text("Đang mở").count() == 1
    _logout(page)

    # A judge opens her queue and scores the entry: she sees its code and text, never who wrote it.
    login(page, base, "giamkhao2@demo.cchc.vn")
    page.get_by_role("link", name="Chấm thi").first.click()
    page.wait_for_url(f"{base}/contest/judge/")
    page.get_by_role("link", name=entry.code, exact=True).click()
    page.wait_for_url(re.compile(r"/contest/judge/\d+/$"))
    content = page.content()
    assert entry.code in content and entry.title in content
    for secret in (
        entry.entrant.display_name,
        entry.entrant.user.full_name,
        entry.entrant.user.email,
        entry.entrant.phone,
        entry.entrant.organisation,
    ):
        assert secret and secret not in content, secret
    scores = page.locator("input[name^=score_]")
    assert scores.count() == 6
    for i in range(scores.count()):
        scores.nth(i).fill(["8", "7,5", "9", "7", "8", "8,5"][i])  # typed the Vietnamese way
    page.get_by_label("Nhận xét chung").fill("Giải pháp thiết thực, cần nêu rõ chi phí duy trì trợ lý ảo.")
    page.get_by_role("button", name="Nộp điểm").click()
    page.wait_for_url(re.compile(r"/contest/judge/\d+/$"))
    assert page.get_by_role("alert").filter(has_text="Đã nộp điểm.").count() == 1
    assert page.get_by_text(re.compile(r"· Đã nộp điểm$")).count() == 1  # the assignment's state
    screenshot(page, "journey-5-judge-scored")
    _logout(page)

    # The organiser closes the round and reads the ranking.
    login(page, base, "tuyengiao@demo.cchc.vn")
    page.get_by_role("link", name=f"Quản lý: {CONTEST_NAME} năm {year}").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/")
    _round_card(page, "Vòng sơ khảo").get_by_role("button", name="Đóng chấm").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/")
    assert _round_card(page, "Vòng sơ khảo").get_by_text("Đã đóng").count() == 1
    _round_card(page, "Vòng sơ khảo").get_by_role("link", name="Xếp hạng").click()
    page.wait_for_url(f"{base}/contest/{slug}/manage/rounds/preliminary/ranking/")
    assert page.get_by_text("1 bài có điểm").count() == 1
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=entry.code, exact=True))
    assert row.count() == 1
    assert row.locator("td").first.inner_text().strip() == "1"
    screenshot(page, "journey-5-ranking")

    sheet = Assignment.objects.get(round__contest__slug=slug, entry=entry, judge__email="giamkhao2@demo.cchc.vn")
    assert sheet.state == AssignmentState.SUBMITTED and sheet.total is not None
    assert [s.value for s in sheet.scores.order_by("criterion__order")] == [
        Decimal(v) for v in ("8", "7.5", "9", "7", "8", "8.5")
    ]
    assert Round.objects.get(contest__slug=slug, kind="preliminary").state == RoundState.CLOSED
