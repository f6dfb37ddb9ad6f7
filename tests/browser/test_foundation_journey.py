import pytest

from organizations.demo import DEMO_PASSWORD
from organizations.demo import load_demo as load_demo_tree

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_officer_logs_in_and_reaches_her_unit_on_a_phone(live_server, phone_page):
    load_demo_tree()
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill("cdcs.trauquy@demo.cchc.vn")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/me/")
    page.get_by_role("link", name="Công đoàn cơ sở UBND thị trấn Trâu Quỳ").first.click()
    page.wait_for_url("**/units/HN-LDLD-GIALAM-0001/")
    assert page.get_by_role("heading", level=1).inner_text() == "Công đoàn cơ sở UBND thị trấn Trâu Quỳ"
    screenshot(page, "foundation-officer-unit")
    # She cannot open a sibling unit.
    response = page.goto(f"{live_server.url}/units/HN-LDLD-GIALAM-0002/")
    assert response.status == 404


def test_admin_finds_a_unit_without_accents_and_switches_to_english(live_server, page):
    load_demo_tree()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail").fill("admin@demo.cchc.vn")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/me/")
    page.goto(f"{live_server.url}/units/")
    page.get_by_label("Tìm đơn vị (gõ có dấu hoặc không dấu)").fill("lien doan gia lam")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Liên đoàn Lao động huyện Gia Lâm").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Liên đoàn Lao động huyện Gia Lâm"
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.get_by_role("heading", name="Subordinate units", exact=True).count() == 1
    page.goto(f"{live_server.url}/me/")
    assert "My units" in page.content()
    screenshot(page, "foundation-admin-english")
