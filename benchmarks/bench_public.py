"""Public pages at scale (run `manage.py generate_scale --grassroots 10000` first: public.scale
adds 1,000 published news items, 200 published feedback, 50 honoured models)."""

from _harness import HttpsClient, measure

from public.models import Feedback, NewsItem

print(
    f"published news: {NewsItem.objects.filter(status='published').count()}, "
    f"published feedback: {Feedback.objects.filter(is_published=True).count()}"
)
client = HttpsClient()


def ok(url, status=200, **headers):
    def run():
        response = client.get(url, **headers)
        assert response.status_code == status, (url, response.status_code)

    return run


measure("GET / (home, anonymous)", ok("/"))
etag = client.get("/")["ETag"]
measure("GET / with If-None-Match (304)", ok("/", 304, HTTP_IF_NONE_MATCH=etag))
measure("GET /tin-tuc/ (news list, page 1)", ok("/tin-tuc/"))
measure("GET /tin-tuc/?page=50", ok("/tin-tuc/?page=50"))
slug = NewsItem.objects.filter(status="published").order_by("-published_at").values_list("slug", flat=True)[500]
measure("GET /tin-tuc/<slug>/ (detail)", ok(f"/tin-tuc/{slug}/"))
measure("GET /don-vi/HN-LDLD/tin-tuc/ (unit subtree news)", ok("/don-vi/HN-LDLD/tin-tuc/"))
measure("GET /tim-kiem/?q=mot cua lien thong", ok("/tim-kiem/?q=mot+cua+lien+thong"))
measure("GET /phan-anh/cong-khai/", ok("/phan-anh/cong-khai/"))
measure("GET /chi-so/ (cached SVG)", ok("/chi-so/"))
measure("GET /feed/rss/", ok("/feed/rss/"))
measure("GET /sitemap.xml", ok("/sitemap.xml"), repeat=5)
