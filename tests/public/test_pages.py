import re
from decimal import Decimal

import pytest

from public.enums import NewsStatus
from public.models import CityIndicator, HonouredModel


@pytest.mark.django_db
def test_home_query_count_is_bounded(client, tree, make_news, django_assert_max_num_queries):
    for i in range(20):
        make_news(title=f"Tin {i}")
    CityIndicator.objects.create(
        year=2017, par_index_rank=3, pci_rank=14, one_stop_percent=Decimal("96"), on_time_percent=Decimal("99.98")
    )
    # + the open contests section, the live campaign figures and the city directive's coverage, with their stamps
    with django_assert_max_num_queries(11):
        response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["latest_news"]) == 6
    assert "96%" in content and "99,98%" in content and "3/63" in content and "14/63" in content


@pytest.mark.django_db
def test_news_list_query_count_is_bounded(client, make_news, django_assert_max_num_queries):
    for i in range(30):
        make_news(title=f"Tin {i}")
    with django_assert_max_num_queries(4):
        response = client.get("/tin-tuc/")
    assert len(response.context["page"].object_list) == 12
    with django_assert_max_num_queries(5):
        client.get("/don-vi/HN-LDLD-GIALAM/tin-tuc/")


@pytest.mark.django_db
def test_other_public_lists_query_counts(client, tree, make_feedback, django_assert_max_num_queries):
    for i in range(15):
        HonouredModel.objects.create(title=f"Mô hình {i}", organisation="x", year=2019, summary="s", story="s")
    with django_assert_max_num_queries(4):
        assert client.get("/vinh-danh/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/phan-anh/cong-khai/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/feed/rss/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/sitemap.xml").status_code == 200


@pytest.mark.django_db
def test_news_detail_has_seo_and_open_graph(client, make_news):
    news = make_news(title="Hà Nội đẩy mạnh một cửa", summary="PAR INDEX xếp thứ 3 cả nước.")
    content = client.get(news.get_absolute_url()).content.decode()
    assert "<title>Hà Nội đẩy mạnh một cửa · LĐLĐ TP Hà Nội</title>" in content
    assert '<meta name="description" content="PAR INDEX xếp thứ 3 cả nước.">' in content
    assert '<meta property="og:title" content="Hà Nội đẩy mạnh một cửa">' in content
    assert '<meta property="og:type" content="article">' in content
    assert f'<link rel="canonical" href="http://testserver{news.get_absolute_url()}">' in content


@pytest.mark.django_db
def test_feeds_and_sitemap_list_published_only(client, make_news):
    make_news(title="Tin công khai")
    draft = make_news(title="Tin nháp", status=NewsStatus.DRAFT)
    rss = client.get("/feed/rss/").content.decode()
    atom = client.get("/feed/atom/")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "Tin công khai" in rss and "Tin nháp" not in rss
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "<loc>http://testserver/tin-tuc/tin-cong-khai/</loc>" in sitemap
    assert draft.slug not in sitemap


def test_robots_txt_points_to_sitemap(client):
    content = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Disallow: /quan-ly/" in content


@pytest.mark.django_db
def test_public_pages_answer_304_on_matching_etag(client, make_news):
    make_news(title="Tin 1")
    first = client.get("/tin-tuc/")
    etag = first["ETag"]
    assert "private" in first["Cache-Control"]
    assert client.get("/tin-tuc/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_news(title="Tin 2")
    assert client.get("/tin-tuc/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_indicators_page_renders_svg_chart_without_cdn(client):
    CityIndicator.objects.create(year=2016, par_index_rank=9, pci_rank=24)
    CityIndicator.objects.create(
        year=2017,
        par_index_rank=3,
        pci_rank=14,
        ict_rank=2,
        one_stop_percent=Decimal("96"),
        on_time_percent=Decimal("99.98"),
    )
    content = client.get("/chi-so/").content.decode()
    assert content.count("<svg") == 2
    assert "kozea.github.io" not in content and re.search(r"<script[^>]+src=\"//", content) is None
    assert '<th scope="row">2017</th>' in content
    assert "<script" not in content.split('id="charts"')[1].split("</section>")[0]


@pytest.mark.django_db
def test_home_panel_counts_for_officer(login, tree, make_news, make_feedback):
    make_news(unit=tree.gl1, status=NewsStatus.PENDING, author=tree.gl1_officer)
    make_feedback(unit=tree.gialam)
    from public.navigation import home_panels

    tree.gialam_head.__dict__.pop("active_memberships", None)
    panel = home_panels(tree.gialam_head)[0]["context"]
    assert panel == {"news_to_approve": 1, "feedback_open": 1, "may_approve": True, "may_write": True}
    assert login(tree.gialam_head).get("/me/").status_code == 200


@pytest.mark.django_db
def test_demo_loads_twice_without_duplicates(client):
    from organizations import demo as organizations_demo
    from public import demo
    from public.models import Feedback, NewsItem

    organizations_demo.load_demo()
    demo.load_demo()
    demo.load_demo()
    assert NewsItem.objects.filter(status=NewsStatus.PUBLISHED).count() == 7  # 4 from the seeds, 3 of today
    assert Feedback.objects.count() == 2
    assert CityIndicator.objects.get(year=2017).on_time_percent == Decimal("99.98")
    assert client.get("/phan-anh/cong-khai/PADEMO2019A1/").status_code == 200
    assert client.get("/phan-anh/cong-khai/PADEMO2019B2/").status_code == 404
    response = client.get("/")
    assert "LĐLĐ Thành phố trực tiếp quản lý công đoàn cơ sở sau sắp xếp tổ chức bộ máy" in response.content.decode()
    news_list = client.get("/tin-tuc/").content.decode()
    assert "Công đoàn Viên chức Thành phố chủ động tham gia cải cách hành chính" in news_list
    # The demo lives in the present: the newest news is a week old.
    from django.utils import timezone

    newest = response.context["latest_news"][0]
    assert newest.published_at.year == timezone.localdate().year
    assert (timezone.localdate() - timezone.localtime(newest.published_at).date()).days == 7


@pytest.mark.django_db
def test_admin_honoured_models_for_portal_admin_only(login, tree):
    admin_client = login(tree.admin)
    assert admin_client.get("/admin/public/honouredmodel/add/").status_code == 200
    response = admin_client.post(
        "/admin/public/honouredmodel/add/",
        {
            "title": "Mô hình <script>x</script> hay",
            "organisation": "UBND phường",
            "year": 2019,
            "area": "thu-tuc",
            "summary": "Tóm tắt",
            "story": "<p>Câu chuyện<script>alert(1)</script></p>",
            "is_published": "on",
            "position": 0,
        },
    )
    assert response.status_code == 302
    model = HonouredModel.objects.get()
    assert (model.story, model.chosen_by) == ("<p>Câu chuyện</p>", tree.admin)
    assert login(tree.gialam_head).get("/admin/public/honouredmodel/add/").status_code == 302
