"""An admin sets a unit's communes/wards in Chromium: the list narrows as she types without accents."""

import pytest

from organizations.models import UnitCoverage

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_finds_kim_lien_typing_without_accents_and_sets_coverage(live_server, page, tree):
    base = live_server.url
    login(page, base, tree.admin.email, "pw-123456")
    page.goto(f"{base}/units/{tree.gl1.code}/coverage/")
    areas = page.get_by_label("Địa bàn (phường, xã)")
    assert areas.locator("option:not([hidden])").count() == 126
    search = page.get_by_role("searchbox", name="Lọc theo tên hoặc mã (gõ không dấu cũng được)")
    search.fill("kim a")  # terms at word starts only: "a" is not the "a" inside "Kim Liên"'s other words
    assert areas.locator("option:not([hidden])").all_inner_texts() == ["Xã Kim Anh (00382)"]
    search.fill("ien")  # inside "Liên", "Biên"…: a word start nowhere
    assert areas.locator("option:not([hidden])").count() == 0
    page.get_by_role("searchbox", name="Lọc theo tên hoặc mã (gõ không dấu cũng được)").fill("kim lien")
    assert areas.locator("option:not([hidden])").all_inner_texts() == ["Phường Kim Liên (00229)"]
    areas.select_option("00229")
    page.get_by_label("Áp dụng từ ngày").fill("2025-08-01")
    screenshot(page, "areas-coverage-form")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{base}/units/{tree.gl1.code}/")
    assert "Phường Kim Liên" in page.locator("dl").inner_text()
    screenshot(page, "areas-unit-page")
    assert list(UnitCoverage.objects.filter(unit=tree.gl1).values_list("area__code", flat=True)) == ["00229"]
