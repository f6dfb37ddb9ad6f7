"""Nothing renders thousands of options: at 10,000 units every form that chooses a unit holds only the
selected unit(s) as options, in a number of queries that does not depend on the size of the tree."""

import re

import pytest
from django.urls import reverse

from organizations.enums import UnitKind
from organizations.models import Unit
from organizations.services import UnitSpec, units_bulk_create_children
from public.models import NewsItem
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

DISTRICTS, GRASSROOTS_EACH = 50, 200  # with the shared tree: 10,059 units


@pytest.fixture
def city(tree):
    for d in range(DISTRICTS):
        district = make_unit(tree.federation, code=f"HN-LDLD-Q{d:02d}", name=f"Liên đoàn Lao động quận số {d}")
        specs = [
            UnitSpec(
                code=f"HN-LDLD-Q{d:02d}-{n:04d}",
                name=f"Công đoàn cơ sở Công ty số {d}-{n}",
                kind=UnitKind.GRASSROOTS_UNION,
                member_count=30,
            )
            for n in range(GRASSROOTS_EACH)
        ]
        units_bulk_create_children(parent=district, specs=specs, active_from=district.active_from)
    return tree


PAGES = [
    ("organizations:unit_reorganise", ["HN-LDLD-Q00-0001", "move"], 12),
    ("organizations:unit_reorganise", ["HN-LDLD-Q00", "split"], 12),
    ("organizations:unit_reorganise", ["HN-LDLD-Q00", "dissolve"], 12),
    ("organizations:unit_reorganise", ["HN-LDLD-Q00", "merge"], 12),
    ("directives:document_create", [], 20),
    ("directives:register", [], 20),
    ("public:manage_news_create", [], 15),
    ("reporting:cycle_open", [], 15),
]


@pytest.mark.parametrize(("name", "args", "max_queries"), PAGES)
def test_unit_choosing_pages_render_few_options_at_city_scale(
    city, login, name, args, max_queries, django_assert_max_num_queries
):
    client = login(city.admin)
    with django_assert_max_num_queries(max_queries):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    html = response.content.decode()
    # Hanoi's 126 communes and wards (a fixed list, not units) keep their filterable select.
    html = re.sub(r'<select name="addressee_area".*?</select>', "", html, flags=re.S)
    assert html.count("<option") <= 50
    assert "data-unit-picker" in html


def test_the_preview_of_a_large_split_costs_the_same_queries(city, login, django_assert_max_num_queries):
    """200 grassroots unions shared by two new units: the preview aggregates the subtree once."""
    client = login(city.admin)
    children = [f"HN-LDLD-Q00-{n:04d}" for n in range(GRASSROOTS_EACH)]
    data = {
        "parts-TOTAL_FORMS": "2",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "2",
        "parts-MAX_NUM_FORMS": "1000",
        "parts-0-code": "HN-LDLD-Q00-A",
        "parts-0-name": "Liên đoàn Lao động quận số 0 A",
        "parts-0-kind": UnitKind.DISTRICT_FEDERATION,
        "parts-0-children": children[:120],
        "parts-1-code": "HN-LDLD-Q00-B",
        "parts-1-name": "Liên đoàn Lao động quận số 0 B",
        "parts-1-kind": UnitKind.DISTRICT_FEDERATION,
        "parts-1-children": children[120:],
        "effective_on": "2025-07-01",
    }
    with django_assert_max_num_queries(30):
        response = client.post(reverse("organizations:unit_reorganise", args=["HN-LDLD-Q00", "split"]), data)
    html = response.content.decode()
    assert "120 đơn vị trực thuộc" in html
    assert "80 đơn vị trực thuộc" in html
    assert "và 110 đơn vị khác" in html
    assert '<td class="text-end">3.600</td>' in html  # 120 × 30 members


def test_news_form_at_city_scale_takes_a_unit_in_scope_and_refuses_one_outside(city, login):
    """The picker's page holds no unit list, yet the POST is validated against the same scope: the Gia Lâm
    officer writes for her union, never for one of the 10,000 others."""
    client = login(city.gialam_officer)
    url = reverse("public:manage_news_create")
    html = client.get(url).content.decode()
    assert html.count("<option") <= 50
    data = {"title": "Tập huấn cải cách hành chính", "summary": "Tóm tắt.", "body": "Nội dung tin."}
    outside = Unit.objects.get(code="HN-LDLD-Q07-0042")
    refused = client.post(url, {**data, "unit": outside.pk})
    assert refused.status_code == 200
    assert refused.context["form"].errors["unit"] == [
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert NewsItem.objects.count() == 0
    accepted = client.post(url, {**data, "unit": city.gialam.pk})
    news = NewsItem.objects.get()
    assert accepted.status_code == 302
    assert (news.unit, news.title) == (city.gialam, "Tập huấn cải cách hành chính")
