"""The demo campaign lives in the present: its history is built on the 2019 tree, the reorganisation of
1 July 2025 is applied through the services, and today's work runs on today's tree."""

import datetime as dt
import io
import os

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from campaign_portal.calendar import HANOI
from campaign_portal.registry import DEMO_LOADERS
from contest import services as contest_services
from contest.enums import Eligibility, EntrantKind, EntryStatus, RoundKind, RoundState
from contest.models import Assignment, Contest, Entry
from directives import demo as directives_demo
from directives.enums import DeliveryOutcome
from directives.models import DeliverySummary, Document
from directives.selectors import cascade_levels, cascade_totals
from organizations import demo as organizations_demo
from organizations.enums import Role, UnitChangeKind, UnitKind
from organizations.models import AdministrativeArea, Membership, Unit, UnitChange, User
from organizations.selectors import areas_covered_by, unit_lineage_on, units_in_area_q
from reporting import demo as reporting_demo
from reporting.enums import ReportStatus, ReviewAction
from reporting.models import Period, Report, Review
from reporting.selectors import expected_units_q, rollup

pytestmark = pytest.mark.django_db
GIALAM_2019 = "/HN/HN-LDLD/HN-LDLD-GIALAM/"


def _load_demo():
    with open(os.devnull, "w") as devnull:
        call_command("load_demo_campaign", stdout=devnull)


def _past_figures() -> dict:
    """Figures about 2019 that must not move: the 2019 cascade's coverage, Gia Lâm's 2019 roll-ups."""
    cv153 = Document.objects.get(number_symbol="153/LĐLĐ")
    hd83 = Document.objects.get(number_symbol="83/HD-LĐLĐ")
    gialam = Unit.objects.get(code="HN-LDLD-GIALAM")
    figures = {
        "153": cascade_totals(cascade_levels(DeliverySummary.objects.filter(document=cv153))),
        "83": cascade_totals(cascade_levels(DeliverySummary.objects.filter(document=hd83))),
        "83_lineages": sorted(hd83.deliveries.values_list("lineage", flat=True)),
    }
    for period in Period.objects.filter(cycle__name=reporting_demo.CYCLE_2019).order_by("starts_on"):
        result = rollup(period=period, unit=gialam)
        figures[period.label] = (
            [(row.indicator.code, row.total, row.reports) for row in result["rows"]],
            result["approved_below"],
            result["filed_below"],
        )
    return figures


def test_demo_history_is_that_of_the_2019_tree_and_today_has_no_district_federation():
    organizations_demo.load_demo()
    loaders = list(DEMO_LOADERS)
    for loader in loaders:
        if loader.load_history is not None:
            loader.load_history()
    before = _past_figures()
    # The 2019 reports went through the workflow services, every step dated in 2019 (history and reviews).
    trauquy_q1 = Report.objects.get(
        cycle__name=reporting_demo.CYCLE_2019, period__label="Quý 1/2019", unit__code="HN-LDLD-GIALAM-0001"
    )
    assert [h.status for h in trauquy_q1.history.order_by("history_id")] == [
        ReportStatus.DRAFT,  # made by its saved draft (report_save records every save)
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
    ]
    submitted_at, approved_at = (
        dt.datetime(2019, 3, 17, 10, 30, tzinfo=HANOI),
        dt.datetime(2019, 3, 19, 10, 30, tzinfo=HANOI),
    )
    assert (trauquy_q1.submitted_at, trauquy_q1.approved_at) == (submitted_at, approved_at)
    assert list(trauquy_q1.reviews.values_list("action", "at")) == [
        (ReviewAction.SUBMIT, submitted_at),
        (ReviewAction.APPROVE, approved_at),
    ]
    assert {
        at.year
        for at in Review.objects.filter(report__cycle__name=reporting_demo.CYCLE_2019).values_list("at", flat=True)
    } == {2019}
    organizations_demo.reorganise_2025()
    for loader in loaders:
        loader.load_present()
    today = timezone.localdate()

    # The 2019 cascade: 30 district federations, 5 industry unions, 2 direct-superior unions and the
    # city's own grassroots union; 4 of them reported it implemented (one "not applicable").
    assert before["153"] == {
        "delivered": 38,
        "read": 7,
        "acknowledged": 6,
        "implemented": 4,
        "late": 34,
        "implemented_pct": 10.5,
    }
    assert before["83"]["delivered"] == 4
    assert before["83_lineages"] == [f"{GIALAM_2019}HN-LDLD-GIALAM-000{n}/" for n in range(1, 5)]
    assert before["Quý 1/2019"][1:] == (4, 4)  # Gia Lâm's four grassroots unions, all approved in Q1
    assert before["Quý 4/2019"][1:] == (2, 3)  # Q4: two approved, one waiting, Dương Xá's returned
    assert _past_figures() == before

    # Today's tree.
    assert Unit.objects.filter(kind=UnitKind.DISTRICT_FEDERATION).count() == 30
    assert not Unit.objects.filter(
        kind__in=[UnitKind.DISTRICT_FEDERATION, UnitKind.INDUSTRY_UNION], dissolved_on__isnull=True
    ).exists()
    assert set(Unit.objects.filter(kind=UnitKind.DISTRICT_FEDERATION).values_list("dissolved_on", flat=True)) == {
        dt.date(2025, 7, 1)
    }
    assert list(
        Unit.objects.filter(kind=UnitKind.DIRECT_SUPERIOR_UNION, dissolved_on__isnull=True).values_list(
            "code", flat=True
        )
    ) == ["HN-LDLD-CD-KCN"]
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE_UNION, dissolved_on__isnull=True)
    assert communes.count() == len(organizations_demo.COMMUNE_UNIONS) == 7
    assert set(communes.values_list("active_from", flat=True)) == {dt.date(2025, 7, 1)}
    assert Unit.objects.get(code="HN-LDLD-CDP-KIMLIEN").member_count == 5135
    trauquy = Unit.objects.get(code="HN-LDLD-GIALAM-0001")
    assert trauquy.lineage == "/HN/HN-LDLD/HN-LDLD-CDX-GIALAM/HN-LDLD-GIALAM-0001/"
    assert unit_lineage_on(trauquy, dt.date(2019, 6, 1)) == f"{GIALAM_2019}HN-LDLD-GIALAM-0001/"
    assert Unit.objects.get(code="HN-LDLD-CDVC-0001").lineage == "/HN/HN-LDLD/HN-LDLD-CDVC-0001/"
    assert UnitChange.objects.filter(kind=UnitChangeKind.DISSOLVE, effective_on=dt.date(2025, 7, 1)).count() == 36
    assert UnitChange.objects.filter(kind=UnitChangeKind.MOVE, effective_on=dt.date(2025, 7, 1)).count() == 11

    # Communes and wards covered from 1 July 2025: the cluster union covers two, grassroots unions their own.
    cluster = Unit.objects.get(code=organizations_demo.CLUSTER_UNION)
    assert [a.name for a in areas_covered_by(cluster, today)] == ["Xã Bát Tràng", "Xã Gia Lâm"]
    assert areas_covered_by(cluster, dt.date(2025, 6, 30)) == []
    assert [a.code for a in areas_covered_by(trauquy, today)] == ["00565"]
    xa_gia_lam = AdministrativeArea.objects.get(code="00565")
    assert sorted(
        Unit.objects.filter(units_in_area_q(xa_gia_lam, today), kind=UnitKind.GRASSROOTS_UNION).values_list(
            "code", flat=True
        )
    ) == ["HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"]

    # People of dissolved units keep their history and work in today's units.
    chair = User.objects.get(email="chutich.gialam@demo.cchc.vn")
    assert sorted(chair.memberships.values_list("unit__code", "role", "is_active")) == [
        ("HN-LDLD-CDX-GIALAM", Role.HEAD, True),
        ("HN-LDLD-GIALAM", Role.HEAD, False),
    ]
    assert Membership.objects.get(user__email="cdcs.trauquy@demo.cchc.vn").unit == trauquy
    assert not Membership.objects.filter(is_active=True, unit__dissolved_on__isnull=False).exists()


def _fingerprint() -> dict:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("organizations", "directives", "reporting", "contest", "public")
    }


def test_demo_today_runs_on_todays_tree_and_loading_twice_changes_nothing():
    _load_demo()
    first = _fingerprint()
    states = sorted(Report.objects.values_list("unit__code", "period_id", "status", "version"))
    _load_demo()
    assert _fingerprint() == first
    assert sorted(Report.objects.values_list("unit__code", "period_id", "status", "version")) == states
    # Every summary the demo's services kept (history, the 2025 reorganisation, today) agrees with the raw rows.
    summaries = io.StringIO()
    call_command("portal_summaries", stdout=summaries)
    assert summaries.getvalue() == (
        "directives.DeliverySummary: 0 differences\nreporting: 0 differences\nreporting.ReportValueNode: 0 differences\n"
        "reporting.ReportListText: 0 differences\n"
    )

    today = timezone.localdate()
    # This year's plan goes to today's tree only: commune unions, the remaining upper union, grassroots unions.
    plan = Document.objects.get(subject=directives_demo.YEAR_PLAN_SUBJECT.format(year=today.year))
    kinds = sorted(set(plan.deliveries.values_list("unit_kind", flat=True)))
    assert kinds == sorted([UnitKind.COMMUNE_UNION, UnitKind.DIRECT_SUPERIOR_UNION, UnitKind.GRASSROOTS_UNION])
    assert not plan.deliveries.filter(unit__dissolved_on__isnull=False).exists()
    totals = cascade_totals(cascade_levels(DeliverySummary.objects.filter(document=plan)))
    assert totals == {
        "delivered": 20,
        "read": 11,
        "acknowledged": 9,
        "implemented": 5,
        "late": 15,
        "implemented_pct": 25.0,
    }
    assert plan.deliveries.get(unit__code="HN-LDLD-CDX-GIALAM").outcome == DeliveryOutcome.BY_DOCUMENT

    # An open monthly period, past due: filed on time, filed late, returned, approved, and units still to file.
    period = (
        Period.objects.filter(
            cycle__name__startswith="Báo cáo tháng",
            reports__isnull=False,
            starts_on__lte=today,
            due_on__lt=today,
            locks_on__gt=today,
        )
        .distinct()
        .get()
    )
    reports = Report.objects.filter(period=period)
    assert sorted(reports.values_list("status", "is_late")) == sorted(
        [
            (ReportStatus.APPROVED, False),
            (ReportStatus.RETURNED, False),
            (ReportStatus.SUBMITTED, True),
            (ReportStatus.DRAFT, False),
            (ReportStatus.SUBMITTED, False),
            (ReportStatus.SUBMITTED, True),
        ]
    )
    assert reports.get(unit__code="HN-LDLD-GIALAM-0001").approved_by.email == "chutich.gialam@demo.cchc.vn"
    expected = Unit.objects.filter(expected_units_q(period.cycle))
    assert not expected.filter(kind=UnitKind.DISTRICT_FEDERATION).exists()
    not_filed = expected.exclude(reports__period=period).count()
    assert not_filed == expected.count() - 6 and not_filed > 0

    # The current contest takes new entries.
    current = Contest.objects.get(slug=f"cuoc-thi-{today.year}")
    newcomer = User.objects.create_user(email="moi@example.vn", password=None, full_name="Người Dự Thi Mới")
    entrant = contest_services.entrant_join(
        contest=current,
        user=newcomer,
        kind=EntrantKind.INDIVIDUAL,
        area=AdministrativeArea.objects.get(name="Xã Gia Lâm", valid_to__isnull=True),
        eligibility=Eligibility.CITIZEN,
    )
    assert contest_services.entry_create_draft(entrant=entrant).status == EntryStatus.DRAFT
    # The other contest's preliminary round is open for judging, every demo judge has entries to score.
    judged = Contest.objects.get(slug=f"sang-kien-cong-doan-xa-phuong-{today.year}")
    prelim = judged.rounds.get(kind=RoundKind.PRELIMINARY)
    assert prelim.state == RoundState.OPEN
    assert prelim.judging_opens_at <= timezone.now() < prelim.judging_closes_at
    assert not prelim.submission_is_open()
    loads = {
        email: Assignment.objects.filter(round=prelim, judge__email=email).count()
        for email in ("giamkhao1@demo.cchc.vn", "giamkhao2@demo.cchc.vn", "giamkhao3@demo.cchc.vn")
    }
    assert loads == {"giamkhao1@demo.cchc.vn": 3, "giamkhao2@demo.cchc.vn": 4, "giamkhao3@demo.cchc.vn": 4}
    conflicted = Entry.objects.get(contest=judged, entrant__user__email="cdcs.trauquy@demo.cchc.vn")
    assert not Assignment.objects.filter(entry=conflicted, judge__email="giamkhao1@demo.cchc.vn").exists()
