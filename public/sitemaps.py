"""Sitemap without the sites framework (RequestSite is used when it is not installed)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import feedback_published, honoured_published, news_published


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "public:index",
            "public:news_list",
            "public:honoured_list",
            "public:feedback_submit",
            "public:feedback_published_list",
            "public:indicators",
        ]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self):
        return news_published().select_related(None).only("slug", "updated_at", "published_at")

    def lastmod(self, item):
        return item.updated_at


class HonouredSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return honoured_published().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class FeedbackSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return feedback_published().select_related(None).only("tracking_code")


SITEMAPS = {"static": StaticSitemap, "news": NewsSitemap, "honoured": HonouredSitemap, "feedback": FeedbackSitemap}
