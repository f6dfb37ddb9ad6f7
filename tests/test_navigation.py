"""Role-true menus on the demo campaign: each role's header lists exactly the links it can use, every one of them
opens (200) for that role, and the rendered header shows those links and no other."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from campaign_portal.context_processors import portal
from campaign_portal.navigation import navigation_for, split_more
from organizations.models import User

from .url_catalogue import ADMIN, GL_HEAD, GL_OFFICER, load_demo

pytestmark = pytest.mark.django_db

JUDGE = "giamkhao2@demo.cchc.vn"  # a judge from outside the union (Sở Tư pháp): no membership
CONTESTANT = "thisinh.hoa@demo.cchc.vn"
HEADER_LINK = re.compile(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"')

ME, UNITS, ADMIN_SITE = reverse("home"), reverse("organizations:unit_tree"), reverse("admin:index")
DIRECTIVES, REPORTS = reverse("directives:index"), reverse("reporting:todo")
CONTEST, JUDGING = reverse("contest:index"), reverse("contest:judge_queue")
NOTIFICATIONS, PUBLIC = reverse("notifications:list"), reverse("public:index")
NEWS_DESK, FEEDBACK_DESK = reverse("public:manage_news"), reverse("public:manage_feedback")
DASHBOARD = reverse("reporting:dashboard_latest")

# Who sees what, in the header's order (the bar, then the "Thêm" menu). Contestants and judges do not see "Đơn vị", "Văn bản chỉ đạo" or
# "Báo cáo": they belong to no unit; only staff accounts see "Quản trị".
EXPECTED = {
    "anonymous": [CONTEST, PUBLIC],
    "grassroots officer": [ME, UNITS, DIRECTIVES, REPORTS, CONTEST, NOTIFICATIONS, PUBLIC, NEWS_DESK, FEEDBACK_DESK],
    "commune head": [
        ME,
        UNITS,
        DIRECTIVES,
        REPORTS,
        DASHBOARD,
        CONTEST,
        NOTIFICATIONS,
        PUBLIC,
        NEWS_DESK,
        FEEDBACK_DESK,
    ],
    "admin": [
        ME,
        UNITS,
        DIRECTIVES,
        REPORTS,
        DASHBOARD,
        CONTEST,
        NOTIFICATIONS,
        ADMIN_SITE,
        PUBLIC,
        NEWS_DESK,
        FEEDBACK_DESK,
    ],
    "contestant": [ME, CONTEST, NOTIFICATIONS, PUBLIC],
    "judge": [ME, CONTEST, JUDGING, NOTIFICATIONS, PUBLIC],
}
EMAILS = {
    "grassroots officer": GL_OFFICER,
    "commune head": GL_HEAD,
    "admin": ADMIN,
    "contestant": CONTESTANT,
    "judge": JUDGE,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo campaign, loaded once for the module's tests (and removed after them)."""
    with django_db_blocker.unblock():
        from django.db import connection, transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        load_demo()
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


def _user(role: str):
    if role == "anonymous":
        return AnonymousUser()
    return User.objects.get(email=EMAILS[role])


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_sees_only_the_links_it_can_open(demo, client, role):
    user = _user(role)
    bar, more = split_more(navigation_for(user))
    links = bar + more
    assert [link.url for link in links] == EXPECTED[role]
    if user.is_authenticated:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # A link may land on its page through a redirect ("Tổng quan" opens the latest cycle's dashboard).
    opened = {link.url: client.get(link.url, follow=True).status_code for link in links}
    assert opened == dict.fromkeys(EXPECTED[role], 200)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_header_renders_the_role_links_with_rare_ones_under_more(demo, client, role):
    user = _user(role)
    if user.is_authenticated:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("contest:index")).content.decode()
    header = page[page.index('<nav class="navbar') : page.index("</nav>")]
    assert HEADER_LINK.findall(header) == EXPECTED[role]
    _bar, more = split_more(navigation_for(user))
    assert ('data-bs-toggle="dropdown"' in header) == bool(more)


def test_a_single_rare_link_stays_in_the_bar():
    from campaign_portal.registry import NavLink

    public = NavLink("/", "Cổng công khai", None, more=True)
    contest = NavLink("/contest/", "Cuộc thi", None)
    assert split_more([contest, public]) == ([contest, public], [])


def test_the_header_links_are_computed_only_when_a_template_shows_them(demo, rf, django_assert_num_queries):
    """An htmx fragment (an autosave answer, a polled panel) renders no header: it must not pay for the links."""
    request = rf.get("/")
    request.user = User.objects.get(email=GL_HEAD)  # nothing loaded yet
    with django_assert_num_queries(0):
        context = portal(request)
    bar, more = split_more(navigation_for(User.objects.get(email=GL_HEAD)))
    assert [link.url for link in context["nav_app_links"]] == [link.url for link in bar]
    assert [link.url for link in context["nav_more_links"]] == [link.url for link in more]
    assert REPORTS in [link.url for link in bar]


def test_nav_url_is_reversed_once_per_script_prefix():
    """The header's addresses are remembered per process, and a portal served under a prefix gets its own."""
    from django.urls import get_script_prefix, set_script_prefix

    from campaign_portal.navigation import nav_url

    assert nav_url("reporting:todo") == reverse("reporting:todo")
    assert nav_url("reporting:todo") is nav_url("reporting:todo")  # the same string: not reversed again
    saved = get_script_prefix()
    set_script_prefix("/cong/")
    try:
        assert nav_url("reporting:todo") == "/cong" + REPORTS
    finally:
        set_script_prefix(saved)
    assert nav_url("reporting:todo") == REPORTS
