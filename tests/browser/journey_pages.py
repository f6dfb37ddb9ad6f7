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

    officer_paths = [
        reverse("home"),
        reverse("reporting:todo"),
        reverse("directives:index"),
        reverse("directives:inbox"),
        reverse("organizations:unit_detail", args=[officer_unit.code]),
        reverse("notifications:list"),
    ]
    if report:
        officer_paths.append(reverse("reporting:report_detail", args=[report.pk]))
    if delivery:
        officer_paths.append(reverse("directives:document_detail", args=[delivery.document_id]))
    head_paths = [
        reverse("home"),
        reverse("reporting:todo"),
        reverse("reporting:review_queue"),
        reverse("directives:index"),
        reverse("organizations:unit_tree"),
        reverse("organizations:unit_detail", args=[head_unit.code]),
    ]
    if report:
        head_paths.append(reverse("reporting:dashboard", args=[report.period.cycle_id, head_unit.code]))
    admin_paths = [
        reverse("home"),
        reverse("admin:index"),
        reverse("organizations:unit_tree"),
        reverse("directives:index"),
        reverse("directives:document_create"),
        reverse("directives:register"),
        reverse("reporting:cycle_list"),
    ]
    contestant_paths = [reverse("home"), reverse("contest:index"), reverse("contest:my_entries")]
    if contest:
        contestant_paths.append(reverse("contest:public", args=[contest.slug]))
    if entry:
        contestant_paths.append(reverse("contest:entry_detail", args=[entry.pk]))
    judge_paths = [reverse("home"), reverse("contest:judge_queue")]
    if assignment:
        judge_paths.append(reverse("contest:judge_assignment", args=[assignment.pk]))
    anonymous_paths = [
        reverse("public:index"),
        reverse("public:news_list"),
        reverse("public:honoured_list"),
        reverse("public:feedback_submit"),
        reverse("public:feedback_published_list"),
        reverse("public:indicators"),
        reverse("contest:index"),
        reverse("login"),
    ]
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
