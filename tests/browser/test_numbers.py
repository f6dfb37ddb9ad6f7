"""A judge types a score the Vietnamese way in Chromium: "7,5" is stored as 7.5, "7.5" is refused and kept."""

import re
from decimal import Decimal

import pytest

from tests.contest.conftest import contest_env, make_entrant, make_entry  # noqa: F401 (contest_env: a fixture)

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_judge_types_seven_comma_five_in_chromium(live_server, page, contest_env):  # noqa: F811
    from contest import judging, services
    from contest.models import Score

    env = contest_env
    entry = make_entry(make_entrant(env.contest, email="sang.nguyen@example.vn"))
    services.entry_set_eligibility(entry=entry, eligible=True, by=env.organiser)
    assignment = judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[1], by=env.organiser)
    base = live_server.url

    login(page, base, env.judges[1].email, password="pw-123456")
    page.goto(f"{base}/contest/judge/")
    page.get_by_role("link", name=entry.code, exact=True).click()
    page.wait_for_url(re.compile(rf"/contest/judge/{assignment.pk}/$"))
    scores = page.locator("input[name^=score_]")
    assert scores.count() == 6
    first = scores.nth(0)
    assert (first.get_attribute("type"), first.get_attribute("inputmode")) == ("text", "decimal")

    # Typed with a point, as an English keyboard would: refused with how to type it, the text kept.
    first.fill("7.5")
    for i in range(1, 6):
        scores.nth(i).fill("8")
    page.get_by_role("button", name="Nộp điểm").click()
    page.wait_for_load_state()
    assert page.get_by_text("“7.5” có thể hiểu theo hai cách.", exact=False).count() == 1
    assert page.locator("input[name^=score_]").nth(0).input_value() == "7.5"
    assert not Score.objects.filter(assignment=assignment).exists()

    # Typed the Vietnamese way: stored as seven and a half, shown back as typed.
    page.locator("input[name^=score_]").nth(0).fill("7,5")
    page.get_by_role("button", name="Nộp điểm").click()
    page.wait_for_url(re.compile(rf"/contest/judge/{assignment.pk}/$"))
    assert page.get_by_role("alert").filter(has_text="Đã nộp điểm.").count() == 1
    assert page.locator("input[name^=score_]").nth(0).input_value() == "7,5"
    screenshot(page, "numbers-judge-seven-comma-five")
    assert Score.objects.get(assignment=assignment, criterion=env.criteria[0]).value == Decimal("7.5")
