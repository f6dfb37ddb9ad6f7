"""The grassroots officer on a 360 px phone: her home page, inbox and reports list never scroll sideways, the
inbox's "Mở" stays on the screen, and opening a received document from the home page's link records the unit's
reading (a POST from the page's script; loading the pages wrote nothing)."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "cdcs.trauquy@demo.cchc.vn"
GRASSROOTS = "HN-LDLD-GIALAM-0001"
COMMUNE_UNION = "HN-LDLD-CDX-GIALAM"


@pytest.fixture
def demo_with_fresh_document():
    """The demo, and a guidance the Gia Lâm commune union issues today to its grassroots unions (through the
    services, before the browser starts): Trâu Quỳ has it unread on her home page."""
    from directives.enums import AddresseeMode, DocumentType
    from directives.services import document_create, document_issue
    from organizations.models import Unit, User
    from tests.directives.conftest import draft_data

    with open("/dev/null", "w") as devnull:
        call_command("load_demo_campaign", stdout=devnull)
    today = timezone.localdate()
    issuer = User.objects.get(email="canbo.gialam@demo.cchc.vn")
    document = document_create(
        issuing_unit=Unit.objects.get(code=COMMUNE_UNION),
        by=issuer,
        data=draft_data(
            doc_type=DocumentType.HUONG_DAN,
            issued_on=today,
            place="Gia Lâm",
            subject="Hướng dẫn tuyên truyền dịch vụ công trực tuyến tháng cao điểm",
            addressee_mode=AddresseeMode.SUBTREE,
            tasks=[("Báo cáo kết quả", today + dt.timedelta(days=10))],
        ),
    )
    return document_issue(document=document, by=issuer)


def _fits(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _assert_no_sideways_scroll(page, label: str) -> None:
    scroll_width, inner_width = _fits(page)
    assert scroll_width <= inner_width, f"{label}: scrollWidth {scroll_width} > innerWidth {inner_width}"


def test_officer_phone_pages_fit_and_dashboard_link_records_the_reading(
    live_server, phone_page, demo_with_fresh_document
):
    from directives.models import Delivery

    document = demo_with_fresh_document
    delivery = Delivery.objects.get(document=document, unit__code=GRASSROOTS)
    base, page = live_server.url, phone_page

    login(page, base, OFFICER)
    _assert_no_sideways_scroll(page, "home")
    panel = page.get_by_role("region", name="Văn bản đến chưa thực hiện")
    link = panel.get_by_role("link", name=document.number_symbol)
    assert link.count() == 1
    screenshot(page, "officer-phone-home")

    # The reports list: stacked rows, nothing wider than the screen.
    page.goto(f"{base}/reports/")
    _assert_no_sideways_scroll(page, "reports list")
    screenshot(page, "officer-phone-reports")

    # The inbox: every "Mở" inside the viewport.
    page.goto(f"{base}/directives/inbox/")
    _assert_no_sideways_scroll(page, "inbox")
    width = page.evaluate("window.innerWidth")
    open_buttons = page.get_by_role("button", name="Mở", exact=True)
    assert open_buttons.count() >= 1
    for index in range(open_buttons.count()):
        box = open_buttons.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    screenshot(page, "officer-phone-inbox")

    delivery.refresh_from_db()
    assert delivery.read_at is None  # three pages loaded, nothing written

    # From the home page's link (not the inbox's "Mở"): the document page records the reading itself.
    page.get_by_role("link", name="CCHC Hà Nội").click()
    page.wait_for_url(f"{base}/me/")
    page.get_by_role("region", name="Văn bản đến chưa thực hiện").get_by_role(
        "link", name=document.number_symbol
    ).click()
    page.wait_for_url(re.compile(rf"/directives/{document.pk}/$"))
    page.get_by_role("status").filter(has_text="Đã ghi nhận đơn vị đã đọc văn bản.").wait_for()
    _assert_no_sideways_scroll(page, "document")
    screenshot(page, "officer-phone-document-read")

    delivery.refresh_from_db()
    assert delivery.read_at is not None
    assert delivery.history.filter(read_at__isnull=False).count() == 1
