from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaign_portal.registry import NavLink


def nav_links(user) -> list[NavLink]:
    return [
        NavLink(reverse("home"), _("Trang của tôi"), "organizations.open_own_page"),
        NavLink(reverse("organizations:unit_tree"), pgettext("menu", "Đơn vị"), "organizations.see_unit_tree"),
        NavLink(reverse("admin:index"), _("Quản trị"), "organizations.open_admin", more=True),
    ]
