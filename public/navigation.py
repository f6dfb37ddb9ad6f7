import rules
from django.utils.translation import gettext as _

from campaign_portal.navigation import nav_url
from campaign_portal.registry import NavLink


def _has_desk(user) -> bool:
    # The desks' own rule (public/rules.py), asked of the rule set directly: no auth-backend queries per page.
    return user is not None and user.is_authenticated and rules.has_perm("public.manage_news", user)


def nav_links(user) -> list[NavLink]:
    return [
        NavLink(nav_url("public:index"), _("Cổng công khai"), None, more=True),
        NavLink(nav_url("public:manage_news"), _("Tin bài"), "public.manage_news", more=True),
        NavLink(nav_url("public:manage_feedback"), _("Phản ánh"), "public.list_feedback", more=True),
    ]


def home_panels(user) -> list[dict]:
    if not _has_desk(user):
        return []
    from .selectors import feedback_open_count, news_for_officer

    # Each line only for whom it serves (public/rules.py): no "Tin chờ tôi duyệt 0" for a writer who approves
    # nothing, no "Viết tin mới" for whom may not write.
    may_approve = rules.has_perm("public.approve_some_news", user)
    return [
        {
            "template": "public/_home_panel.html",
            "context": {
                "may_approve": may_approve,
                "may_write": rules.has_perm("public.write_news", user),
                "news_to_approve": news_for_officer(user)["to_approve"].count() if may_approve else 0,
                "feedback_open": feedback_open_count(user),
            },
        }
    ]
