import rules
from django.urls import reverse
from django.utils.translation import gettext as _


def _has_desk(user) -> bool:
    # The desks' own rule (public/rules.py), asked of the rule set directly: no auth-backend queries per page.
    return user is not None and user.is_authenticated and rules.has_perm("public.manage_news", user)


def nav_links(user) -> list[dict]:
    links = [{"url": reverse("public:index"), "label": _("Cổng công khai")}]
    if _has_desk(user):
        links.append({"url": reverse("public:manage_news"), "label": _("Tin bài")})
        links.append({"url": reverse("public:manage_feedback"), "label": _("Phản ánh")})
    return links


def home_panels(user) -> list[dict]:
    if not _has_desk(user):
        return []
    from .selectors import feedback_open_count, news_for_officer

    return [
        {
            "template": "public/_home_panel.html",
            "context": {
                "news_to_approve": news_for_officer(user)["to_approve"].count(),
                "feedback_open": feedback_open_count(user),
            },
        }
    ]
