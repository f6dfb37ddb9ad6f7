"""The unit picker in Chromium: an admin moves a grassroots union by typing "dong anh" without accents, sees the
preview and confirms; a split's formset gets a new row whose picker works too."""

import pytest
from playwright.sync_api import expect

from organizations.enums import UnitChangeKind
from organizations.models import Unit, UnitChange

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_unit(page, label: str, typed: str, name: str) -> None:
    """Types into the picker labelled `label` and clicks the suggestion `name`."""
    control = page.get_by_role("combobox", name=label)
    control.click()
    control.press_sequentially(typed, delay=20)
    # Focusing showed the scope's first units; the typed search leaves only the server's one match.
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)
    page.locator(".ts-dropdown .option", has_text=name).click()


def test_admin_moves_a_unit_choosing_dong_anh_typed_without_accents(live_server, page, tree):
    base = live_server.url
    login(page, base, tree.admin.email, "pw-123456")
    page.goto(f"{base}/units/{tree.gl1.code}/reorganise/move/")
    assert "Hiện trực thuộc: Liên đoàn Lao động huyện Gia Lâm (HN-LDLD-GIALAM)" in page.content()
    choose_unit(page, "Đơn vị cấp trên mới", "dong anh", "Liên đoàn Lao động huyện Đông Anh")
    assert page.locator("select[name=new_parent]").input_value() == "HN-LDLD-DONGANH"
    page.get_by_label("Ngày hiệu lực").fill("2025-07-01")
    screenshot(page, "unit-picker-move-form")
    page.get_by_role("button", name="Xem trước thay đổi").click()
    summary = page.locator("#reorganisation-summary")
    assert "về trực thuộc Liên đoàn Lao động huyện Đông Anh (HN-LDLD-DONGANH)" in summary.inner_text()
    screenshot(page, "unit-picker-move-preview")
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{base}/units/{tree.gl1.code}/")
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-GIALAM-0001/"
    assert UnitChange.objects.filter(unit=tree.gl1, kind=UnitChangeKind.MOVE).count() == 1


def test_a_split_row_added_in_the_browser_gets_a_working_picker(live_server, page, tree):
    base = live_server.url
    login(page, base, tree.admin.email, "pw-123456")
    page.goto(f"{base}/units/{tree.gialam.code}/reorganise/split/")
    page.get_by_role("button", name="Thêm một đơn vị mới").click()
    assert page.locator("#id_parts-TOTAL_FORMS").input_value() == "4"
    row = page.locator("[data-formset-row]").nth(3)
    assert row.locator("legend").inner_text() == "Đơn vị mới 4"
    control = row.get_by_role("combobox", name="Các đơn vị trực thuộc chuyển về")
    control.click()
    control.press_sequentially("duong xa", delay=20)
    option = page.locator(".ts-dropdown .option", has_text="Công đoàn cơ sở Trường THCS Dương Xá")
    option.wait_for()
    option.click()
    assert row.locator("select[name=parts-3-children] option:checked").all_inner_texts() == [
        "Công đoàn cơ sở Trường THCS Dương Xá (HN-LDLD-GIALAM-0002)"
    ]
