"""“Cơ cấu tại ngày …”: the tree as it stood on a date, read from UnitPlacement."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import services
from organizations.enums import Role
from organizations.selectors import summary_of_children_on, unit_children_on
from tests.factories import make_unit, member

JULY_2025 = dt.date(2025, 7, 1)


@pytest.fixture
def reorganised(tree):
    """Gia Lâm dissolved on 1 July 2025, its grassroots unions moved under the city federation."""
    services.unit_dissolve(unit=tree.gialam, effective_on=JULY_2025, children_to=tree.federation, by=tree.admin)
    return tree


def _rows(children):
    return [(c.code, c.descendant_count, c.grassroots_count) for c in children]


def test_children_on_the_eve_of_the_reorganisation(reorganised):
    tree = reorganised
    children = unit_children_on(tree.federation, dt.date(2025, 6, 30))
    assert sorted(_rows(children)) == [
        ("HN-LDLD-0001", 0, 0),
        ("HN-LDLD-DONGANH", 1, 1),
        ("HN-LDLD-GIALAM", 2, 2),
    ]
    city = unit_children_on(tree.city, dt.date(2025, 6, 30))
    assert _rows(city) == [("HN-LDLD", 6, 4)]
    assert summary_of_children_on(city) == {
        "by_kind": [("Công đoàn cơ sở", 4), ("LĐLĐ Thành phố", 1), ("LĐLĐ quận, huyện, thị xã", 2)],
        "total": 7,
    }


def test_children_from_the_reorganisation_day(reorganised):
    tree = reorganised
    children = unit_children_on(tree.federation, JULY_2025)
    assert sorted(_rows(children)) == [
        ("HN-LDLD-0001", 0, 0),
        ("HN-LDLD-DONGANH", 1, 1),
        ("HN-LDLD-GIALAM-0001", 0, 0),
        ("HN-LDLD-GIALAM-0002", 0, 0),
    ]
    assert unit_children_on(tree.gialam, JULY_2025) is None
    assert unit_children_on(tree.federation, dt.date(2017, 12, 31)) is None


def test_tree_page_on_a_date_shows_dissolved_units_then(reorganised, login, django_assert_max_num_queries):
    tree = reorganised
    client = login(tree.city_head)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("organizations:unit_tree"), {"on": "30/06/2025"})
    content = page.content.decode()
    assert page.status_code == 200
    assert "Cơ cấu tổ chức tại ngày 30/06/2025" in content
    assert "Liên đoàn Lao động huyện Gia Lâm" in content
    assert "nay đã giải thể (từ 01/07/2025)" in content
    assert 'value="30/06/2025"' in content
    expand = client.get(reverse("organizations:unit_children", args=[tree.gialam.code]), {"on": "30/06/2025"})
    assert expand.status_code == 200
    assert "Công đoàn cơ sở UBND thị trấn Trâu Quỳ" in expand.content.decode()
    today = client.get(reverse("organizations:unit_tree")).content.decode()
    assert "Liên đoàn Lao động huyện Gia Lâm" not in today


def test_tree_page_on_a_date_queries_do_not_grow_with_units(reorganised, login):
    tree = reorganised
    client = login(tree.city_head)
    url = reverse("organizations:unit_tree")
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"on": "30/06/2025"})
    for n in range(8):
        make_unit(tree.donganh, member_count=n)
    member(tree.donganh, Role.OFFICER)
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"on": "30/06/2025"})
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("typed", ["2025-06-30", "31/02/2025", "01/01/2999"])
def test_tree_date_refuses_what_it_cannot_read(tree, login, typed):
    page = login(tree.city_head).get(reverse("organizations:unit_tree"), {"on": typed})
    content = page.content.decode()
    assert page.status_code == 200
    assert 'role="alert"' in content
    assert "Cơ cấu tổ chức tại ngày" not in content


def test_tree_on_a_date_stays_inside_the_users_units(reorganised, login):
    response = login(reorganised.donganh_head).get(
        reverse("organizations:unit_children", args=[reorganised.gialam.code]), {"on": "30/06/2025"}
    )
    assert response.status_code == 404
