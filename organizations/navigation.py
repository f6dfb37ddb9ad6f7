from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaign_portal.navigation import nav_url
from campaign_portal.registry import NavLink


def nav_links(user) -> list[NavLink]:
    return [
        NavLink(nav_url("home"), _("Trang của tôi"), "organizations.open_own_page"),
        NavLink(nav_url("organizations:unit_tree"), pgettext("menu", "Đơn vị"), "organizations.see_unit_tree"),
        NavLink(nav_url("admin:index"), _("Quản trị"), "organizations.open_admin", more=True),
    ]
