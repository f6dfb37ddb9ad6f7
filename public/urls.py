from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from . import views
from .feeds import NewsAtomFeed, NewsRssFeed
from .sitemaps import SITEMAPS

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("tin-tuc/", views.news_list, name="news_list"),
    path("tin-tuc/anh/<int:pk>/", views.news_image, name="news_image"),
    path("tin-tuc/<slug:slug>/", views.news_detail, name="news_detail"),
    path("don-vi/<str:code>/tin-tuc/", views.unit_news, name="unit_news"),
    path("vinh-danh/", views.honoured_list, name="honoured_list"),
    path("vinh-danh/anh/<int:pk>/", views.honoured_image, name="honoured_image"),
    path("vinh-danh/<slug:slug>/", views.honoured_detail, name="honoured_detail"),
    path("phan-anh/", views.feedback_submit, name="feedback_submit"),
    path("phan-anh/tra-cuu/", views.feedback_track, name="feedback_track"),
    path("phan-anh/tra-cuu/<str:code>/", views.feedback_track_detail, name="feedback_track_detail"),
    path("phan-anh/cong-khai/", views.feedback_published_list, name="feedback_published_list"),
    path("phan-anh/cong-khai/<str:code>/", views.feedback_published_detail, name="feedback_published_detail"),
    path("chi-so/", views.indicators, name="indicators"),
    path("tim-kiem/", views.search, name="search"),
    path("feed/rss/", NewsRssFeed(), name="feed_rss"),
    path("feed/atom/", NewsAtomFeed(), name="feed_atom"),
    path(
        "sitemap.xml",
        cache_page(60 * 10)(sitemap),
        {"sitemaps": SITEMAPS, "template_name": "public/sitemap.xml"},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    # Officers (login required, object-level rules).
    path("quan-ly/tin-tuc/", views.manage_news, name="manage_news"),
    path("quan-ly/tin-tuc/moi/", views.manage_news_create, name="manage_news_create"),
    path("quan-ly/tin-tuc/<int:pk>/", views.manage_news_edit, name="manage_news_edit"),
    path("quan-ly/tin-tuc/<int:pk>/anh/", views.manage_news_image, name="manage_news_image"),
    path("quan-ly/tin-tuc/<int:pk>/<slug:action>/", views.manage_news_action, name="manage_news_action"),
    path("quan-ly/phan-anh/", views.manage_feedback, name="manage_feedback"),
    path("quan-ly/phan-anh/<str:code>/", views.manage_feedback_detail, name="manage_feedback_detail"),
    path("quan-ly/phan-anh/<str:code>/tep/", views.manage_feedback_attachment, name="manage_feedback_attachment"),
    path("quan-ly/phan-anh/<str:code>/<slug:action>/", views.manage_feedback_action, name="manage_feedback_action"),
]
