"""The pages of the five demo journeys of issue 15, as each demo role meets them: a grassroots officer on a phone,
a commune head and an admin at a desk, a contestant, a judge and an anonymous visitor. Objects come from the demo
campaign, looked up once it is loaded."""

from dataclasses import dataclass

from django.urls import reverse

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 900}


@dataclass(frozen=True)
class Journey:
    name: str
    email: str | None  # None: anonymous
    viewport: dict  # the size the issue walked it at; every page is also checked at the other width
    paths: tuple[str, ...]


def _first(queryset):
    return queryset.order_by("pk").first()


def _paths(*url_names: str) -> list[str]:
    return [reverse(name) for name in url_names]


def journeys() -> list[Journey]:
    from contest.enums import StaffRole
    from contest.models import Assignment, Contest, ContestStaff, Entry
    from directives.models import Delivery
    from organizations.models import User
    from reporting.models import Report

    officer = User.objects.get(email="cdcs.trauquy@demo.cchc.vn")
    officer_unit = officer.active_memberships[0].unit
    head = User.objects.get(email="chutich.gialam@demo.cchc.vn")
    head_unit = head.active_memberships[0].unit
    report = _first(Report.objects.filter(unit=officer_unit))
    delivery = _first(Delivery.objects.filter(unit=officer_unit)) or _first(Delivery.objects.filter(unit=head_unit))
    contest = Contest.objects.order_by("-pk").first()
    judge = _first(ContestStaff.objects.filter(role=StaffRole.JUDGE, user__email="giamkhao2@demo.cchc.vn")).user
    assignment = _first(Assignment.objects.filter(judge=judge))
    contestant = User.objects.get(email="thisinh.hoa@demo.cchc.vn")
    entry = Entry.objects.filter(entrant__user=contestant).order_by("-pk").first()

    officer_paths = _paths("home", "reporting:todo", "directives:index", "directives:inbox", "notifications:list")
    officer_paths.append(reverse("organizations:unit_detail", args=[officer_unit.code]))
    if report:
        officer_paths.append(reverse("reporting:report_detail", args=[report.pk]))
    if delivery:
        officer_paths.append(reverse("directives:document_detail", args=[delivery.document_id]))
    head_paths = _paths(
        "home", "reporting:todo", "reporting:review_queue", "directives:index", "organizations:unit_tree"
    )
    head_paths.append(reverse("organizations:unit_detail", args=[head_unit.code]))
    if report:
        head_paths.append(reverse("reporting:dashboard", args=[report.period.cycle_id, head_unit.code]))
    admin_paths = _paths(
        "home",
        "admin:index",
        "organizations:unit_tree",
        "directives:index",
        "directives:document_create",
        "directives:register",
        "reporting:cycle_list",
    )
    contestant_paths = _paths("home", "contest:index", "contest:my_entries")
    if contest:
        contestant_paths.append(reverse("contest:public", args=[contest.slug]))
    if entry:
        contestant_paths.append(reverse("contest:entry_detail", args=[entry.pk]))
    judge_paths = _paths("home", "contest:judge_queue")
    if assignment:
        judge_paths.append(reverse("contest:judge_assignment", args=[assignment.pk]))
    anonymous_paths = _paths(
        "public:index",
        "public:news_list",
        "public:honoured_list",
        "public:feedback_submit",
        "public:feedback_published_list",
        "public:indicators",
        "contest:index",
        "login",
    )
    if contest:
        anonymous_paths.append(reverse("contest:public", args=[contest.slug]))
    return [
        Journey("grassroots-officer", officer.email, PHONE, tuple(officer_paths)),
        Journey("commune-head", head.email, DESK, tuple(head_paths)),
        Journey("admin", "admin@demo.cchc.vn", DESK, tuple(admin_paths)),
        Journey("contestant", contestant.email, PHONE, tuple(contestant_paths)),
        Journey("judge", judge.email, DESK, tuple(judge_paths)),
        Journey("anonymous", None, PHONE, tuple(anonymous_paths)),
    ]
