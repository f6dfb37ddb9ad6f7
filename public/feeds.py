from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import news_published


class NewsRssFeed(Feed):
    title = _("Tin tức cải cách thủ tục hành chính – LĐLĐ TP Hà Nội")
    link = reverse_lazy("public:news_list")
    description = _(
        "Tin tức chiến dịch tuyên truyền kiểm soát TTHC, cải cách TTHC và cơ chế một cửa, một cửa liên thông."
    )

    def items(self):
        return news_published()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return [str(label) for _tag, label in item.tag_labels]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
