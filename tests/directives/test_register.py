"""The outgoing-documents register (Sổ văn bản đi) as each kind of user opens it: a portal admin
used to get a 500 ("Cannot combine a unique query with a non-unique query")."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from directives.selectors import register_units_for
from organizations.services import unit_dissolve
from tests.factories import UserFactory


def _choices(response) -> list[str]:
    return [unit.code for unit in response.context["form"].fields["unit"].queryset]


def _xlsx_rows(response) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def issued(tree, make_document):
    """One issued document each for Gia Lâm and Đông Anh (2019), and a draft of the city federation."""
    make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    make_document(unit=tree.donganh, by=tree.donganh_head, issue=True)
    make_document(unit=tree.federation, by=tree.city_officer)
    return tree


@pytest.mark.parametrize("who", ["portal_admin", "superuser"])
def test_register_portal_admin_opens_every_issuing_unit(issued, login, who, django_assert_max_num_queries):
    tree = issued
    if who == "superuser":
        user, own = UserFactory(email="root@example.vn", is_superuser=True, is_staff=True), []
    else:
        user, own = tree.admin, ["HN-LDLD"]  # her own unit (no issued document) is offered too
    client = login(user)
    with django_assert_max_num_queries(10):
        response = client.get("/directives/register/")
    assert response.status_code == 200
    assert _choices(response) == [*own, "HN-LDLD-GIALAM", "HN-LDLD-DONGANH"]
    assert response.context["form"].data["unit"] == str(tree.federation.pk if own else tree.gialam.pk)
    with django_assert_max_num_queries(10):
        response = client.get(f"/directives/register/?unit={tree.donganh.pk}&year=2019")
    assert [d.number_symbol for d in response.context["entries"]] == ["01/KH-LĐLĐ"]
    assert response.context["years"] == [2019]
    with django_assert_max_num_queries(10):
        response = client.get(f"/directives/register.xlsx?unit={tree.gialam.pk}&year=2019")
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert rows[0][:2] == ("Số", "Số, ký hiệu")
    assert [row[:2] for row in rows[1:]] == [(1, "01/KH-LĐLĐ")]
    assert response["Content-Disposition"] == 'attachment; filename="so-van-ban-di-HN-LDLD-GIALAM-2019.xlsx"'


def test_register_unit_clerk_sees_only_her_unit(issued, login, django_assert_max_num_queries):
    tree = issued
    client = login(tree.gialam_officer)
    with django_assert_max_num_queries(10):
        response = client.get("/directives/register/")
    assert response.status_code == 200
    assert _choices(response) == ["HN-LDLD-GIALAM"]
    assert response.context["form"].data["year"] == str(timezone.localdate().year)
    response = client.get(f"/directives/register/?unit={tree.gialam.pk}&year=2019")
    assert [d.number_symbol for d in response.context["entries"]] == ["01/KH-LĐLĐ"]
    response = client.get(f"/directives/register.xlsx?unit={tree.gialam.pk}&year=2019")
    assert [row[:2] for row in _xlsx_rows(response)[1:]] == [(1, "01/KH-LĐLĐ")]
    # Another unit's register is not offered: the page lists nothing, the export answers 404.
    response = client.get(f"/directives/register/?unit={tree.donganh.pk}&year=2019")
    assert (response.status_code, response.context["entries"]) == (200, [])
    assert client.get(f"/directives/register.xlsx?unit={tree.donganh.pk}&year=2019").status_code == 404


def test_register_former_member_of_dissolved_unit_keeps_its_register(issued, login):
    """The rule lets a member of a dissolved unit read its past: the register offers that unit too."""
    tree = issued
    unit_dissolve(unit=tree.donganh, effective_on=dt.date(2024, 1, 1), by=tree.admin, children_to=tree.gialam)
    client = login(tree.donganh_head)
    response = client.get(f"/directives/register/?unit={tree.donganh.pk}&year=2019")
    assert response.status_code == 200
    assert _choices(response) == ["HN-LDLD-DONGANH"]
    assert [d.number_symbol for d in response.context["entries"]] == ["01/KH-LĐLĐ"]


def test_register_units_for_outsider_is_empty(tree, login):
    assert list(register_units_for(tree.outsider)) == []
    response = login(tree.outsider).get("/directives/register/")
    assert (response.status_code, _choices(response), response.context["entries"]) == (200, [], [])
