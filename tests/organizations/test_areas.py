"""Hanoi's communes and wards (Nghị quyết 1656/NQ-UBTVQH15) and the units' effective-dated coverage."""

import datetime as dt
import unicodedata

import pytest
from django.core.management import call_command
from django.db.models import OuterRef
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from campaign_portal.xlsx import rows_xlsx
from organizations import area_io, selectors
from organizations.data import AREAS_VALID_FROM, hanoi_areas, hanoi_areas_load
from organizations.enums import AreaKind
from organizations.models import AdministrativeArea, Unit, UnitCoverage, UnitPlacement
from organizations.services import unit_coverage_set, unit_dissolve
from tests.conftest import DONG_DA, GIA_LAM, JULY, KIM_LIEN


def test_data_file_is_the_confirmed_list_of_126():
    rows = hanoi_areas()
    assert len(rows) == 126
    assert sum(r["kind"] == AreaKind.WARD for r in rows) == 51
    assert sum(r["kind"] == AreaKind.COMMUNE for r in rows) == 75
    assert len({r["code"] for r in rows}) == 126
    assert all(len(r["code"]) == 5 and r["code"].isdigit() for r in rows)
    assert all(unicodedata.is_normalized("NFC", r["name"]) for r in rows)
    assert all(r["name"].startswith({"phuong": "Phường ", "xa": "Xã "}[r["kind"]]) for r in rows)


def test_migration_loaded_every_area(db):
    assert AdministrativeArea.objects.count() == 126
    assert AdministrativeArea.objects.filter(kind=AreaKind.WARD).count() == 51
    assert AdministrativeArea.objects.filter(kind=AreaKind.COMMUNE).count() == 75
    kim_lien = AdministrativeArea.objects.get(code=KIM_LIEN)
    assert (kim_lien.name, kim_lien.kind, kim_lien.province_code) == ("Phường Kim Liên", AreaKind.WARD, "01")
    assert (kim_lien.valid_from, kim_lien.valid_to) == (AREAS_VALID_FROM, None)
    assert kim_lien.short_name == "Kim Liên"
    assert AdministrativeArea.objects.get(code="10489").name == "Xã Hương Sơn"


def test_loading_again_adds_only_what_is_missing_and_keeps_admins_changes(db):
    # A newer official list, imported by an admin, ends Kim Liên.
    data = rows_xlsx([area_io.COLUMNS, [KIM_LIEN, "Phường Kim Liên", "phuong", "01", "01/07/2025", "01/01/2027"]])
    assert area_io.areas_import_xlsx(data=data).updated == 1
    assert hanoi_areas_load(AdministrativeArea) == 0
    assert AdministrativeArea.objects.get(code=KIM_LIEN).valid_to == dt.date(2027, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_areas_are_back_after_a_flush():
    """Tests that truncate every table (and a restore into an emptied database) find the areas again."""
    call_command("flush", interactive=False, verbosity=0)
    assert AdministrativeArea.objects.count() == 126
    assert AdministrativeArea.objects.get(code=KIM_LIEN).search_text == "phuong kim lien 00229"


def test_search_is_accent_insensitive(db):
    assert [a.code for a in selectors.areas_search(query="kim lien")] == [KIM_LIEN]
    assert [a.code for a in selectors.areas_search(query="KIM LIÊN")] == [KIM_LIEN]
    assert [a.name for a in selectors.areas_search(query="dong da")] == ["Phường Đống Đa"]
    assert [a.code for a in selectors.areas_search(query="00229")] == [KIM_LIEN]
    assert [a.name for a in selectors.areas_search(query="van mieu")] == ["Phường Văn Miếu - Quốc Tử Giám"]


def test_areas_sort_by_proper_name_the_vietnamese_way(db):
    names = [a.short_name for a in selectors.areas_valid_on(JULY)]
    # Letters first (a < ă < â, c < t), tones only break ties.
    assert names[:6] == ["An Khánh", "Ba Đình", "Ba Vì", "Bạch Mai", "Bát Tràng", "Bất Bạt"]
    assert selectors.areas_valid_on(dt.date(2025, 6, 30)).count() == 0


def test_coverage_set_twice_keeps_history(communes):
    union = communes.dongda_union
    later = dt.date(2025, 10, 1)
    unit_coverage_set(unit=union, area_codes=[DONG_DA], valid_from=later)
    rows = list(
        UnitCoverage.objects.filter(unit=union)
        .order_by("area__code", "valid_from")
        .values_list("area__code", "valid_from", "valid_to")
    )
    assert rows == [(KIM_LIEN, JULY, later), (DONG_DA, JULY, None)]
    assert [a.code for a in selectors.areas_covered_by(union, JULY)] == [DONG_DA, KIM_LIEN]
    assert [a.code for a in selectors.areas_covered_by(union, later - dt.timedelta(days=1))] == [DONG_DA, KIM_LIEN]
    assert [a.code for a in selectors.areas_covered_by(union, later)] == [DONG_DA]
    assert selectors.areas_covered_by(union, dt.date(2025, 6, 30)) == []


def test_coverage_replaced_then_added_back_opens_a_new_row(communes):
    union = communes.dongda_union
    unit_coverage_set(unit=union, area_codes=[DONG_DA], valid_from=dt.date(2025, 9, 1))
    unit_coverage_set(unit=union, area_codes=[DONG_DA, KIM_LIEN], valid_from=dt.date(2025, 11, 1))
    rows = list(
        UnitCoverage.objects.filter(unit=union, area__code=KIM_LIEN)
        .order_by("valid_from")
        .values_list("valid_from", "valid_to")
    )
    assert rows == [(JULY, dt.date(2025, 9, 1)), (dt.date(2025, 11, 1), None)]
    assert selectors.areas_covered_by(union, dt.date(2025, 10, 1)) == [AdministrativeArea.objects.get(code=DONG_DA)]


def test_coverage_same_day_correction_leaves_no_empty_row(communes):
    union = communes.gialam_union
    unit_coverage_set(unit=union, area_codes=[GIA_LAM], valid_from=JULY)
    assert list(UnitCoverage.objects.filter(unit=union).values_list("area__code", "valid_from", "valid_to")) == [
        (GIA_LAM, JULY, None)
    ]


def test_coverage_refuses_unknown_codes_past_dates_and_future(communes):
    union = communes.dongda_union
    unit_coverage_set(unit=union, area_codes=[DONG_DA], valid_from=dt.date(2025, 9, 1))
    with pytest.raises(PortalError, match="99999"):
        unit_coverage_set(unit=union, area_codes=["99999"], valid_from=dt.date(2025, 10, 1))
    with pytest.raises(PortalError, match="01/09/2025"):
        unit_coverage_set(unit=union, area_codes=[KIM_LIEN], valid_from=dt.date(2025, 8, 1))
    with pytest.raises(PortalError, match="sau ngày hôm nay"):
        unit_coverage_set(unit=union, area_codes=[KIM_LIEN], valid_from=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(PortalError, match="Kim Liên"):
        unit_coverage_set(unit=communes.gl1, area_codes=[KIM_LIEN], valid_from=dt.date(2024, 1, 1))
    assert UnitCoverage.objects.filter(unit=union, valid_to__isnull=True).count() == 1


def test_coverage_refused_after_dissolution(communes):
    unit_dissolve(unit=communes.gialam, effective_on=JULY, children_to=communes.gialam_union)
    with pytest.raises(PortalError, match="giải thể"):
        unit_coverage_set(unit=communes.gialam, area_codes=[GIA_LAM], valid_from=JULY)


def test_units_in_area_q_on_units_and_on_a_relation(communes):
    kim_lien = AdministrativeArea.objects.get(code=KIM_LIEN)
    unit_coverage_set(unit=communes.gl1, area_codes=[KIM_LIEN], valid_from=dt.date(2025, 8, 1))
    unit_coverage_set(unit=communes.gl2, area_codes=[KIM_LIEN, DONG_DA], valid_from=JULY)
    in_kim_lien = {"HN-LDLD-CDP-DONGDA", "HN-LDLD-CDP-DONGDA-0001", "HN-LDLD-CDP-DONGDA-0002"}
    on_july = set(Unit.objects.filter(selectors.units_in_area_q(kim_lien, JULY)).values_list("code", flat=True))
    assert on_july == in_kim_lien | {"HN-LDLD-GIALAM-0002"}
    on_aug = set(
        Unit.objects.filter(selectors.units_in_area_q(kim_lien, dt.date(2025, 8, 1))).values_list("code", flat=True)
    )
    assert on_aug == in_kim_lien | {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"}
    # On a relation, each row checked on its own date: Gia Lâm's grassroots unions' placements
    # began in 2018, before any coverage; the commune union's and its own on 1 July 2025.
    placements = UnitPlacement.objects.filter(
        selectors.units_in_area_q(kim_lien, OuterRef("valid_from"), prefix="unit__")
    )
    assert sorted(placements.values_list("unit__code", flat=True)) == sorted(in_kim_lien)


# ---------------------------------------------------------------- pages


def test_unit_page_shows_coverage_and_its_history(communes, login, django_assert_max_num_queries):
    union = communes.dongda_union
    unit_coverage_set(unit=union, area_codes=[DONG_DA], valid_from=dt.date(2025, 9, 1))
    client = login(communes.admin)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("organizations:unit_detail", args=[union.code]))
    assert response.status_code == 200
    assert [c.area.code for c in response.context["coverage_now"]] == [DONG_DA]
    html = response.content.decode()
    assert 'Phường Đống Đa <span class="text-muted small">(từ 01/07/2025)</span>' in html
    assert "Phường Kim Liên (00229): từ 01/07/2025 đến trước 01/09/2025" in html


def test_admin_sets_coverage_on_the_unit_form(communes, login):
    client = login(communes.admin)
    url = reverse("organizations:unit_coverage", args=[communes.gl1.code])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-filter-options="id_areas"' in page.content.decode()
    response = client.post(url, {"areas": [KIM_LIEN, DONG_DA], "valid_from": "2025-08-01"})
    assert response.status_code == 302
    assert [a.code for a in selectors.areas_covered_by(communes.gl1, dt.date(2025, 8, 1))] == [DONG_DA, KIM_LIEN]
    assert UnitCoverage.objects.get(unit=communes.gl1, area__code=KIM_LIEN).created_by == communes.admin
    # A date before the last change is refused beside its field; nothing changes.
    response = client.post(url, {"areas": [KIM_LIEN], "valid_from": "2025-07-15"})
    assert response.status_code == 200
    assert response.context["form"].errors["valid_from"] == [
        "Ngày hiệu lực phải từ 01/08/2025 trở đi (lần thay đổi địa bàn gần nhất)."
    ]
    assert UnitCoverage.objects.filter(unit=communes.gl1, valid_to__isnull=True).count() == 2


def test_coverage_form_denied_to_the_units_own_officer_and_outsiders(communes, login):
    url = reverse("organizations:unit_coverage", args=[communes.gl1.code])
    for user in (communes.gl1_officer, communes.gialam_head, communes.outsider):
        client = login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"areas": [KIM_LIEN], "valid_from": "2025-08-01"}).status_code == 404
    assert UnitCoverage.objects.filter(unit=communes.gl1).count() == 0
