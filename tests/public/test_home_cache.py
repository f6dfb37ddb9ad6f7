"""The public home page's content is kept in the cache under the stamps of what it shows: a visitor after an
unchanged one costs only the stamps' queries, and a changed figure or news item is on the very next page."""

import datetime as dt

import pytest
from django.test import Client

from public.services import news_unpublish
from reporting import services
from tests.public.test_home_live_figures import closed_results  # noqa: F401  (fixture)
from tests.reporting.conftest import clock

pytestmark = pytest.mark.django_db


def _campaign_section(response) -> str:
    content = response.content.decode()
    return content[content.index("data-campaign-results") :]


def test_an_unchanged_home_costs_only_its_stamps(client, tree, closed_results, django_assert_num_queries):  # noqa: F811
    first = client.get("/")
    # The public tables' stamp and the stamps of the three sections (campaign results, directive, contests).
    with django_assert_num_queries(4):
        again = client.get("/")
    assert again.status_code == 200
    assert _campaign_section(again) == _campaign_section(first)
    assert "1.260" in _campaign_section(again)


def test_a_newly_approved_report_is_on_the_next_home_page(client, tree, closed_results):  # noqa: F811
    assert "1.260" in _campaign_section(client.get("/"))
    with clock(closed_results.ends_on + dt.timedelta(days=2)):
        services.report_approve(report=closed_results.reports.get(unit=tree.da1), by=tree.donganh_head)
    section = _campaign_section(client.get("/"))
    assert "10.260" in section and "1.260" not in section


def test_unpublished_news_leaves_the_home_page_at_once(client, tree, make_news):
    news = make_news(title="Tin sắp gỡ xuống")
    assert "Tin sắp gỡ xuống" in client.get("/").content.decode()
    news_unpublish(news=news, by=tree.admin, note="Sai số liệu")
    assert "Tin sắp gỡ xuống" not in client.get("/").content.decode()


def test_each_language_has_its_own_copy(client, tree, make_news):
    make_news(title="Tin song ngữ")
    assert "Tin mới" in client.get("/").content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    content = english.get("/").content.decode()
    assert "Latest news" in content and "Tin mới" not in content
    assert "Tin song ngữ" in content


def test_a_signed_in_officer_sees_the_same_fresh_content(client, tree, make_news):
    client.get("/")  # an anonymous visitor fills the cache
    make_news(title="Tin mới đăng cho cán bộ")
    officer = Client()
    officer.force_login(tree.gl1_officer)
    assert "Tin mới đăng cho cán bộ" in officer.get("/").content.decode()
