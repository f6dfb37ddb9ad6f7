"""The filing form in Chromium: numbers typed the Vietnamese way (a type=number input once turned "85,5" into 855)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.demo import standard_form_version
from reporting.models import Value
from tests.reporting.conftest import open_cycle

from .conftest import login, screenshot
from .test_accessibility import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_types_85_comma_5_in_a_percent_field_and_gets_it_back(live_server, page, tree):
    period = open_cycle(standard_form_version(), tree).periods.get()
    base = live_server.url
    url = f"{base}{reverse('reporting:file_report', args=[period.pk, tree.gl1.code])}"
    login(page, base, tree.gl1_officer.email, password="pw-123456")
    page.goto(url)
    percent = page.locator("#id_v_coverage_percent")
    assert percent.get_attribute("type") == "text"
    assert percent.get_attribute("inputmode") == "decimal"
    assert page.locator("#bounds_v_coverage_percent").inner_text() == (
        "Số, tối đa 2 chữ số sau dấu thập phân từ 0 đến 100"
    )
    percent.fill("85,5")
    page.locator("[name=v_media_reached]").fill("1.000")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_role("alert").filter(has_text="Đã lưu nháp").wait_for()
    stored = dict(Value.objects.filter(report__unit=tree.gl1).values_list("indicator__code", "number"))
    assert (stored["coverage_percent"], stored["media_reached"]) == (Decimal("85.5"), Decimal(1000))
    assert page.locator("#id_v_coverage_percent").input_value() == "85,5"
    assert page.locator("[name=v_media_reached]").input_value() == "1.000"

    # Typed the English way: refused with how to type it, what she typed kept, the summary read first.
    page.locator("#id_v_coverage_percent").fill("85.5")
    page.locator("[name=v_meeting_sessions]").fill("ba")
    page.get_by_role("button", name="Lưu nháp").click()
    page.locator("#err_v_coverage_percent").wait_for()
    assert "“85.5” có thể hiểu theo hai cách" in page.locator("#err_v_coverage_percent").inner_text()
    assert page.locator("#id_v_coverage_percent").input_value() == "85.5"
    summary = page.locator("#problems")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "problems-h"
    assert summary.get_by_role("link").all_inner_texts() == [
        "Số buổi hội nghị, hội họp có lồng ghép tuyên truyền",
        "Tỷ lệ đoàn viên được tuyên truyền",
    ]
    summary.get_by_role("link", name="Tỷ lệ đoàn viên được tuyên truyền").click()
    assert page.evaluate("document.activeElement.id") == "id_v_coverage_percent"
    assert _axe(page) == []
    screenshot(page, "filing-numbers-refused")
    assert Value.objects.get(report__unit=tree.gl1, indicator__code="coverage_percent").number == Decimal("85.5")
