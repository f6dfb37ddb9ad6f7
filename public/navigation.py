from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import NewsStatus


def nav_links(user) -> list[dict]:
    links = [{"url": reverse("public:index"), "label": _("Cổng công khai")}]
    if user is not None and user.is_authenticated and (user.is_portal_admin or user.active_memberships):
        links.append({"url": reverse("public:manage_news"), "label": _("Tin bài")})
        links.append({"url": reverse("public:manage_feedback"), "label": _("Phản ánh")})
    return links


def home_panels(user) -> list[dict]:
    if not (user.is_authenticated and (user.is_portal_admin or user.active_memberships)):
        return []
    from .selectors import feedback_open_count, news_for_officer

    return [
        {
            "template": "public/_home_panel.html",
            "context": {
                "news_to_approve": news_for_officer(user)["to_approve"].filter(status=NewsStatus.PENDING).count(),
                "feedback_open": feedback_open_count(user),
            },
        }
    ]
