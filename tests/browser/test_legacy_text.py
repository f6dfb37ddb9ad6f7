"""A citizen pastes TCVN3/VNI text into the feedback form in Chromium, clicks the suggested Unicode text
and submits: the feedback is stored in Unicode."""

import pytest

from public.forms import read_challenge

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_feedback_legacy_suggestion_filled_by_one_click(live_server, page, tree):
    from public.models import Feedback

    page.goto(f"{live_server.url}/phan-anh/")
    page.select_option("select[name=topic]", "mot-cua")
    page.fill("input[name=title]", "Haø Noäi chôø laâu")
    page.fill("textarea[name=text]", "C¶i c¸ch thñ tôc hµnh chÝnh cßn chËm ë bé phËn mét cöa")
    page.fill("input[name=name]", "Nguyễn Văn A")
    page.fill("input[name=email]", "a@example.vn")
    challenge = read_challenge(page.locator("input[name=token]").input_value())
    page.fill("input[name=challenge_answer]", str(challenge["a"] + challenge["b"]))
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_load_state()
    assert page.get_by_text("Có phải bạn muốn: «Hà Nội chờ lâu»?", exact=False).count() == 1
    assert Feedback.objects.count() == 0
    screenshot(page, "legacy-suggestion")

    # One click per field puts the Unicode text in; nothing is posted until the form is sent.
    page.locator("button[data-legacy-target=title]").click()
    page.locator("button[data-legacy-target=text]").click()
    assert page.locator("input[name=title]").input_value() == "Hà Nội chờ lâu"
    assert page.locator("textarea[name=text]").input_value() == "Cải cách thủ tục hành chính còn chậm ở bộ phận một cửa"
    assert page.locator("button[data-legacy-fill]").count() == 0
    assert Feedback.objects.count() == 0
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_load_state()
    feedback = Feedback.objects.get()
    assert (feedback.title, feedback.text) == (
        "Hà Nội chờ lâu",
        "Cải cách thủ tục hành chính còn chậm ở bộ phận một cửa",
    )
