"""Browser journeys on the demo campaign, driven by clicks and typing only, each ending with a screenshot
(artifacts/screenshots/). Only the parts the apps' pages allow today are here: see the lead's note."""

import pytest
from django.core.management import call_command

from organizations.demo import DEMO_PASSWORD

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/me/")


def test_city_head_opens_an_issued_directive_its_cascade_and_pdf(live_server, page):
    call_command("load_demo_campaign", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    _login(page, base, "tuyengiao@demo.cchc.vn")
    page.get_by_role("link", name="Văn bản chỉ đạo").first.click()
    page.wait_for_url(f"{base}/directives/")
    page.locator("table a").first.click()
    page.wait_for_url("**/directives/*/")
    # The PDF is served inline: Chromium opens it in the tab.
    with page.expect_response("**/pdf/") as pdf:
        page.get_by_role("link", name="Bản PDF").click()
    assert pdf.value.status == 200 and pdf.value.headers["content-type"] == "application/pdf"
    page.go_back()
    page.get_by_role("link", name="Theo dõi lan tỏa").click()
    page.wait_for_url("**/cascade/")
    assert page.get_by_role("heading", level=1).count() == 1
    screenshot(page, "journey-1-directive-cascade")
