"""The catalogue of the project's URLs on the demo campaign, shared by the permission matrix and
the GET-never-writes test: every named URL of the resolver, the demo objects its kwargs come from,
the users who play each role, and a checksum of every table."""

import functools
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

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


@dataclass
class Case:
    kwargs: Callable = lambda d: {}  # noqa: E731 — d is the Demo namespace; None = demo object missing
    owner: str | Callable | None = None  # e-mail (or d → e-mail) of the rightful user
    allowed: frozenset = OWNER
    either: frozenset = frozenset()  # roles for which both outcomes are acceptable
    query: Callable | None = None  # d → the GET query string (e.g. the rightful user's unit in a filter)
    # d → a text only the rightful user's page shows: his answer must contain it; the roles in
    # `filtered` (allowed too) get their own, filtered page, never with that text.
    private: Callable | None = None
    filtered: frozenset = frozenset()
    method: str = "GET"
    data: dict | Callable = field(default_factory=dict)  # or d → data (a fresh upload per request)
    # A POST's success is that the database changed; `effect(client)` says so instead when the
    # change is elsewhere (logout ends the session).
    effect: Callable | None = None


def _today():
    from django.utils import timezone

    return timezone.localdate()


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
        # The period whose deadline passed last: units below the commune union are still to be reminded.
        self.late_period = Period.objects.filter(due_on__lt=_today()).order_by("-due_on", "-pk").first()
        self.report = _first(Report.objects.filter(unit__code="HN-LDLD-GIALAM-0001"))
        self.evidence = _first(
            Evidence.objects.filter(report__unit__path__startswith=self._path(GL))
        ) or self._evidence(Report)
        # A document of the Gia Lâm commune union (its implementing guidance) or, failing that, any issued one.
        self.document = _first(Document.objects.filter(issuing_unit__code=GL)) or _first(Document.objects.all())
        self.city_document = _first(Document.objects.filter(issuing_unit__code="HN-LDLD"))
        self.delivery = _first(Delivery.objects.filter(unit__code=GL))
        # A delivery the commune union has neither opened nor acknowledged yet.
        self.fresh_delivery = _first(
            Delivery.objects.filter(unit__code=GL, read_at__isnull=True, acknowledged_at__isnull=True)
        )
        self.submitted_report = _first(Report.objects.filter(unit__path__startswith=self._path(GL), status="submitted"))
        self.draft, self.attachment = self._draft_with_attachment(Attachment, Document)
        self.evidence_delivery = _first(
            Delivery.objects.filter(unit__path__startswith=self._path(GL)).exclude(evidence="")
        ) or self._delivery_done_with_evidence(Delivery)
        # Gia Lâm district federation's news and feedback of 2019–2021: it was dissolved on 1 July 2025.
        self.news = _first(NewsItem.objects.filter(unit__code=GL_2019))
        self.pending_news = _first(NewsItem.objects.filter(unit__code=GL1, status="pending"))
        self.draft_news = _first(NewsItem.objects.filter(unit__code=GL1, status="draft")) or self._draft_news()
        self.news_image = _first(NewsImage.objects.all()) or self._published_news_image()
        self.honoured = self._honoured_with_image(HonouredModel)
        self.feedback = _first(Feedback.objects.filter(unit__code=GL_2019))
        self.attached_feedback = _first(Feedback.objects.exclude(attachment="")) or self._feedback_with_attachment()
        self.published_feedback = _first(Feedback.objects.filter(unit__code=GL_2019, is_published=True))
        self.notification = _first(Notification.objects.filter(recipient__email=GL_OFFICER))
        self.signed_file = self._signed_file()
        self.export_job = self._export_job()
        self._contest()

    # Objects the demo lacks are made here through the real services, as a user would make them.

    def _export_job(self):
        """The Gia Lâm head's export of her cycle, built as the worker builds it (organizations.exports)."""
        from organizations.exports import export_build, export_start
        from organizations.models import ExportJob, User

        if self.cycle is None:
            return None
        head = User.objects.get(email=GL_HEAD)
        job = export_start(
            kind="reporting_cycle", params={"cycle": self.cycle.pk, "unit": GL}, title="Báo cáo", by=head
        )
        export_build(job_id=job.pk)
        return ExportJob.objects.get(pk=job.pk)

    def _signed_file(self):
        """A PDF the portal issued and signed. Until the demo signs its documents, one is signed here with a
        throwaway CA and recorded as the signing service records it (tests/signatures/pdfs.py)."""
        from organizations.models import Unit
        from signatures import pki
        from signatures.models import SignedFile

        from .signatures import pdfs

        existing = _first(SignedFile.objects.all())
        if existing is not None:
            return existing
        root = pki.make_root_ca(common_name="CA thử nghiệm (không có giá trị pháp lý)")
        signer = pki.make_organisation_certificate(issuer=root, organisation="Liên đoàn Lao động xã Gia Lâm")
        data = pdfs.sign(pdfs.plain_pdf(), signer=signer, chain=[root])
        return pdfs.record_issued(
            data, unit=Unit.objects.get(code=GL), number_symbol="01/KH-LĐLĐ", issued_on=_today(), code="DEMO0001"
        )

    def _draft_with_attachment(self, Attachment, Document):
        """A draft implementing the city's directive at the Gia Lâm commune union, with one attachment."""
        from directives.enums import DocumentStatus
        from directives.services import attachment_add, document_draft_implementing

        draft = _first(Document.objects.filter(issuing_unit__code=GL, status=DocumentStatus.DRAFT))
        if draft is None:
            draft = document_draft_implementing(delivery=self.fresh_delivery, by=_user(GL_DISTRICT_OFFICER))
        attachment = _first(Attachment.objects.filter(document=draft)) or attachment_add(
            document=draft, by=_user(GL_DISTRICT_OFFICER), uploaded_file=png_upload("so-do.png")
        )
        return draft, attachment

    def _evidence(self, Report):
        """Evidence on an editable (returned or draft) report of a unit under the Gia Lâm commune union."""
        from organizations.models import Membership
        from reporting.enums import EDITABLE_STATUSES
        from reporting.services import evidence_add

        report = _first(Report.objects.filter(unit__path__startswith=self._path(GL), status__in=EDITABLE_STATUSES))
        officer = _first(Membership.objects.filter(unit=report.unit, ended_on__isnull=True)).user
        return evidence_add(report=report, uploaded=png_upload("minh-chung.png"), by=officer)

    def _delivery_done_with_evidence(self, Delivery):
        """A grassroots union under Gia Lâm reports a received document as done, with its evidence."""
        from directives.deliveries import delivery_mark_done
        from organizations.enums import Role
        from organizations.models import Membership

        officers = Membership.objects.filter(
            role=Role.OFFICER, ended_on__isnull=True, unit__path__startswith=self._path(GL)
        )
        delivery = _first(
            Delivery.objects.filter(completed_at__isnull=True, unit__in=officers.values("unit")).exclude(unit__code=GL)
        )
        officer = _first(officers.filter(unit=delivery.unit)).user
        return delivery_mark_done(
            delivery=delivery, by=officer, result_note="Đã phổ biến tới đoàn viên", evidence=png_upload("bien-ban.png")
        )

    def _draft_news(self, title="Bản nháp tin cải cách"):
        from organizations.models import Unit
        from public import services

        return services.news_create(
            unit=Unit.objects.get(code=GL1), title=title, summary="Tóm tắt", body="Nội dung", by=_user(GL_OFFICER)
        )

    def _published_news_image(self):
        """A news item of Trâu Quỳ's union, with an image, written, submitted and approved."""
        from public import services

        news = self._draft_news("Ảnh hoạt động cải cách")
        image = services.news_image_add(
            news=news, upload=png_upload("anh.png"), alt="Ảnh hội nghị", by=_user(GL_OFFICER)
        )
        services.news_submit(news=news, by=_user(GL_OFFICER))
        services.news_approve(news=news, by=_user(GL_HEAD))
        return image

    @staticmethod
    def _honoured_with_image(HonouredModel):
        """A published honoured model with its image, given by a portal admin through the admin's form."""
        from django.forms.models import model_to_dict

        from public.admin import HonouredModelForm

        honoured = _first(HonouredModel.objects.filter(is_published=True).exclude(image="")) or _first(
            HonouredModel.objects.filter(is_published=True)
        )
        if honoured is None or honoured.image:
            return honoured
        data = {
            k: v
            for k, v in model_to_dict(honoured, fields=HonouredModelForm._meta.fields).items()
            if k != "image" and v is not None
        }
        form = HonouredModelForm(data=data, files={"image": png_upload("vinh-danh.png")}, instance=honoured)
        assert form.is_valid(), form.errors
        return form.save()

    @staticmethod
    def _feedback_with_attachment():
        """A citizen's feedback to the Gia Lâm commune union with a photo, sent through the public feedback service."""
        from organizations.models import Unit
        from public.enums import FeedbackKind, FeedbackTopic
        from public.services import feedback_submit

        feedback, _created = feedback_submit(
            submission_key=str(uuid.uuid4()),
            kind=FeedbackKind.REPORT,
            topic=FeedbackTopic.LAND,
            unit=Unit.objects.get(code=GL),
            title="Hồ sơ đất đai bị trả lại nhiều lần",
            text="Tôi nộp hồ sơ đăng ký biến động đất đai ba lần đều bị trả lại, xin gửi kèm ảnh phiếu hẹn.",
            name="Nguyễn Văn Bình",
            email="binh.nguyen@example.vn",
            attachment=png_upload("phieu-hen.png"),
        )
        return feedback

    @staticmethod
    def _path(code):
        from organizations.models import Unit

        return Unit.objects.get(code=code).path

    def _contest(self):
        from django.utils import timezone

        from contest.enums import EntryStatus, RoundKind, RoundState, StaffRole
        from contest.models import Assignment, Award, Contest, ContestStaff, Entry

        # The contest being judged (its preliminary round open); the received entry of another one.
        # (Its submissions closed: the contest taking entries that Demo takes to its final is not it.)
        self.contest = _first(
            Contest.objects.filter(
                entrants__isnull=False,
                rounds__state=RoundState.OPEN,
                rounds__kind=RoundKind.PRELIMINARY,
                rounds__submission_closes_at__lt=timezone.now(),
            ).distinct()
        ) or _first(Contest.objects)
        self.received_entry = _first(Entry.objects.filter(status=EntryStatus.RECEIVED).select_related("contest"))
        if self.contest is None:
            self.contest = _build_contest()
        c = self.contest
        self.organiser = _first(ContestStaff.objects.filter(contest=c, role=StaffRole.ORGANISER))
        assignments = list(
            Assignment.objects.filter(round__contest=c).select_related("judge", "entry__entrant__user").order_by("pk")
        )
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
        # An award of a contest whose results are out, with its certificate printed.
        self.award = _first(Award.objects.select_related("entry__contest"))
        if self.award and not self.award.certificate:
            from contest.background_documents import certificate_render_one

            certificate_render_one(self.award)
            self.award.refresh_from_db()
        self.round = c.rounds.get(kind=self.round_kind)
        # An entry of the round and a judge of the contest not yet assigned to it (a hand assignment).
        staff = [j.user for j in judges]
        self.unassigned = next(
            (
                (e, j)
                for e in entries
                for j in staff
                if not Assignment.objects.filter(round=self.round, entry=e, judge=j).exists()
            ),
            (None, None),
        )
        self._contest_at_final()

    def _contest_at_final(self):
        """The contest taking entries now (its autosave works), taken by its organiser up to the awards:
        the rightful entrant's entry with a handwritten scan, saved and submitted, found eligible, judged
        in the preliminary round by one judge (the owner of self.assignment), sent to the final (opened,
        no judge assigned yet) and given a prize; results not yet published."""
        from contest import judging, results, services, states
        from contest.enums import PrizeGroup, RoundKind, RoundState, StaffRole
        from contest.models import Contest, ContestStaff, Entrant, Entry, PrizeTier

        self.open_contest = next(
            (
                c
                for c in Contest.objects.order_by("pk")
                if (r := services.preliminary_round(c)) and r.submission_is_open()
            ),
            None,
        )
        c = self.open_contest
        if c is None:
            return
        owner = self.entry.entrant.user
        entrant = Entrant.objects.get(contest=c, user=owner)
        self.scan_entry = _first(Entry.objects.filter(entrant=entrant).exclude(scan=""))
        tiers = list(PrizeTier.objects.filter(contest=c, group=PrizeGroup.INDIVIDUAL).order_by("rank"))
        self.final_judge = self.assignment.judge
        if self.scan_entry is None:
            organiser = _first(ContestStaff.objects.filter(contest=c, role=StaffRole.ORGANISER)).user
            entry = services.entry_create_draft(entrant=entrant)
            entry = services.entry_save(
                entry=entry,
                data={
                    "title": "Phiếu hẹn trả kết quả có mã QR tra cứu",
                    "field": "mot-cua",
                    "procedure": "Tiếp nhận và trả kết quả tại bộ phận một cửa",
                    "problem": "Người dân phải gọi điện nhiều lần để hỏi hồ sơ đã có kết quả chưa.",
                    "solution": "In mã QR trên phiếu hẹn để tra cứu tình trạng hồ sơ bất cứ lúc nào.",
                },
                scan=png_upload("bai-viet-tay.png"),
                by=owner,
            )
            entry = services.entry_submit(entry=entry, by=owner, send_receipt=False)
            services.entry_set_eligibility(entry=entry, eligible=True, by=organiser)
            prelim = services.preliminary_round(c)
            states.round_set_state(round_=prelim, to=RoundState.OPEN, by=organiser)
            judging.assignment_create(round_=prelim, entry=entry, judge=self.final_judge, by=organiser)
            results.round_advance(contest=c, entry_ids=[entry.pk], by=organiser)
            states.round_set_state(round_=c.rounds.get(kind=RoundKind.FINAL), to=RoundState.OPEN, by=organiser)
            results.award_set(entry=entry, tier=tiers[0], by=organiser)
            self.scan_entry = Entry.objects.get(pk=entry.pk)
        self.scan_assignment = _first(self.scan_entry.assignments.filter(judge=self.final_judge))
        # The organiser moves the prize to the next tier: a change the awards form makes.
        self.other_tier = tiers[1]

    def email(self, role, owner):
        return {
            "sibling": SIBLING_OFFICER,
            "other_head": OTHER_HEAD,
            "judge": self.judge.email if self.judge else None,
            "contestant": self.contestant.email if self.contestant else None,
            "owner": owner,
        }[role]


def _user(email):
    from organizations.models import User

    return User.objects.get(email=email)


def _my_certificate_fingerprint(email):
    from signatures.models import PersonalCertificate

    return PersonalCertificate.objects.filter(user__email=email).order_by("pk").first().fingerprint_text


def _person_certificate():
    """A fresh signing certificate (.cer) under a throw-away CA, as a signer would upload hers."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from django.core.files.uploadedfile import SimpleUploadedFile

    from signatures import pki

    ca = pki.make_root_ca(common_name="CA thử", organisation="Thử")
    issued = pki.make_person_certificate(issuer=ca, full_name="Người Ký Thử", organisation="Thử")
    return SimpleUploadedFile("chung-thu.cer", issued.certificate.public_bytes(Encoding.DER))


def png_upload(name: str):
    """A small real PNG, as a browser would upload it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.upload_samples import png_bytes

    return SimpleUploadedFile(name, png_bytes(size=(8, 8)), content_type="image/png")


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
        slug="thi-sang-kien-2019",
        name="Cuộc thi sáng kiến cải cách thủ tục hành chính",
        year=2019,
        plan_number="34/KH-UBND",
        plan_date=dt.date(2019, 1, 29),
        code_prefix="CT2019",
        fields=[list(f) for f in DEFAULT_FIELDS],
        max_upload_bytes=200_000,
    )
    prelim = Round.objects.create(
        contest=contest,
        kind=RoundKind.PRELIMINARY,
        name="Vòng sơ khảo",
        state=RoundState.OPEN,
        submission_opens_at=now - dt.timedelta(days=1),
        submission_closes_at=now + dt.timedelta(days=1),
        judges_per_entry=1,
    )
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


def _filing_period_pk(code: str) -> int:
    """The latest period the unit may still change its report for (open, report absent or editable). Not cached:
    each test loads the demo again, and on PostgreSQL its rows take new ids every time."""
    from organizations.models import Unit
    from reporting import selectors
    from reporting.enums import EDITABLE_STATUSES
    from reporting.models import Period, Report

    unit = Unit.objects.get(code=code)
    for period in Period.objects.select_related("cycle").order_by("-ends_on", "-pk"):
        report = Report.objects.filter(period=period, unit=unit).first()
        if (
            (report is None or report.status in EDITABLE_STATUSES)
            and selectors.unit_files_period(period=period, unit=unit)
            and not selectors.period_is_locked_for(period=period, unit=unit)
        ):
            return period.pk
    raise LookupError(f"no open period for {code}")


def _filing_period(code: str):
    from reporting.models import Period

    return Period.objects.select_related("cycle").get(pk=_filing_period_pk(code))


def _report_template_upload(period, code: str):
    """The unit's Excel template of the period, filled with valid figures of the standard form, uploaded."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organizations.models import Unit
    from reporting.excel import report_template_xlsx
    from tests.reporting.conftest import VALID
    from tests.reporting.test_excel import fill

    content = fill(report_template_xlsx(period=period, unit=Unit.objects.get(code=code)), VALID)
    return SimpleUploadedFile("mau-bao-cao.xlsx", content, content_type="application/octet-stream")


def _period_code(code):
    return lambda d: {"period_pk": d.period.pk, "code": code} if d.period else None


def _cycle_code(code):
    return lambda d: {"pk": d.cycle.pk, "code": code} if d.cycle else None


# A user who plays no role: his reset and verification links stay valid (logging in would void them).
LINK_USER = "congdan.an@demo.cchc.vn"


def _token_kwargs(email):
    from organizations.tokens import account_link_kwargs

    return account_link_kwargs(_user(email))


def _register_query(d):
    """The Gia Lâm commune union's register, in the year of its document."""
    return {"unit": d.document.issuing_unit_id, "year": d.document.issued_on.year}


def _incoming_query(d):
    """The Gia Lâm commune union's incoming register, in the year its first document arrived."""
    return {"unit": d.delivery.unit_id, "year": d.delivery.incoming_year}


def _code(code):
    return lambda d: {"code": code}


# Trâu Quỳ's grassroots union, under the Gia Lâm commune union since 1 July 2025 (before: the district federation).
GL1, GL, GL_2019 = "HN-LDLD-GIALAM-0001", "HN-LDLD-CDX-GIALAM", "HN-LDLD-GIALAM"
PUBLIC = {"allowed": ALL}

MATRIX: dict[str, Case] = {
    # Foundation
    "home": Case(owner=GL_OFFICER, allowed=LOGGED),
    "health": Case(**PUBLIC),
    "service_worker": Case(**PUBLIC),
    "pwa_manifest": Case(**PUBLIC),
    "offline": Case(**PUBLIC),
    "login": Case(**PUBLIC),
    "logout": Case(
        method="POST",
        owner=GL_OFFICER,
        allowed=LOGGED,
        either=frozenset({"anon"}),
        effect=lambda client: "_auth_user_id" not in client.session,
    ),
    "two_factor": Case(owner=ADMIN, allowed=LOGGED),
    "password_change": Case(owner=GL_OFFICER, allowed=LOGGED),
    "password_change_done": Case(owner=GL_OFFICER, allowed=LOGGED),
    "password_reset": Case(**PUBLIC),
    "password_reset_done": Case(**PUBLIC),
    "password_reset_confirm": Case(kwargs=lambda d: _token_kwargs(LINK_USER), **PUBLIC),
    "password_reset_complete": Case(**PUBLIC),
    "organizations:unit_tree": Case(owner=GL_OFFICER, allowed=LOGGED),
    # Exports of up to 10,000 rows: a POST starts a background job; its page and file are the requester's only.
    "organizations:tree_export": Case(owner=ADMIN, method="POST"),
    "organizations:export_job": Case(kwargs=_pk("export_job"), owner=GL_HEAD),
    "organizations:export_download": Case(kwargs=_pk("export_job"), owner=GL_HEAD),
    "organizations:tree_import": Case(owner=ADMIN),
    # The picker's suggestions of new parents for a unit: only those who manage the tree get any.
    "organizations:unit_autocomplete": Case(
        owner=ADMIN,
        allowed=LOGGED,
        query=lambda d: {"scope": "move_parent", "unit": GL1, "q": "lien doan lao dong thanh pho"},
        private=lambda d: "HN-LDLD",
        filtered=LOGGED - OWNER,
    ),
    "organizations:unit_detail": Case(kwargs=_code(GL1), owner=GL_OFFICER),
    "organizations:unit_children": Case(kwargs=_code(GL), owner=GL_HEAD),
    "organizations:unit_edit": Case(kwargs=_code(GL1), owner=ADMIN),
    "organizations:unit_coverage": Case(kwargs=_code(GL1), owner=ADMIN),
    "organizations:unit_add_child": Case(kwargs=_code(GL), owner=ADMIN),
    "organizations:unit_reorganise": Case(kwargs=lambda d: {"code": GL1, "action": "move"}, owner=ADMIN),
    "organizations:membership_add": Case(kwargs=_code(GL1), owner=ADMIN),
    "organizations:membership_revoke": Case(
        kwargs=lambda d: {"code": GL1, "pk": _membership_pk(GL_OFFICER)}, owner=ADMIN, method="POST"
    ),
    # Directives
    "directives:index": Case(owner=GL_OFFICER, allowed=LOGGED),
    "directives:inbox": Case(owner=GL_OFFICER, allowed=LOGGED),
    # Officers and heads write documents for their own units; users without a unit role may not.
    "directives:document_create": Case(
        owner=GL_DISTRICT_OFFICER, allowed=frozenset({"owner", "sibling", "other_head"})
    ),
    # The Gia Lâm commune union's register, asked for by its unit: only its own officers read its documents.
    "directives:register": Case(
        owner=GL_DISTRICT_OFFICER,
        query=_register_query,
        allowed=LOGGED,
        private=lambda d: d.document.subject,
        filtered=LOGGED - OWNER,
    ),
    "directives:register_xlsx": Case(owner=GL_DISTRICT_OFFICER, query=_register_query),
    # The incoming register is the unit's officers' book: anyone else gets her own units' page (or none).
    "directives:incoming_register": Case(
        owner=GL_DISTRICT_OFFICER,
        query=_incoming_query,
        allowed=LOGGED,
        private=lambda d: f"{d.delivery.unit.name}, sổ văn bản đến năm",
        filtered=LOGGED - OWNER,
    ),
    "directives:incoming_register_xlsx": Case(owner=GL_DISTRICT_OFFICER, query=_incoming_query),
    # Giao xử lý: an officer of the receiving unit gives the document to a colleague (here, to himself).
    "directives:delivery_assign": Case(
        kwargs=_pk("fresh_delivery"),
        owner=GL_DISTRICT_OFFICER,
        method="POST",
        data=lambda d: {"assignee": _user(GL_DISTRICT_OFFICER).pk, "due_on": "", "note": "Xử lý"},
    ),
    "directives:document_detail": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    "directives:document_edit": Case(kwargs=_pk("draft"), owner=GL_DISTRICT_OFFICER),
    "directives:document_issue_preview": Case(kwargs=_pk("draft"), owner=GL_DISTRICT_OFFICER),
    "directives:document_issue": Case(kwargs=_pk("draft"), owner=GL_DISTRICT_OFFICER, method="POST"),
    "directives:document_pdf": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    # The demo's Gia Lâm union issues with its organisation's signature alone, so its officer's rightful POST
    # is refused by the service (a message, nothing changed); the two-step path is tested in tests/signatures.
    "directives:document_prepare_signing": Case(
        kwargs=_pk("draft"), owner=GL_DISTRICT_OFFICER, method="POST", either=OWNER
    ),
    "directives:document_signed_upload": Case(
        kwargs=_pk("draft"),
        owner=GL_DISTRICT_OFFICER,
        method="POST",
        either=OWNER,
        data=lambda d: {"file": png_upload("ky.png")},
    ),
    "directives:attachment_upload": Case(
        kwargs=_pk("draft"),
        owner=GL_DISTRICT_OFFICER,
        method="POST",
        data=lambda d: {"file": png_upload("phu-luc.png")},
    ),
    "directives:cascade": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER),
    "directives:cascade_xlsx": Case(kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER, method="POST"),
    # The commune union reminds its late grassroots unions of its guidance: all of them, one tap.
    "directives:cascade_remind": Case(
        kwargs=_pk("document"), owner=GL_DISTRICT_OFFICER, method="POST", data={"all": "1"}
    ),
    "directives:attachment_download": Case(kwargs=_pk("attachment"), owner=GL_DISTRICT_OFFICER),
    "directives:delivery_open": Case(kwargs=_pk("fresh_delivery"), owner=GL_DISTRICT_OFFICER, method="POST"),
    "directives:delivery_acknowledge": Case(kwargs=_pk("fresh_delivery"), owner=GL_DISTRICT_OFFICER, method="POST"),
    "directives:delivery_implement": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER),
    "directives:delivery_draft_implementing": Case(kwargs=_pk("delivery"), owner=GL_DISTRICT_OFFICER, method="POST"),
    "directives:evidence_download": Case(
        kwargs=_pk("evidence_delivery"), owner=lambda d: d.evidence_delivery.completed_by.email
    ),
    # Reporting
    "reporting:todo": Case(owner=GL_OFFICER, allowed=LOGGED),
    # The head reviews the reports of his units only.
    "reporting:review_queue": Case(
        owner=GL_HEAD, private=lambda d: d.submitted_report.unit.name, allowed=LOGGED, filtered=LOGGED - OWNER
    ),
    # The city's reporting cycles are no secret: every signed-in user sees the same list.
    "reporting:cycle_list": Case(owner=CITY_HEAD, allowed=LOGGED),
    # The dashboard one click from the menu: heads (and admins) only; it redirects to the latest cycle's.
    "reporting:dashboard_latest": Case(owner=GL_HEAD, allowed=frozenset({"owner", "other_head"})),
    "reporting:cycle_open": Case(owner=ADMIN),
    # A blank form of the cycle, the same for every signed-in user.
    "reporting:blank_print": Case(
        kwargs=lambda d: {"pk": d.cycle.pk} if d.cycle else None, owner=GL_OFFICER, allowed=LOGGED
    ),
    "reporting:dashboard": Case(kwargs=_cycle_code(GL), owner=GL_HEAD),
    "reporting:export_xlsx": Case(kwargs=_cycle_code(GL), owner=GL_HEAD, method="POST"),
    # The commune union's officer reminds its units late with the last period due: all of them, one tap.
    "reporting:dashboard_remind": Case(
        kwargs=lambda d: {"pk": d.late_period.cycle_id, "code": GL} if d.late_period else None,
        owner=GL_DISTRICT_OFFICER,
        method="POST",
        data=lambda d: {"period": d.late_period.pk, "all": "1"},
    ),
    "reporting:file_report": Case(kwargs=_period_code(GL1), owner=GL_OFFICER),
    "reporting:rollup": Case(kwargs=_period_code(GL), owner=GL_HEAD),
    # Excel in: the unit's template and its upload (the template of an open period, sent back as it came).
    "reporting:template_xlsx": Case(kwargs=_period_code(GL1), owner=GL_OFFICER),
    "reporting:excel_import": Case(
        kwargs=lambda d: {"period_pk": _filing_period(GL1).pk, "code": GL1},
        owner=GL_OFFICER,
        method="POST",
        data=lambda d: {"file": _report_template_upload(_filing_period(GL1), GL1)},
    ),
    # A head's workbook for the child units that sent figures on paper: only the head of their parent.
    "reporting:reports_on_behalf": Case(kwargs=_period_code(GL), owner=GL_HEAD),
    "reporting:on_behalf_xlsx": Case(kwargs=_period_code(GL), owner=GL_HEAD),
    "reporting:rollup_pdf": Case(kwargs=_period_code(GL), owner=GL_HEAD),
    "reporting:report_detail": Case(kwargs=_pk("report"), owner=GL_OFFICER),
    "reporting:report_review": Case(
        kwargs=_pk("submitted_report"), owner=GL_HEAD, method="POST", data={"action": "approve"}
    ),
    "reporting:report_print": Case(kwargs=_pk("report"), owner=GL_OFFICER),
    "reporting:evidence_upload": Case(
        kwargs=lambda d: {"pk": d.evidence.report_id},
        owner=lambda d: d.evidence.uploaded_by.email,
        method="POST",
        data=lambda d: {"file": png_upload("minh-chung-2.png")},
    ),
    "reporting:evidence_download": Case(kwargs=_pk("evidence"), owner=GL_HEAD),
    "reporting:evidence_delete": Case(
        kwargs=_pk("evidence"), owner=lambda d: d.evidence.uploaded_by.email, method="POST"
    ),
    # Contest
    "contest:index": Case(**PUBLIC),
    "contest:public": Case(kwargs=_slug, **PUBLIC),
    # The look-up form (its POST only reads: code + contact, rate limited) is everyone's.
    "contest:entry_lookup": Case(**PUBLIC),
    "contest:my_entries": Case(owner=lambda d: d.entry.entrant.user.email, allowed=LOGGED),
    "contest:judge_queue": Case(owner=lambda d: d.assignment.judge.email, allowed=frozenset({"owner", "judge"})),
    "contest:judge_assignment": Case(kwargs=_pk("assignment"), owner=lambda d: d.assignment.judge.email),
    "contest:judge_scan": Case(kwargs=_pk("scan_assignment"), owner=lambda d: d.scan_assignment.judge.email),
    "contest:judge_conflict": Case(
        kwargs=_pk("assignment"),
        owner=lambda d: d.assignment.judge.email,
        method="POST",
        data={"reason": "Cùng đơn vị công tác với tác giả"},
    ),
    # Organisers may print it too; none of the matrix's roles is an organiser of the demo contest.
    "contest:judge_score_sheet": Case(kwargs=_pk("assignment"), owner=lambda d: d.assignment.judge.email),
    "contest:entry_detail": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email),
    "contest:entry_edit": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email),
    "contest:entry_scan": Case(kwargs=_pk("scan_entry"), owner=lambda d: d.scan_entry.entrant.user.email),
    "contest:entry_receipt": Case(kwargs=_pk("entry"), owner=lambda d: d.entry.entrant.user.email),
    "contest:register": Case(kwargs=_slug, **PUBLIC),
    "contest:verify": Case(kwargs=lambda d: {"slug": d.contest.slug, **_token_kwargs(LINK_USER)}, **PUBLIC),
    # Answers alike whoever asks and whether or not the address waits (no enumeration); what it
    # queues is tested in tests/contest/test_mail.py.
    "contest:verify_resend": Case(
        kwargs=_slug, method="POST", data={"email": "khong-co@example.vn"}, allowed=ALL, either=ALL
    ),
    "contest:join": Case(kwargs=_slug, owner=lambda d: d.entry.entrant.user.email, allowed=LOGGED),
    "contest:entry_new": Case(kwargs=_slug, owner=lambda d: d.entry.entrant.user.email, allowed=LOGGED),
    # Any entrant of the contest may start a draft; the other signed-in users are no entrants.
    # The contest taking entries now: the rightful entrant and another one both start a draft.
    "contest:autosave": Case(
        kwargs=lambda d: {"slug": d.open_contest.slug},
        owner=lambda d: d.entry.entrant.user.email,
        method="POST",
        allowed=frozenset({"owner", "contestant"}),
        data=lambda d: {"draft_key": str(uuid.uuid4()), "title": "Sáng kiến một cửa"},
    ),
    "contest:manage_dashboard": Case(kwargs=_slug, owner=_contest_owner),
    "contest:manage_entries": Case(kwargs=_slug, owner=_contest_owner),
    "contest:manage_entry": Case(kwargs=_slug_pk("entry"), owner=_contest_owner),
    "contest:entry_eligibility": Case(
        kwargs=lambda d: {"slug": d.received_entry.contest.slug, "pk": d.received_entry.pk},
        owner=_contest_owner,
        method="POST",
        data={"decision": "eligible", "reason": ""},
    ),
    # The finalist of the contest at its final, given by hand to the judge who read it in the preliminary.
    "contest:entry_assign": Case(
        kwargs=lambda d: {"slug": d.open_contest.slug, "pk": d.scan_entry.pk, "kind": "final"},
        owner=_contest_owner,
        method="POST",
        data=lambda d: {"judge": d.final_judge.pk},
    ),
    "contest:reassign": Case(kwargs=_slug_pk("assignment"), owner=_contest_owner, method="POST"),
    "contest:duplicates": Case(kwargs=_slug, owner=_contest_owner),
    "contest:round_state": Case(
        kwargs=_round,
        owner=_contest_owner,
        method="POST",
        data=lambda d: {"state": "scores_open", "value": "0" if d.round.scores_open else "1"},
    ),
    "contest:round_assign": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_progress": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_ranking": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_ranking_pdf": Case(kwargs=_round, owner=_contest_owner),
    "contest:round_ranking_pdf_request": Case(kwargs=_round, owner=_contest_owner, method="POST"),
    "contest:advance": Case(kwargs=_slug, owner=_contest_owner, method="POST", data={"top_n": "2", "entries": ""}),
    "contest:manage_final": Case(kwargs=_slug, owner=_contest_owner),
    # The contest at its final: the prize moves to another tier; the results are published.
    "contest:awards": Case(
        kwargs=lambda d: {"slug": d.open_contest.slug},
        owner=_contest_owner,
        method="POST",
        data=lambda d: {f"tier_{d.scan_entry.pk}": str(d.other_tier.pk)},
    ),
    "contest:publish": Case(kwargs=lambda d: {"slug": d.open_contest.slug}, owner=_contest_owner, method="POST"),
    "contest:certificates": Case(kwargs=_slug, owner=_contest_owner),
    "contest:certificate": Case(
        kwargs=lambda d: {"slug": d.award.entry.contest.slug, "pk": d.award.pk}, owner=_contest_owner
    ),
    "contest:export": Case(kwargs=_slug, owner=_contest_owner),
    "contest:award_decision": Case(kwargs=lambda d: {"slug": d.award.entry.contest.slug}, owner=_contest_owner),
    # Notifications
    "notifications:list": Case(owner=GL_OFFICER, allowed=LOGGED),
    "notifications:read": Case(kwargs=_pk("notification"), owner=GL_OFFICER, method="POST"),
    # Everyone marks his own notifications read; success changes something only for whoever has
    # unread ones: in the demo the owner, the sibling officer and the other head have, the judge and
    # the contestant have none (their answer cannot be told from a silent denial).
    "notifications:read_all": Case(
        owner=GL_OFFICER,
        method="POST",
        allowed=frozenset({"owner", "sibling", "other_head"}),
        either=frozenset({"judge", "contestant"}),
    ),
    "notifications:preferences": Case(owner=GL_OFFICER, allowed=LOGGED),
    # Providers' delivery reports: no session opens them; without the provider's signature or token (and with
    # reports off, as here) every caller is refused. tests/notifications/test_delivery_reports.py signs them.
    "notifications:zalo_events": Case(method="POST", owner=GL_OFFICER, allowed=frozenset()),
    "notifications:sms_delivery_report": Case(method="POST", owner=GL_OFFICER, allowed=frozenset()),
    # Public
    "public:index": Case(**PUBLIC),
    # Kiểm tra văn bản: anyone checks a PDF (the upload, which stores nothing, is tested in tests/signatures).
    "signatures:verify": Case(**PUBLIC),
    "signatures:verify_code": Case(kwargs=lambda d: {"code": d.signed_file.verification_code}, **PUBLIC),
    "signatures:verify_download": Case(kwargs=lambda d: {"code": d.signed_file.verification_code}, **PUBLIC),
    # The signer's own page: everyone logged in has one; only hers shows her certificate.
    "signatures:my_signing": Case(
        owner=GL_HEAD,
        allowed=LOGGED,
        private=lambda d: _my_certificate_fingerprint(GL_HEAD),
        filtered=LOGGED - OWNER,
    ),
    "signatures:my_certificate_add": Case(
        method="POST", owner=GL_OFFICER, allowed=LOGGED, data=lambda d: {"certificate_file": _person_certificate()}
    ),
    "signatures:my_signature_image_set": Case(
        method="POST", owner=GL_OFFICER, allowed=LOGGED, data=lambda d: {"image": png_upload("chu-ky.png")}
    ),
    "signatures:my_signature_image_file": Case(owner=GL_HEAD, allowed=OWNER, either=frozenset({"other_head"})),
    "public:news_list": Case(**PUBLIC),
    "public:news_image": Case(kwargs=_pk("news_image"), **PUBLIC),
    "public:news_detail": Case(kwargs=lambda d: {"slug": d.news.slug} if d.news else None, **PUBLIC),
    "public:unit_news": Case(kwargs=_code(GL), **PUBLIC),
    "public:honoured_list": Case(**PUBLIC),
    "public:honoured_image": Case(kwargs=_pk("honoured"), **PUBLIC),
    "public:honoured_detail": Case(kwargs=lambda d: {"slug": d.honoured.slug} if d.honoured else None, **PUBLIC),
    "public:feedback_submit": Case(**PUBLIC),
    "public:feedback_track": Case(**PUBLIC),
    "public:feedback_track_detail": Case(kwargs=lambda d: {"code": d.feedback.tracking_code}, **PUBLIC),
    "public:feedback_published_list": Case(**PUBLIC),
    "public:feedback_published_detail": Case(kwargs=lambda d: {"code": d.published_feedback.tracking_code}, **PUBLIC),
    "public:indicators": Case(**PUBLIC),
    "public:search": Case(**PUBLIC),
    "public:feed_rss": Case(**PUBLIC),
    "public:feed_atom": Case(**PUBLIC),
    "public:sitemap": Case(**PUBLIC),
    "public:robots": Case(**PUBLIC),
    # Officers and heads write news for their own units: Trâu Quỳ's news is on its officer's desk only.
    "public:manage_news": Case(
        owner=GL_OFFICER,
        allowed=frozenset({"owner", "sibling", "other_head"}),
        private=lambda d: d.pending_news.title,
        filtered=frozenset({"sibling", "other_head"}),
    ),
    "public:manage_news_create": Case(owner=GL_DISTRICT_OFFICER, allowed=frozenset({"owner", "sibling", "other_head"})),
    # The dissolved district's news: its approver at the city federation manages it now.
    "public:manage_news_edit": Case(kwargs=_pk("news"), owner=CITY_COMMUNICATION),
    "public:manage_news_image": Case(
        kwargs=_pk("draft_news"),
        owner=GL_OFFICER,
        method="POST",
        data=lambda d: {"file": png_upload("anh-2.png"), "alt": "Ảnh hội nghị"},
    ),
    "public:manage_news_action": Case(
        kwargs=lambda d: {"pk": d.pending_news.pk, "action": "duyet"}, owner=GL_HEAD, method="POST"
    ),
    # Feedback to the Gia Lâm commune union: its head's list only.
    "public:manage_feedback": Case(
        owner=GL_HEAD,
        private=lambda d: d.attached_feedback.title,
        allowed=frozenset({"owner", "sibling", "other_head"}),
        filtered=frozenset({"sibling", "other_head"}),
    ),
    # Feedback to the dissolved district federation: the city federation's heads handle it now.
    "public:manage_feedback_detail": Case(kwargs=lambda d: {"code": d.feedback.tracking_code}, owner=CITY_HEAD),
    # A citizen's photo sent with feedback to the Gia Lâm commune union: its head opens it.
    "public:manage_feedback_attachment": Case(
        kwargs=lambda d: {"code": d.attached_feedback.tracking_code}, owner=GL_HEAD
    ),
    # The answered, published feedback: its handler hides it.
    "public:manage_feedback_action": Case(
        kwargs=lambda d: {"code": d.feedback.tracking_code, "action": "an"}, owner=CITY_HEAD, method="POST"
    ),
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


def load_demo():
    try:
        call_command("load_demo_campaign", stdout=open("/dev/null", "w"))  # noqa: SIM115
    except Exception as error:  # a sibling's demo may be half-written: load the others
        from campaign_portal.registry import DEMO_LOADERS
        from organizations import demo

        print(f"load_demo_campaign failed ({error!r}); loading app demos one by one")
        demo.load_demo()
        for loader in DEMO_LOADERS:
            try:
                with transaction.atomic():
                    loader.load()
            except Exception as app_error:
                print(f"  {loader.name} failed: {app_error!r}")


@functools.cache
def _table_names() -> dict[str, str]:
    """Every table of the database (not only those with a model) → a readable name."""
    from django.apps import apps

    labels = {m._meta.db_table: m._meta.label for m in apps.get_models(include_auto_created=True)}
    return {t: labels.get(t, t) for t in sorted(connection.introspection.table_names())}


@functools.cache
def _checksum_sql(table: str) -> str:
    """The query that reads one table for its checksum (the schema does not change during a test)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = [
            c.name for c in connection.introspection.get_table_description(cursor, table) if c.name != "last_login"
        ]
        pk = connection.introspection.get_primary_key_column(cursor, table) or columns[0]
    if connection.vendor == "postgresql":  # hashed by the database: only two values travel
        row = f"ROW({', '.join(qn(c) for c in columns)})::text"
        return f"SELECT count(*), md5(coalesce(string_agg({row}, E'\\n' ORDER BY {qn(pk)}), '')) FROM {qn(table)}"
    return f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)} ORDER BY {qn(pk)}"


def table_checksums(*, exclude: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Per table: (row count, hash of every row ordered by primary key). `last_login` is left out:
    logging a role in is not a write of the page under test."""
    sums = {}
    with connection.cursor() as cursor:
        for table, label in _table_names().items():
            if table in exclude:
                continue
            cursor.execute(_checksum_sql(table))
            if connection.vendor == "postgresql":
                count, digest = cursor.fetchone()
            else:
                rows = cursor.fetchall()
                count, digest = len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()
            sums[label] = (count, digest)
    return sums


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def write_count() -> int:
    """Rows inserted, updated or deleted so far on this connection (in this transaction on
    PostgreSQL). It only grows, rolled-back writes included: a cheap sign that a request wrote,
    before the checksums say which table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables")
            return int(cursor.fetchone()[0])
    connection.ensure_connection()
    return connection.connection.total_changes


class TableWatch:
    """The checksum of every table, taken again only when the write counter moved: thousands of
    requests cost a counter each, and a write still names its tables."""

    def __init__(self, *, exclude: frozenset[str] = frozenset()):
        self.exclude = exclude
        self.count = write_count()
        self.sums = table_checksums(exclude=exclude)

    def changed(self) -> list[str]:
        """The tables whose content differs from the last checksum; moves the watch to now."""
        count = write_count()
        if count == self.count:
            return []
        after = table_checksums(exclude=self.exclude)
        changed = changed_tables(self.sums, after)
        self.count, self.sums = count, after
        return changed

    def rolled_back(self, sums: dict) -> None:
        """After a rolled-back transaction: the content is `sums` again, whatever the counter says."""
        self.count, self.sums = write_count(), sums
