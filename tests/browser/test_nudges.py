"""A district head ticks two late units on the cascade page in Chromium and reminds them with one tap."""

import pytest

from directives.enums import AddresseeMode
from directives.models import DeliveryReminder
from directives.services import document_create, document_issue
from tests.directives.conftest import at, draft_data

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_ticks_two_late_units_and_reminds_them(live_server, page, tree):
    draft = document_create(
        issuing_unit=tree.federation, by=tree.city_officer, data=draft_data(addressee_mode=AddresseeMode.SUBTREE)
    )
    plan = document_issue(document=draft, by=tree.city_officer, now=at(draft.issued_on))  # due 30/09/2019: late
    base = live_server.url
    login(page, base, tree.gialam_head.email, "pw-123456")
    page.goto(f"{base}/directives/{plan.pk}/cascade/")
    page.get_by_label(f"Chọn {tree.gl1.name} để đôn đốc").check()
    page.get_by_label(f"Chọn {tree.gl2.name} để đôn đốc").check()
    page.get_by_role("button", name="Đôn đốc các đơn vị đã chọn").click()
    page.wait_for_url(f"{base}/directives/{plan.pk}/cascade/")
    assert page.get_by_text("Đã đôn đốc 2 đơn vị.").is_visible()
    screenshot(page, "cascade-reminded")
    assert sorted(DeliveryReminder.objects.values_list("unit__code", flat=True)) == [
        "HN-LDLD-GIALAM-0001",
        "HN-LDLD-GIALAM-0002",
    ]
