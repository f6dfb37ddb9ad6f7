"""Numbers in the contest's forms, typed the Vietnamese way (or the English way in English), through the real views."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contest import judging, services
from contest.models import Assignment, PrizeTier, Score
from tests.factories import UserFactory

from .conftest import make_entrant, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoring(contest_env):
    """One eligible entry assigned to judge 2 in the open preliminary round, and that judge's browser."""
    env = contest_env
    entry = make_entry(make_entrant(env.contest, email="sang.nguyen@example.vn"))
    services.entry_set_eligibility(entry=entry, eligible=True, by=env.organiser)
    env.assignment = judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[1], by=env.organiser)
    env.url = reverse("contest:judge_assignment", args=[env.assignment.pk])
    return env


def _sheet(env, first: str, *, others: str = "8", action: str = "draft") -> dict:
    data = {f"score_{c.pk}": others for c in env.criteria[1:]}
    data.update({f"score_{env.criteria[0].pk}": first, "comment": "", "action": action})
    return data


def _english(client, url):
    client.post(reverse("set_language"), {"language": "en", "next": url})


def _input(html: str, name: str) -> str:
    """The rendered <input> of one field."""
    start = html.index(f'name="{name}"')
    return html[html.rindex("<input", 0, start) : html.index(">", start) + 1]


def test_score_typed_with_a_decimal_comma_is_stored_as_seven_and_a_half(scoring, login):
    client = login(scoring.judges[1])
    response = client.post(scoring.url, _sheet(scoring, "7,5", action="submit"))
    assert response.status_code == 302
    assert Score.objects.get(assignment=scoring.assignment, criterion=scoring.criteria[0]).value == Decimal("7.5")
    # Shown back the way it was typed, in a text field (type=number would drop the comma).
    field = _input(client.get(scoring.url).content.decode(), f"score_{scoring.criteria[0].pk}")
    assert 'type="text"' in field and 'inputmode="decimal"' in field and 'value="7,5"' in field


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("7.5", "“7.5” có thể hiểu theo hai cách. Gõ dấu phẩy trước phần thập phân (85,5)"),
        ("11", "Tối đa 10."),
        ("-1", "Tối thiểu 0."),
        ("7,2525", "Tối đa 2 chữ số sau dấu thập phân."),  # more places than the Score column holds
    ],
)
def test_score_refused_in_plain_vietnamese_and_kept_as_typed(scoring, login, typed, message):
    response = login(scoring.judges[1]).post(scoring.url, _sheet(scoring, typed))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Đảm bảo" not in html  # never Django's "Đảm bảo giá trị này ..."
    assert f'value="{typed}"' in _input(html, f"score_{scoring.criteria[0].pk}")
    assert Score.objects.filter(assignment=scoring.assignment).count() == 0


def test_score_bounds_shown_beside_the_field(scoring, login):
    html = login(scoring.judges[1]).get(scoring.url).content.decode()
    assert "Số, tối đa 2 chữ số sau dấu thập phân từ 0 đến 10." in html


def test_score_typed_the_english_way_in_english(scoring, login):
    client = login(scoring.judges[1])
    _english(client, scoring.url)
    response = client.post(scoring.url, _sheet(scoring, "7,5"))
    assert "“7,5” can be read two ways." in response.content.decode()
    html = client.post(scoring.url, _sheet(scoring, "11")).content.decode()
    assert "At most 10." in html and "Number, at most 2 decimal places from 0 to 10." in html
    response = client.post(scoring.url, _sheet(scoring, "7.5"))
    assert response.status_code == 302
    assert Score.objects.get(assignment=scoring.assignment, criterion=scoring.criteria[0]).value == Decimal("7.5")
    assert 'value="7.5"' in _input(client.get(scoring.url).content.decode(), f"score_{scoring.criteria[0].pk}")


@pytest.mark.parametrize(("language", "shown"), [("vi", "78,57"), ("en", "78.57")])
def test_judge_queue_shows_the_total_as_typed_in_each_language(
    scoring, login, language, shown, django_assert_max_num_queries
):
    client = login(scoring.judges[1])
    # 7,5 for the double-weighted first criterion and 8 for the five others: (15 + 40) / 70 on 100 = 78.571…
    client.post(scoring.url, _sheet(scoring, "7,5", action="submit"))
    assert Assignment.objects.get(pk=scoring.assignment.pk).total == Decimal("78.571")
    if language == "en":
        _english(client, scoring.url)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("contest:judge_queue")).content.decode()
    assert f"<td>{shown}</td>" in html


def test_auto_assignment_count_must_be_a_whole_number(scoring, login):
    client = login(scoring.organiser)
    url = reverse("contest:round_assign", args=[scoring.contest.slug, "preliminary"])
    html = client.get(url).content.decode()
    assert 'value="2"' in _input(html, "k") and "Số nguyên từ 1 đến 15." in html
    response = client.post(url, {"k": "1,5"})
    assert response.status_code == 200 and "Chỉ nhập số nguyên." in response.content.decode()
    response = client.post(url, {"k": "16"})
    assert "Tối đa 15." in response.content.decode()
    assert Assignment.objects.filter(round=scoring.prelim).count() == 1  # nothing assigned by the refused posts


def test_advance_count_refused_with_a_message(scoring, login):
    client = login(scoring.organiser)
    response = client.post(
        reverse("contest:advance", args=[scoring.contest.slug]), {"top_n": "0", "entries": ""}, follow=True
    )
    assert "Số bài có điểm cao nhất vào chung khảo: Tối thiểu 1." in response.content.decode()
    assert not Assignment.objects.filter(round=scoring.final).exists()


@pytest.mark.parametrize(
    ("language", "shown"), [("vi", "(2,5–10 điểm, trọng số 0,5)"), ("en", "(2.5–10 points, weight 0.5)")]
)
def test_public_page_shows_criteria_as_typed(contest_env, client, language, shown):
    criterion = contest_env.criteria[0]
    criterion.min_score, criterion.weight = Decimal("2.5"), Decimal("0.50")  # an organiser's set-up, no workflow
    criterion.save()
    url = reverse("contest:public", args=[contest_env.contest.slug])
    if language == "en":
        _english(client, url)
    assert shown in client.get(url).content.decode()


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.vn", is_staff=True, is_superuser=True)


def test_admin_criterion_weight_typed_the_vietnamese_way(contest_env, superuser, client):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    criterion = contest_env.criteria[1]
    url = reverse("admin:contest_criterion_change", args=[criterion.pk])
    form = {
        "round": contest_env.prelim.pk,
        "order": "2",
        "name": criterion.name,
        "description": "",
        "weight": "1,5",
        "min_score": "0",
        "max_score": "7,5",
    }
    assert 'value="1"' in _input(client.get(url).content.decode(), "weight")
    response = client.post(url, {**form, "weight": "1.5"})
    assert response.status_code == 200 and "“1.5” có thể hiểu theo hai cách." in response.content.decode()
    assert client.post(url, form).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.max_score) == (Decimal("1.5"), Decimal("7.5"))


def test_admin_prize_money_and_contest_weights_typed_the_vietnamese_way(contest_env, superuser, rf):
    from django.contrib import admin

    from contest.models import Contest

    request = rf.get("/")
    request.user = superuser
    contest_admin = admin.site._registry[Contest]
    contest_form = contest_admin.get_form(request, contest_env.contest)(instance=contest_env.contest)
    assert contest_form["final_written_weight"].value() == "0,4"  # the stored 0.40, the way it is typed
    prize_inline = next(i for i in contest_admin.get_inline_instances(request) if i.model is PrizeTier)
    prize_form = prize_inline.get_formset(request, contest_env.contest).form
    data = {
        "contest": contest_env.contest.pk,
        "name": "Giải Ba",
        "group": "individual",
        "quota": "3",
        "rank": "3",
        "amount": "5.000.000",
    }
    form = prize_form(data, instance=PrizeTier(contest=contest_env.contest))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == 5_000_000
    form = prize_form({**data, "amount": "5000000000"}, instance=PrizeTier(contest=contest_env.contest))
    assert not form.is_valid()
    assert form.errors["amount"] == ["Số quá lớn: tối đa 9 chữ số trước dấu thập phân."]
