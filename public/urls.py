from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from .feeds import NewsAtomFeed, NewsRssFeed
from .sitemaps import SITEMAPS
from .views import feedback_desk, news_desk, pages

app_name = "public"
urlpatterns = [
    path("", pages.index, name="index"),
    path("tin-tuc/", pages.news_list, name="news_list"),
    path("tin-tuc/anh/<int:pk>/", pages.news_image, name="news_image"),
    path("tin-tuc/<slug:slug>/", pages.news_detail, name="news_detail"),
    path("don-vi/<str:code>/tin-tuc/", pages.unit_news, name="unit_news"),
    path("vinh-danh/", pages.honoured_list, name="honoured_list"),
    path("vinh-danh/anh/<int:pk>/", pages.honoured_image, name="honoured_image"),
    path("vinh-danh/<slug:slug>/", pages.honoured_detail, name="honoured_detail"),
    path("phan-anh/", pages.feedback_submit, name="feedback_submit"),
    path("phan-anh/tra-cuu/", pages.feedback_track, name="feedback_track"),
    path("phan-anh/tra-cuu/<str:code>/", pages.feedback_track_detail, name="feedback_track_detail"),
    path("phan-anh/cong-khai/", pages.feedback_published_list, name="feedback_published_list"),
    path("phan-anh/cong-khai/<str:code>/", pages.feedback_published_detail, name="feedback_published_detail"),
    path("chi-so/", pages.indicators, name="indicators"),
    path("tim-kiem/", pages.search, name="search"),
    path("feed/rss/", NewsRssFeed(), name="feed_rss"),
    path("feed/atom/", NewsAtomFeed(), name="feed_atom"),
    path(
        "sitemap.xml",
        cache_page(60 * 10)(sitemap),
        {"sitemaps": SITEMAPS, "template_name": "public/sitemap.xml"},
        name="sitemap",
    ),
    path("robots.txt", pages.robots_txt, name="robots"),
    # Officers (login required, object-level rules).
    path("quan-ly/tin-tuc/", news_desk.manage_news, name="manage_news"),
    path("quan-ly/tin-tuc/moi/", news_desk.manage_news_create, name="manage_news_create"),
    path("quan-ly/tin-tuc/<int:pk>/", news_desk.manage_news_edit, name="manage_news_edit"),
    path("quan-ly/tin-tuc/<int:pk>/anh/", news_desk.manage_news_image, name="manage_news_image"),
    path("quan-ly/tin-tuc/<int:pk>/<slug:action>/", news_desk.manage_news_action, name="manage_news_action"),
    path("quan-ly/phan-anh/", feedback_desk.manage_feedback, name="manage_feedback"),
    path("quan-ly/phan-anh/<str:code>/", feedback_desk.manage_feedback_detail, name="manage_feedback_detail"),
    path(
        "quan-ly/phan-anh/<str:code>/tep/", feedback_desk.manage_feedback_attachment, name="manage_feedback_attachment"
    ),
    path(
        "quan-ly/phan-anh/<str:code>/<slug:action>/",
        feedback_desk.manage_feedback_action,
        name="manage_feedback_action",
    ),
]
