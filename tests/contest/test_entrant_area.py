"""The contestant's commune/ward is a choice of today's communes and wards (it was a free-text district): registration,
a refused forged id, the migration's mapping of the old texts, the organiser's filter, and judges still blind to it."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from contest import judging
from contest.legacy_areas import area_for_legacy_district, map_legacy_districts
from contest.models import Entrant, Entry
from organizations.models import AdministrativeArea, User

from .conftest import make_eligible, make_entrant, make_entry

CAU_GIAY, O_CHO_DUA = "00166", "00190"


def _area(code):
    return AdministrativeArea.objects.get(code=code)


def _register_data(**overrides):
    return {
        "full_name": "Phạm Thị Đăng Ký",
        "email": "dangky@example.vn",
        "password1": "mot-mat-khau-dai-9",
        "password2": "mot-mat-khau-dai-9",
        "kind": "individual",
        "eligibility": "citizen",
        "declare": "on",
        **overrides,
    }


def test_registration_stores_the_chosen_area(contest_env, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contest:register", args=[contest_env.contest.slug]), _register_data(area=CAU_GIAY)
        )
    assert response.status_code == 200
    entrant = Entrant.objects.get(user__email="dangky@example.vn")
    assert entrant.area == _area(CAU_GIAY)


def test_register_form_offers_todays_communes_and_wards(contest_env, client):
    content = client.get(reverse("contest:register", args=[contest_env.contest.slug])).content.decode()
    assert f'<option value="{CAU_GIAY}">Phường Cầu Giấy ({CAU_GIAY})</option>' in content
    live = AdministrativeArea.objects.filter(valid_to__isnull=True).count()
    assert len(re.findall(r'<option value="\d{5}"', content)) == live


def test_a_forged_area_is_refused_in_vietnamese_keeping_what_was_typed(contest_env, client):
    response = client.post(reverse("contest:register", args=[contest_env.contest.slug]), _register_data(area="99999"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Hãy chọn một phường, xã trong danh sách." in content
    assert 'value="Phạm Thị Đăng Ký"' in content and 'value="dangky@example.vn"' in content
    assert not User.objects.filter(email="dangky@example.vn").exists()


def test_join_shows_and_changes_the_entrants_area(contest_env, login):
    entrant = make_entrant(contest_env.contest, area=_area(CAU_GIAY))
    client = login(entrant.user)
    url = reverse("contest:join", args=[contest_env.contest.slug])
    assert f'<option value="{CAU_GIAY}" selected>' in client.get(url).content.decode()
    data = {"kind": "individual", "eligibility": "citizen", "declare": "on", "area": O_CHO_DUA}
    assert client.post(url, data).status_code == 302
    entrant.refresh_from_db()
    assert entrant.area == _area(O_CHO_DUA)


def _named(*names):
    return [SimpleNamespace(name=name) for name in names]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("quận Cầu Giấy", "Phường Cầu Giấy"),
        ("Cau giay", "Phường Cầu Giấy"),
        ("  Huyện   Gia Lâm ", "Xã Gia Lâm"),
        ("Phường Ô Chợ Dừa", "Phường Ô Chợ Dừa"),
        ("Quận 5", None),  # no area of that name
        ("Sơn Đồng", None),  # a ward and a commune of the same name: ambiguous
        ("", None),
    ],
)
def test_legacy_district_maps_to_exactly_one_area_by_folded_name(typed, expected):
    areas = _named("Phường Cầu Giấy", "Xã Gia Lâm", "Phường Ô Chợ Dừa", "Phường Sơn Đồng", "Xã Sơn Đồng")
    area = area_for_legacy_district(typed, areas)
    assert (area.name if area else None) == expected


@pytest.mark.django_db
def test_the_migration_maps_entrants_and_entries_and_keeps_unmatched_text(contest_env):
    matched = make_entrant(contest_env.contest, email="a@example.vn")
    unmatched = make_entrant(contest_env.contest, email="b@example.vn")
    entry = make_entry(matched)
    # The text typed before the change, as the rename left it (what the data migration then reads).
    Entrant.objects.filter(pk=matched.pk).update(legacy_district="quận Cầu Giấy")
    Entrant.objects.filter(pk=unmatched.pk).update(legacy_district="Quận 5")
    Entry.objects.filter(pk=entry.pk).update(legacy_district="quận Cầu Giấy", area=None)
    assert map_legacy_districts(Entrant, Entry, AdministrativeArea) == 2
    matched.refresh_from_db(), unmatched.refresh_from_db(), entry.refresh_from_db()
    assert (matched.area, matched.legacy_district) == (_area(CAU_GIAY), "")
    assert (entry.area, entry.legacy_district) == (_area(CAU_GIAY), "")
    assert (unmatched.area, unmatched.legacy_district) == (None, "Quận 5")


def test_organiser_filters_entries_by_area_and_sees_unmatched_text(contest_env, login):
    in_cau_giay = make_entry(make_entrant(contest_env.contest, email="a@example.vn", area=_area(CAU_GIAY)))
    elsewhere = make_entry(make_entrant(contest_env.contest, email="b@example.vn", area=_area(O_CHO_DUA)))
    legacy = make_entrant(contest_env.contest, email="c@example.vn")
    Entrant.objects.filter(pk=legacy.pk).update(legacy_district="Quận 5")  # as the migration left it
    legacy_entry = make_entry(Entrant.objects.get(pk=legacy.pk))
    client = login(contest_env.organiser)
    url = reverse("contest:manage_entries", args=[contest_env.contest.slug])
    content = client.get(url, {"area": CAU_GIAY}).content.decode()
    assert in_cau_giay.code in content and elsewhere.code not in content and legacy_entry.code not in content
    everything = client.get(url).content.decode()
    assert "Quận 5" in everything and "(ghi trước khi chọn phường, xã)" in everything
    assert all(e.code in everything for e in (in_cau_giay, elsewhere, legacy_entry))


def test_judges_never_see_the_entrants_area(contest_env, login):
    entry = make_eligible(contest_env, make_entry(make_entrant(contest_env.contest, area=_area(O_CHO_DUA))))
    assignment = judging.assignment_create(round_=contest_env.prelim, entry=entry, judge=contest_env.judges[1])
    client = login(contest_env.judges[1])
    for url in (reverse("contest:judge_queue"), reverse("contest:judge_assignment", args=[assignment.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "Ô Chợ Dừa" not in response.content.decode()
