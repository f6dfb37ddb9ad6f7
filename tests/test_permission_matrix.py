"""The permission matrix: every URL of the project, requested as anonymous, an officer of another
unit, a head of another district, a judge, a contestant and the rightful user, on the demo campaign.

URLs come from the resolver, so a new URL without a row in MATRIX fails the test with its name.
Denial is 403 or 404 (a redirect to the login page for anonymous). A POST-only endpoint must not
change anything on GET, and a denied POST must change nothing."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("anon", "sibling", "other_head", "judge", "contestant", "owner")
ALL = frozenset(ROLES)
LOGGED = ALL - {"anon"}
OWNER = frozenset({"owner"})
SIBLING_OFFICER = "cdcs.uyno@demo.cchc.vn"  # grassroots officer in Đông Anh
OTHER_HEAD = "chutich.donganh@demo.cchc.vn"  # head of Đông Anh, objects below are Gia Lâm's
GL_OFFICER = "cdcs.trauquy@demo.cchc.vn"
GL_HEAD = "chutich.gialam@demo.cchc.vn"
GL_DISTRICT_OFFICER = "canbo.gialam@demo.cchc.vn"  # officer of the Gia Lâm commune union since 1 July 2025
CITY_HEAD = "tuyengiao@demo.cchc.vn"
CITY_COMMUNICATION = "truyenthong.ldld@demo.cchc.vn"
ADMIN = "admin@demo.cchc.vn"

# Bugs found by the matrix and not yet fixed in the app: (url name, role) → what happened.
KNOWN_BUGS: dict[tuple[str, str], str] = {
}


@dataclass
class Case:
    kwargs: Callable = lambda d: {}  # noqa: E731 — d is the Demo namespace; None = demo object missing
    owner: str | Callable | None = None  # e-mail (or d → e-mail) of the rightful user
    allowed: frozenset = OWNER
    either: frozenset = frozenset()  # roles for which both outcomes are acceptable (filtered lists)
    method: str = "GET"
    data: dict = field(default_factory=dict)


def _first(qs):
    return qs.order_by("pk").first()


class Demo:
    """Real objects from the demo campaign, looked up once."""

    def __init__(self):
        from directives.models import Attachment, Delivery, Document
        from notifications.models import Notification
        from public.models import Feedback, HonouredModel, NewsImage, NewsItem
        from reporting.models import Evidence, Period, Report, ReportingCycle

        self.cycle = _first(ReportingCycle.objects.filter(periods__isnull=False).distinct())
        self.period = _first(Period.objects.filter(reports__unit__code="HN-LDLD-GIALAM-0001"))
        self.report = _first(Report.objects.filter(unit__code="HN-LDLD-GIALAM-0001"))
        self.evidence = _first(Evidence.objects.filter(report__unit__path__startswith=self._path(GL)))
        # A document of the Gia Lâm commune union (its implementing guidance) or, failing that, any issued one.
        self.document = _first(Document.objects.filter(issuing_unit__code=GL)) or _first(
            Document.objects.all())
        self.city_document = _first(Document.objects.filter(issuing_unit__code="HN-LDLD"))
        self.delivery = _first(Delivery.objects.filter(unit__code=GL))
        self.attachment = _first(Attachment.objects.filter(document__issuing_unit__code="HN-LDLD"))
        self.evidence_delivery = _first(Delivery.objects.filter(unit__code__startswith=GL)
                                        .exclude(evidence="")) if hasattr(Delivery, "evidence") else None
        # Gia Lâm district federation's news and feedback of 2019–2021: it was dissolved on 1 July 2025.
        self.news = _first(NewsItem.objects.filter(unit__code=GL_2019))
        self.pending_news = _first(NewsItem.objects.filter(unit__code="HN-LDLD-GIALAM-0001"))
        self.news_image = _first(NewsImage.objects.all())
        self.honoured = _first(HonouredModel.objects.all())
        self.feedback = _first(Feedback.objects.filter(unit__code=GL_2019))
        self.published_feedback = _first(Feedback.objects.filter(unit__code=GL_2019))
        self.notification = _first(Notification.objects.filter(recipient__email=GL_OFFICER))
        self._contest()

    @staticmethod
    def _path(code):
        from organizations.models import Unit

        return Unit.objects.get(code=code).path

    def _contest(self):
        from contest.enums import StaffRole
        from contest.models import Assignment, Contest, ContestStaff, Entry

        self.contest = _first(Contest.objects.filter(entrants__isnull=False).distinct()) or _first(Contest.objects)
        if self.contest is None:
            self.contest = _build_contest()
        c = self.contest
        self.organiser = _first(ContestStaff.objects.filter(contest=c, role=StaffRole.ORGANISER))
        assignments = list(Assignment.objects.filter(round__contest=c).select_related("judge", "entry__entrant__user")
                           .order_by("pk"))
        self.assignment = assignments[0] if assignments else None
        # The "judge" role is a judge of the contest who does NOT hold self.assignment.
        judges = ContestStaff.objects.filter(contest=c, role=StaffRole.JUDGE).select_related("user").order_by("pk")
        owner_judge = self.assignment.judge_id if self.assignment else None
        self.judge = next((j.user for j in judges if j.user_id != owner_judge), None)
        entries = list(Entry.objects.filter(entrant__contest=c).select_related("entrant__user").order_by("pk"))
        self.entry = entries[0] if entries else None
        owner_entrant = self.entry.entrant.user_id if self.entry else None
        self.contestant = next((e.entrant.user for e in entries if e.entrant.user_id != owner_entrant), None)
        self.round_kind = "preliminary"

    def email(self, role, owner):
        return {
            "sibling": SIBLING_OFFICER,
            "other_head": OTHER_HEAD,
            "judge": self.judge.email if self.judge else None,
            "contestant": self.contestant.email if self.contestant else None,
            "owner": owner,
        }[role]


def _build_contest():
    """Only while the contest app has no demo: a contest with two entrants, two judges, assignments."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from contest.enums import DEFAULT_FIELDS, RoundKind, RoundState, StaffRole
    from contest.judging import assignment_create
    from contest.models import Contest, ContestStaff, Criterion, Round
    from organizations.models import User
    from tests.contest.conftest import CRITERIA, make_entrant, make_entry
    from tests.factories import UserFactory

    now = timezone.now()
    contest = Contest.objects.create(
        slug="thi-sang-kien-2019", name="Cuộc thi sáng kiến cải cách thủ tục hành chính", year=2019,
        plan_number="34/KH-UBND", plan_date=dt.date(2019, 1, 29), code_prefix="CT2019",
        fields=[list(f) for f in DEFAULT_FIELDS], max_upload_bytes=200_000)
    prelim = Round.objects.create(contest=contest, kind=RoundKind.PRELIMINARY, name="Vòng sơ khảo",
                                  state=RoundState.OPEN, submission_opens_at=now - dt.timedelta(days=1),
                                  submission_closes_at=now + dt.timedelta(days=1), judges_per_entry=1)
    for i, name in enumerate(CRITERIA, start=1):
        Criterion.objects.create(round=prelim, order=i, name=name, weight=Decimal(1), min_score=0, max_score=10)
    ContestStaff.objects.create(contest=contest, user=User.objects.get(email=ADMIN), role=StaffRole.ORGANISER)
    judges = [UserFactory(email=f"giamkhao{i}@example.vn") for i in (1, 2)]
    for i, judge in enumerate(judges, start=1):
        ContestStaff.objects.create(contest=contest, user=judge, role=StaffRole.JUDGE, label=f"GK{i}")
    e1 = make_entry(make_entrant(contest, email="thisinh1@example.vn"))
    e2 = make_entry(make_entrant(contest, email="thisinh2@example.vn", name="Trần Thị Hoa"))
    assignment_create(round_=prelim, entry=e1, judge=judges[0])
    assignment_create(round_=prelim, entry=e2, judge=judges[1])
    return contest


def _contest_owner(d):
    return d.organiser.user.email if d.organiser else ADMIN


def _slug(d):
    return {"slug": d.contest.slug}


def _slug_pk(obj_attr):
    return lambda d: ({"slug": d.contest.slug, "pk": getattr(d, obj_attr).pk} if getattr(d, obj_attr) else None)


def _round(d):
    return {"slug": d.contest.slug, "kind": d.round_kind}


def _pk(attr):
    return lambda d: ({"pk": getattr(d, attr).pk} if getattr(d, attr) is not None else None)


def _period_code(code):
    return lambda d: {"period_pk": d.period.pk, "code": code} if d.period else None


def _cycle_code(code):
    return lambda d: {"pk": d.cycle.pk, "code": code} if d.cycle else None


def _code(code):
    return lambda d: {"code": code}


# Trâu Quỳ's grassroots union, under the Gia Lâm commune union since 1 July 2025 (before: the district federation).
GL1, GL, GL_2019 = "HN-LDLD-GIALAM-0001", "HN-LDLD-CDX-GIALAM", "HN-LDLD-GIALAM"
PUBLIC = {"allowed": ALL}

MATRIX: dict[str, Case] = {
    # Foundation
    "home": Case(owner=GL_OFFICER, allowed=LOGGED),
    "health": Case(**PUBLIC),
    "login": Case(**PUBLIC),
    "logout": Case(method="POST", either=ALL, owner=GL_OFFICER),
    "two_factor": Case(owner=ADMIN, allowed=LOGGED),
    "password_change": Case(owner=GL_OFFICER, allowed=LOGGED),
    "password_change_done": Case(owner=GL_OFFICER, allowed=LOGGED),
    "password_reset": Case(**PUBLIC),
    "password_reset_done": Case(**PUBLIC),
    "password_reset_confirm": Case(kwargs=lambda d: {"uidb64": "MQ", "token": "set-password"}, **PUBLIC),
    "password_reset_complete": Case(**PUBLIC),
    "organizations:unit_tree": Case(owner=GL_OFFICER, allowed=LOGGED),
    "organizations:tree_export": Case(owner=ADMIN),
    "organizations:tree_import": Case(owner=ADMIN),
    "organizations:unit_detail": Case(kwargs=_code(GL1), owner=GL_OFFICER),
    "organizations:unit_children": Case(kwargs=_code(GL), owner=GL_HEAD),
    "organizations:unit_edit": Case(kwargs=_code(GL1), owner=ADMIN),
    "organizations:unit_coverage": Case(kwargs=_code(GL1), owner=ADMIN),
    "organizations:unit_add_child": Case(kwargs=_code(GL), owner=ADMIN),
    "organizations:unit_reorganise": Case(kwargs=lambda d: {"code": GL1, "action": "move"}, owner=ADMIN),
    "organizations:membership_add": Case(kwargs=_code(GL1), owner=ADMIN),
    "organizations:membership_revoke": Case(
        kwargs=lambda d: {"code": GL1, "pk": _membership_pk(GL_OFFICER)}, owner=ADMIN, method="POST"),
    # Directives
    "directives:index": Case(owner=GL_OFFICER, allowed=LOGGED),
    "directives:inbox": Case(owner=GL_OFFICER, allowed=LOGGED),
    "directives:document_create": Case(owner=GL_DISTRICT_OFFICER, either=LOGGED),
    "directives:register": Case(owner=GL_DISTRICT_OFFICER, either=LOGGED),
    "directives:register_xlsx": Case(owner=GL_DISTRICT_OFFICER, either=LOGGED),
    "directives:document_detail": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    "directives:document_edit": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER, either=OWNER),
    "directives:document_issue": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER, method="POST", either=OWNER),
    "directives:document_pdf": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    "directives:attachment_upload": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER, method="POST", either=OWNER),
    "directives:cascade": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    "directives:cascade_xlsx": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    "directives:attachment_download": Case(kwargs=_pk("attachment"), owner=CITY_HEAD,
                                           either=frozenset({"sibling", "other_head"})),
    "directives:delivery_open": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER, method="POST"),
    "directives:delivery_acknowledge": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER, method="POST"),
    "directives:delivery_implement": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER),
    "directives:delivery_draft_implementing": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER,
                                                   method="POST"),
    "directives:evidence_download": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER, either=OWNER),
    # Reporting
    "reporting:todo": Case(owner=GL_OFFICER, allowed=LOGGED),
    "reporting:review_queue": Case(owner=GL_HEAD, either=LOGGED),
    "reporting:cycle_list": Case(owner=CITY_HEAD, either=LOGGED),
    "reporting:cycle_open": Case(owner=ADMIN),
    "reporting:blank_print": Case(kwargs=lambda d: {"pk": d.cycle.pk} if d.cycle else None, owner=GL_OFFICER,
                                  either=LOGGED),
    "reporting:dashboard": Case(kwargs=_cycle_code(GL), owner=GL_HEAD),
    "reporting:export_xlsx": Case(kwargs=_cycle_code(GL), owner=GL_HEAD),
    "reporting:file_report": Case(kwargs=_period_code(GL1), owner=GL_OFFICER),
    "reporting:rollup": Case(kwargs=_period_code(GL), owner=GL_HEAD),
    "reporting:rollup_pdf": Case(kwargs=_period_code(GL), owner=GL_HEAD),
    "reporting:report_detail": Case(kwargs=_pk("report"), owner=GL_OFFICER),
    "reporting:report_review": Case(kwargs=_pk("report"), owner=GL_HEAD, method="POST", either=OWNER),
    "reporting:report_print": Case(kwargs=_pk("report"), owner=GL_OFFICER),
    "reporting:evidence_upload": Case(kwargs=_pk("report"), owner=GL_OFFICER, method="POST"),
    "reporting:evidence_download": Case(kwargs=_pk("evidence"), owner=GL_HEAD),
    "reporting:evidence_delete": Case(kwargs=_pk("evidence"), owner=GL_OFFICER, method="POST"),
    # Contest
    "contest:index": Case(**PUBLIC),
    "contest:public": Case(kwargs=_slug, **PUBLIC),
    "contest:my_entries": Case(owner=lambda d: d.entry.entrant.user.email, allowed=LOGGED),
    "contest:judge_queue": Case(owner=lambda d: d.assignment.judge.email, allowed=frozenset({"owner", "judge"}),
                                 either=LOGGED),
    "contest:judge_assignment": Case(kwargs=_pk("assignment"), owner=lambda d: d.assignment.judge.email),
    "contest:judge_scan": Case(kwargs=_pk("assignment"), owner=lambda d: d.assignment.judge.email, either=OWNER),
    "contest:judge_conflict": Case(kwargs=_pk("assignment"), owner=lambda d: d.assignment.judge.email,
                                   method="POST"),
    # Organisers may print it too; none of the matrix's roles is an organiser of the demo contest.
    "contest:judge_score_sheet": Case(kwargs=_pk("assignment"), owner=lambda d: d.assignment.judge.email),
    "contest:entry_detail": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email),
    "contest:entry_edit": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email),
    "contest:entry_scan": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email, either=OWNER),
    "contest:entry_receipt": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email),
    "contest:register": Case(kwargs=_slug, **PUBLIC),
    "contest:verify": Case(kwargs=lambda d: {"slug": d.contest.slug, "uidb64": "MQ", "token": "bad-token"},
                           **PUBLIC),
    "contest:verify_resend": Case(kwargs=_slug, method="POST", data={"email": "khong-co@example.vn"}, **PUBLIC),
    "contest:join": Case(kwargs=_slug, owner=lambda d: d.entry.entrant.user.email, allowed=LOGGED),
    "contest:entry_new": Case(kwargs=_slug, owner=lambda d: d.entry.entrant.user.email, allowed=LOGGED),
    "contest:autosave": Case(kwargs=_slug, owner=lambda d: d.entry.entrant.user.email, method="POST",
                             either=LOGGED),
    "contest:manage_dashboard": Case(kwargs=_slug, owner=_contest_owner),
    "contest:manage_entries": Case(kwargs=_slug, owner=_contest_owner),
    "contest:manage_entry": Case(kwargs=_slug_pk("entry"), owner=_contest_owner),
    "contest:entry_eligibility": Case(kwargs=_slug_pk("entry"), owner=_contest_owner, method="POST"),
    "contest:entry_assign": Case(kwargs=lambda d: {"slug": d.contest.slug, "pk": d.entry.pk, "kind": "preliminary"},
                                 owner=_contest_owner, method="POST"),
    "contest:reassign": Case(kwargs=_slug_pk("assignment"), owner=_contest_owner, method="POST"),
    "contest:duplicates": Case(kwargs=_slug, owner=_contest_owner),
    "contest:round_state": Case(kwargs=_round, owner=_contest_owner, method="POST"),
    "contest:round_assign": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_progress": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_ranking": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_ranking_pdf": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_ranking_pdf_request": Case(kwargs=_round, owner=_contest_owner, method="POST"),
    "contest:advance": Case(kwargs=_slug, owner=_contest_owner, method="POST"),
    "contest:manage_final": Case(kwargs=_slug, owner=_contest_owner),
    "contest:awards": Case(kwargs=_slug, owner=_contest_owner, method="POST"),
    "contest:publish": Case(kwargs=_slug, owner=_contest_owner, method="POST"),
    "contest:certificates": Case(kwargs=_slug, owner=_contest_owner),
    "contest:certificate": Case(kwargs=lambda d: {"slug": d.contest.slug, "pk": 999999}, owner=None,
                                allowed=frozenset()),
    "contest:export": Case(kwargs=_slug, owner=_contest_owner),
    "contest:award_decision": Case(kwargs=_slug, owner=_contest_owner, either=OWNER),  # 404 before awards
    # Notifications
    "notifications:list": Case(owner=GL_OFFICER, allowed=LOGGED),
    "notifications:read": Case(kwargs=_pk("notification"), owner=GL_OFFICER, method="POST"),
    "notifications:read_all": Case(owner=GL_OFFICER, method="POST", allowed=LOGGED),
    "notifications:preferences": Case(owner=GL_OFFICER, allowed=LOGGED),
    # Public
    "public:index": Case(**PUBLIC),
    "public:news_list": Case(**PUBLIC),
    "public:news_image": Case(kwargs=_pk("news_image"), **PUBLIC),
    "public:news_detail": Case(kwargs=lambda d: {"slug": d.news.slug} if d.news else None, **PUBLIC),
    "public:unit_news": Case(kwargs=_code(GL), **PUBLIC),
    "public:honoured_list": Case(**PUBLIC),
    "public:honoured_image": Case(kwargs=_pk("honoured"), either=ALL),  # 404 when it has no image
    "public:honoured_detail": Case(kwargs=lambda d: {"slug": d.honoured.slug} if d.honoured else None, **PUBLIC),
    "public:feedback_submit": Case(**PUBLIC),
    "public:feedback_track": Case(**PUBLIC),
    "public:feedback_track_detail": Case(kwargs=lambda d: {"code": d.feedback.tracking_code}, **PUBLIC),
    "public:feedback_published_list": Case(**PUBLIC),
    "public:feedback_published_detail": Case(kwargs=lambda d: {"code": "PAKHONGCO"}, allowed=frozenset()),
    "public:indicators": Case(**PUBLIC),
    "public:search": Case(**PUBLIC),
    "public:feed_rss": Case(**PUBLIC),
    "public:feed_atom": Case(**PUBLIC),
    "public:sitemap": Case(**PUBLIC),
    "public:robots": Case(**PUBLIC),
    "public:manage_news": Case(owner=GL_DISTRICT_OFFICER, either=LOGGED),
    "public:manage_news_create": Case(owner=GL_DISTRICT_OFFICER, either=LOGGED),
    # The dissolved district's news: its approver at the city federation manages it now.
    "public:manage_news_edit": Case(kwargs=_pk("news"), owner=CITY_COMMUNICATION),
    "public:manage_news_image": Case(kwargs=_pk("news"), owner=CITY_COMMUNICATION, method="POST", either=OWNER),
    "public:manage_news_action": Case(kwargs=lambda d: {"pk": d.pending_news.pk, "action": "approve"},
                                      owner=GL_HEAD, method="POST", either=OWNER),
    "public:manage_feedback": Case(owner=GL_HEAD, either=LOGGED),
    # Feedback to the dissolved district federation: the city federation's heads handle it now.
    "public:manage_feedback_detail": Case(kwargs=lambda d: {"code": d.feedback.tracking_code}, owner=CITY_HEAD),
    "public:manage_feedback_attachment": Case(kwargs=lambda d: {"code": d.feedback.tracking_code},
                                              owner=CITY_HEAD, either=OWNER),
    "public:manage_feedback_action": Case(kwargs=lambda d: {"code": d.feedback.tracking_code, "action": "answer"},
                                          owner=CITY_HEAD, method="POST", either=OWNER),
}


def _membership_pk(email):
    from organizations.models import Membership

    return Membership.objects.filter(user__email=email).values_list("pk", flat=True).first()


def all_url_names() -> list[str]:
    """Every named URL pattern, recursing into includes; admin, i18n and static/media skipped."""
    names = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or "i18n" in str(p.pattern) or p.urlconf_name == "django.conf.urls.i18n":
                    continue
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                route = str(p.pattern)
                if route.startswith(("static", "media", "^static", "^media")) or p.name == "set_language":
                    continue
                assert p.name, f"URL pattern without a name: {route}"
                names.append(namespace + p.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


def _fingerprint(app_label: str) -> str:
    """A hash of every row of the URL's app's tables (and organizations'): a denied request must not change it."""
    digest = hashlib.sha256()
    for label in ("organizations", app_label) if app_label in APP_LABELS else ("organizations", *APP_LABELS):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


APP_LABELS = ("directives", "reporting", "contest", "notifications", "public")


def _denied(response, role) -> bool:
    if response.status_code in (403, 404):
        return True
    return role == "anon" and response.status_code == 302 and "/accounts/login/" in response["Location"]


def _load_demo():
    try:
        call_command("load_demo_campaign", stdout=open("/dev/null", "w"))  # noqa: SIM115
    except Exception as error:  # a sibling's demo may be half-written: load the others
        from campaign_portal.apps_registry import app_modules
        from organizations import demo

        print(f"load_demo_campaign failed ({error!r}); loading app demos one by one")
        demo.load_demo()
        for module in app_modules("demo"):
            try:
                with transaction.atomic():
                    module.load_demo()
            except Exception as app_error:
                print(f"  {module.__name__} failed: {app_error!r}")


def test_every_url_has_a_declared_expectation():
    missing = [name for name in all_url_names() if name not in MATRIX]
    stale = [name for name in MATRIX if name not in all_url_names()]
    assert not missing, f"URLs without a row in MATRIX: {missing}"
    assert not stale, f"MATRIX rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
def test_permission_matrix(client):
    from organizations.models import User

    client.raise_request_exception = False  # a 500 is recorded as a problem, not raised
    _load_demo()
    d = Demo()
    users = {u.email: u for u in User.objects.all()}
    problems, unresolved, pairs = [], [], 0
    for name in all_url_names():
        case = MATRIX.get(name)
        if case is None:
            problems.append(f"{name}: no declared expectation")
            continue
        try:
            kwargs = case.kwargs(d)
        except AttributeError:
            kwargs = None
        if kwargs is None:
            unresolved.append(name)
            continue
        url = reverse(name, kwargs=kwargs or None)
        owner = case.owner(d) if callable(case.owner) else case.owner
        for role in ROLES:
            email = d.email(role, owner) if role != "anon" else None
            if role != "anon" and email is None:
                continue  # e.g. no rightful user for a URL nobody may open
            client.logout()
            if email:
                client.force_login(users[email], backend="django.contrib.auth.backends.ModelBackend")
            allowed = role in case.allowed
            either = role in case.either
            pairs += 1
            if case.method == "POST":
                app_label = name.split(":")[0]
                before = _fingerprint(app_label)
                response = client.get(url)
                if response.status_code >= 500 or _fingerprint(app_label) != before:
                    problems.append(f"{name} GET as {role}: {response.status_code}, state changed or error")
                with transaction.atomic():
                    response = client.post(url, case.data)
                    changed = _fingerprint(app_label) != before
                    transaction.set_rollback(True)
                if allowed or either:
                    if response.status_code >= 500 or (allowed and not either and _denied(response, role)):
                        problems.append(f"{name} POST as {role} (allowed): {response.status_code}")
                elif not _denied(response, role) or changed:
                    problems.append(f"{name} POST as {role} (must be denied): {response.status_code}"
                                    f"{', STATE CHANGED' if changed else ''}")
                continue
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{name} GET as {role}: {response.status_code}")
            elif either:
                continue
            elif allowed and _denied(response, role):
                problems.append(f"{name} GET as {role} (allowed): {response.status_code}")
            elif not allowed and not _denied(response, role):
                problems.append(f"{name} GET as {role} (must be denied): {response.status_code}")
    known = [p for p in problems if any(p.startswith(f"{n} ") and f" as {r} " in p for n, r in KNOWN_BUGS)]
    print(f"\npermission matrix: {pairs} (URL, role) pairs checked over "
          f"{len(all_url_names()) - len(unresolved)} URLs; {len(known)} known bugs")
    if unresolved:
        print(f"URLs without demo objects (not checked): {unresolved}")
    new = [p for p in problems if p not in known]
    assert not new, "\n".join(new)
