"""Pasting a column copied from Excel into the filing form (static/reporting/paste.js) in Chromium."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.demo import standard_form_version
from reporting.models import Value
from tests.reporting.conftest import open_cycle

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A column as Excel puts it on the clipboard: one cell per line, a final line break, Vietnamese numbers.
COLUMN = "3\r\n1.200\r\n\r\n7\r\n"

PASTE = """([selector, text]) => {
  const field = document.querySelector(selector);
  field.focus();
  const data = new DataTransfer();
  data.setData("text/plain", text);
  field.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_pasting_a_column_fills_the_numeric_fields_in_order(live_server, page, tree):
    period = open_cycle(standard_form_version(), tree).periods.get()
    base = live_server.url
    login(page, base, tree.gl1_officer.email, password="pw-123456")
    page.goto(f"{base}{reverse('reporting:file_report', args=[period.pk, tree.gl1.code])}")
    names = page.eval_on_selector_all('#filing-form input[name^="v_"][inputmode]', "fields => fields.map(f => f.name)")
    assert names[:4] == ["v_media_sessions", "v_media_reached", "v_meeting_sessions", "v_meeting_reached"]
    page.evaluate(PASTE, ["[name=v_media_sessions]", COLUMN])
    assert [page.locator(f"[name={n}]").input_value() for n in names[:5]] == ["3", "1.200", "", "7", ""]
    assert page.locator("#paste-status").inner_text() == "Đã dán 4 số liệu vào các ô theo thứ tự."
    # One value pastes as usual (the browser's own paste; nothing filled beyond the field).
    page.evaluate(PASTE, ["[name=v_visual_items]", "5"])
    assert page.locator("[name=v_visual_reached]").input_value() == ""
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_role("alert").filter(has_text="Đã lưu nháp").wait_for()
    screenshot(page, "filing-excel-paste")
    stored = dict(Value.objects.filter(report__unit=tree.gl1).values_list("indicator__code", "number"))
    # The same server validation reads the pasted text the Vietnamese way.
    assert stored == {"media_sessions": Decimal(3), "media_reached": Decimal(1200), "meeting_reached": Decimal(7)}
