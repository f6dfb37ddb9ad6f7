import datetime as dt
import re

import pytest
from django.urls import reverse

from organizations.enums import Role, UnitKind
from organizations.models import Membership, Unit
from organizations.services import UnitSpec, units_bulk_create_children


def detail(unit):
    return reverse("organizations:unit_detail", args=[unit.code])


def test_officer_sees_her_unit(tree, login):
    response = login(tree.gl1_officer).get(detail(tree.gl1))
    assert response.status_code == 200
    assert tree.gl1.name in response.content.decode()


def test_officer_cannot_see_a_sibling_unit(tree, login):
    assert login(tree.gl1_officer).get(detail(tree.gl2)).status_code == 404


def test_officer_cannot_see_her_parent_unit(tree, login):
    assert login(tree.gl1_officer).get(detail(tree.gialam)).status_code == 404


def test_district_head_sees_only_her_subtree(tree, login):
    client = login(tree.gialam_head)
    assert client.get(detail(tree.gl2)).status_code == 200
    assert client.get(detail(tree.da1)).status_code == 404
    assert client.get(detail(tree.donganh)).status_code == 404


def test_outsider_and_anonymous_are_refused(tree, client, login):
    assert client.get(detail(tree.gl1)).status_code == 302
    assert login(tree.outsider).get(detail(tree.gl1)).status_code == 404


def test_members_are_listed_to_the_head_but_not_to_a_grassroots_officer(tree, login):
    head_page = login(tree.gialam_head).get(detail(tree.gl1)).content.decode()
    assert tree.gl1_officer.email in head_page
    officer_page = login(tree.gl1_officer).get(detail(tree.gl1)).content.decode()
    assert tree.gl1_officer.email not in officer_page


def test_officer_cannot_change_units_or_memberships(tree, login):
    client = login(tree.gialam_head)
    assert client.post(reverse("organizations:unit_edit", args=[tree.gl1.code]), {"name": "X"}).status_code == 404
    url = reverse("organizations:membership_add", args=[tree.gl1.code])
    assert client.post(url, {"email": "x@example.vn", "full_name": "X", "role": Role.OFFICER}).status_code == 404
    membership = Membership.objects.get(user=tree.gl1_officer)
    url = reverse("organizations:membership_revoke", args=[tree.gl1.code, membership.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.get(pk=membership.pk).is_active


def test_admin_moves_a_unit_with_an_effective_date(tree, login):
    url = reverse("organizations:unit_reorganise", args=[tree.gl1.code, "move"])
    client = login(tree.admin)
    data = {"new_parent": tree.federation.code, "effective_on": "2025-07-01", "note": ""}
    preview = client.post(url, data)
    assert preview.status_code == 200  # the preview: nothing moved yet
    token = re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)
    response = client.post(url, {**data, "token": token, "confirm": "1"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM-0001/"


def test_reorganise_error_keeps_what_was_typed(tree, login):
    url = reverse("organizations:unit_reorganise", args=[tree.gialam.code, "dissolve"])
    response = login(tree.admin).post(url, {"effective_on": "2025-07-01", "note": "Theo Nghị quyết số 123"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "chọn nơi chuyển" in body
    assert "Theo Nghị quyết số 123" in body
    assert Unit.objects.get(pk=tree.gialam.pk).dissolved_on is None


def test_reorganise_is_post_only_for_changes(tree, login):
    url = reverse("organizations:unit_reorganise", args=[tree.gl1.code, "move"])
    assert (
        login(tree.admin).get(url, {"new_parent": tree.federation.code, "effective_on": "2025-07-01"}).status_code
        == 200
    )
    assert Unit.objects.get(pk=tree.gl1.pk).lineage.startswith("/HN/HN-LDLD/HN-LDLD-GIALAM/")


def test_admin_grants_a_membership_to_a_new_person(tree, login):
    url = reverse("organizations:membership_add", args=[tree.gl1.code])
    response = login(tree.admin).post(url, {"email": "Moi@Example.vn", "full_name": "Người Mới", "role": Role.OFFICER})
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="moi@example.vn", unit=tree.gl1, role=Role.OFFICER).count() == 1


def test_membership_history_is_recorded(tree):
    membership = Membership.objects.get(user=tree.gl1_officer)
    membership.is_active = False
    membership.save()
    assert membership.history.count() == 2


def test_tree_search_is_accent_insensitive(tree, login):
    response = login(tree.admin).get(reverse("organizations:unit_tree"), {"q": "dong anh"})
    body = response.content.decode()
    assert "Liên đoàn Lao động huyện Đông Anh" in body
    assert "Gia Lâm" not in body


def test_tree_search_only_finds_visible_units(tree, login):
    response = login(tree.gl1_officer).get(reverse("organizations:unit_tree"), {"q": "cong doan co so"})
    body = response.content.decode()
    assert tree.gl1.name in body
    assert tree.gl2.name not in body


def test_tree_page_query_count_is_bounded_at_scale(tree, login, django_assert_max_num_queries):
    for district in (tree.gialam, tree.donganh):
        units_bulk_create_children(
            parent=district,
            specs=[
                UnitSpec(code=f"{district.code}-X{i}", name=f"CĐCS {i}", kind=UnitKind.GRASSROOTS_UNION)
                for i in range(300)
            ],
            active_from=dt.date(2020, 1, 1),
        )
    client = login(tree.admin)
    client.get(reverse("organizations:unit_tree"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organizations:unit_tree"))
    assert "604 CĐCS" in response.content.decode()  # 2 + 1 + 1 in the fixture, 600 added
    with django_assert_max_num_queries(15):
        assert client.get(detail(tree.gialam)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("organizations:unit_children", args=[tree.gialam.code])).status_code == 200


def test_health_reports_database_and_broker(client, db):
    response = client.get(reverse("health"))
    data = response.json()
    assert data["database"]["ok"] is True
    assert response.status_code == (200 if data["broker"]["ok"] else 503)


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("language,expected", [("vi", "Đơn vị của tôi"), ("en", "My units")])
def test_home_in_the_chosen_language_is_remembered(tree, login, language, expected):
    client = login(tree.gl1_officer)
    client.post(reverse("set_language"), {"language": language, "next": reverse("home")})
    response = client.get(reverse("home"))
    assert expected in response.content.decode()


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(tree, login):
    client = login(tree.gl1_officer)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đơn vị của tôi" in body
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert "My units" in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
