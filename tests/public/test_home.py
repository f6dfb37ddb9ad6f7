"""The public home page: the latest year's indicators and the contest open for entries, with its deadline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from campaign_portal.calendar import HANOI
from contest.enums import RoundKind
from contest.models import Contest, Round
from public.models import CityIndicator


def _contest_open_until(closes_at, *, slug="thi-2026", name="Cuộc thi sáng kiến năm 2026"):
    contest = Contest.objects.create(slug=slug, name=name, year=2026, code_prefix="ST2026")
    Round.objects.create(
        contest=contest,
        kind=RoundKind.PRELIMINARY,
        name="Vòng sơ khảo",
        submission_opens_at=timezone.now() - dt.timedelta(days=10),
        submission_closes_at=closes_at,
    )
    return contest


@pytest.mark.django_db
def test_home_shows_the_latest_indicator_year(client):
    CityIndicator.objects.create(year=2017, par_index_rank=3, pci_rank=14)
    CityIndicator.objects.create(year=2024, par_index_rank=1)
    response = client.get("/")
    assert response.context["indicator"].year == 2024
    assert "Chỉ số của Thành phố năm 2024" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_the_open_contest_with_its_deadline_and_enter_button(client):
    closes_at = dt.datetime(timezone.now().year + 1, 2, 27, 0, 0, tzinfo=HANOI)
    contest = _contest_open_until(closes_at)
    Contest.objects.create(slug="thi-2019", name="Cuộc thi năm 2019", year=2019, code_prefix="CT2019")
    content = client.get("/").content.decode()
    card = content[content.index('data-open-contest="thi-2026"') :]
    assert f"Nhận bài dự thi đến hết 23 giờ 59 ngày 26/02/{closes_at.year}" in card
    assert f'href="/contest/{contest.slug}/register/">Dự thi</a>' in card
    assert 'data-open-contest="thi-2019"' not in content


@pytest.mark.django_db
def test_home_validator_changes_when_the_contest_closes(client):
    """An anonymous visitor's cached home page must not keep showing a contest whose window has closed."""
    contest = _contest_open_until(timezone.now() + dt.timedelta(days=3))
    first = client.get("/")
    assert first.status_code == 200
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    round_ = contest.rounds.get()
    round_.submission_closes_at = timezone.now() - dt.timedelta(minutes=1)
    round_.save()
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert 'data-open-contest="thi-2026"' not in again.content.decode()


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_open_contests(client, django_assert_max_num_queries):
    CityIndicator.objects.create(year=2024, par_index_rank=1, one_stop_percent=Decimal("96"))
    for i in range(5):
        _contest_open_until(timezone.now() + dt.timedelta(days=3), slug=f"thi-{i}", name=f"Cuộc thi {i}")
    # 9 for the page and the contest, 3 for the campaign's results and the directive coverage (nothing to show).
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert len(response.context["sections"][0]["context"]["open_contests"]) == 5
