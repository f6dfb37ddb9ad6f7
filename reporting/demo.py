"""Demo data on the standard campaign report form (reporting.canonical_form): the 2019 quarterly cycle
with filed, late, returned and approved reports for the demo grassroots unions and districts
(load_history, on the 2019 tree), and today's
work on today's tree (load_present): this year's monthly cycle whose latest past-due period is
still open (45 grace days, so there is one whatever the date), with reports filed on time,
filed late, returned and approved through the services, and units that have not filed; a
one-off cycle due soon and an overdue one.

Idempotent: the form is found by its code, cycles by their names, reports by unit and period.
The 2019 reports go through the same services as today's, each step passed the moment it
happened in 2019 (`now`), when their periods were open."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from campaign_portal.calendar import HANOI, add_working_days
from organizations.enums import UnitKind
from organizations.models import Unit, User

from . import cycles, services
from .canonical_form import CHANNELS, standard_form_version
from .enums import PeriodScheme, PeriodType
from .models import Period, Report, ReportingCycle
from .periods import periods_for

CYCLE_2019 = "Báo cáo kết quả tuyên truyền CCHC, một cửa năm 2019 (theo Công văn 153/LĐLĐ)"
OPEN_CYCLE = "Báo cáo nhanh kết quả tuyên truyền CCHC cuối năm"
OVERDUE_CYCLE = "Báo cáo đột xuất số liệu phản ánh, kiến nghị của đoàn viên"
MONTHLY_CYCLE = "Báo cáo tháng kết quả tuyên truyền CCHC, chuyển đổi số năm {year}"
MONTHLY_DUE_WORKING_DAYS = 2
MONTHLY_GRACE_DAYS = 45  # > the longest gap between two monthly due dates: the latest past-due period is open
SCOPE_KINDS = [
    UnitKind.CITY_FEDERATION,
    UnitKind.DISTRICT_FEDERATION,
    UnitKind.INDUSTRY_UNION,
    UnitKind.DIRECT_SUPERIOR_UNION,
    UnitKind.GRASSROOTS_UNION,
]
# Today's tree (after 1 July 2025): no district federation or industry union any more.
PRESENT_SCOPE_KINDS = [
    UnitKind.CITY_FEDERATION,
    UnitKind.COMMUNE_UNION,
    UnitKind.DIRECT_SUPERIOR_UNION,
    UnitKind.GRASSROOTS_UNION,
]

RESULTS = [
    "Đã phổ biến Kế hoạch 33/KH-UBND tới toàn thể đoàn viên; lồng ghép tuyên truyền trong hội nghị người lao động.",
    "Treo băng rôn, phát tờ rơi về dịch vụ công trực tuyến; đoàn viên tích cực tham gia cuộc thi sáng kiến CCHC.",
    "Tổ chức tọa đàm về cơ chế một cửa liên thông, mời cán bộ bộ phận một cửa trao đổi trực tiếp với đoàn viên.",
]
DIFFICULTIES = ["Đoàn viên làm việc theo ca nên khó tập trung.", "Kinh phí tuyên truyền còn hạn chế.", ""]


def _values_for(rng: random.Random, members: int, quarter: int) -> dict:
    scale = min(max(members, 20), 3000)  # the city federation reports its own activities, not 630,000 members
    factor = {1: 0.4, 2: 1.0, 3: 1.2, 4: 0.8}[quarter]
    meeting_sessions = max(1, round(rng.randint(1, 4) * factor))
    received = rng.randint(0, max(1, scale // 40))
    interactive = rng.randint(0, 2) if quarter in (2, 3) else 0
    return {
        "media_sessions": rng.randint(0, 3),
        "media_reached": round(scale * rng.uniform(0.2, 0.6)),
        "meeting_sessions": meeting_sessions,
        "meeting_reached": round(scale * rng.uniform(0.6, 0.95) * min(meeting_sessions, 2)),
        "visual_items": rng.randint(2, 10),
        "visual_reached": round(scale * rng.uniform(0.5, 0.9)),
        "interactive_sessions": interactive,
        "interactive_reached": round(scale * rng.uniform(0.3, 0.7)) if interactive else 0,
        "documents_disseminated": rng.randint(1, 4),
        "online_services_members": round(scale * rng.uniform(0.1, 0.4) * factor),
        "good_models": rng.randint(0, 1),
        "feedback_received": received,
        "feedback_answered": rng.randint(0, received),
        "contest_entries": rng.randint(0, max(1, scale // 60)) if quarter in (2, 3) else 0,
        "coverage_percent": Decimal(rng.randint(70, 100)),
        "has_plan": Decimal(1),
        "main_channel": rng.choice(CHANNELS),
        "results_text": rng.choice(RESULTS),
        "difficulties": rng.choice(DIFFICULTIES),
    }


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=HANOI)


# unit code → per quarter: (status, days after due it was submitted (negative = early))
GRASSROOTS_STORY = {
    "HN-LDLD-GIALAM-0001": [("approved", -1), ("approved", -2), ("approved", 0), ("approved", -1)],
    "HN-LDLD-GIALAM-0002": [("approved", 3), ("approved", -1), ("approved", -1), ("returned", -1)],
    "HN-LDLD-GIALAM-0003": [("approved", -1), ("approved", 5), ("approved", -2), ("submitted", 2)],
    "HN-LDLD-GIALAM-0004": [("approved", 0), ("approved", -1), ("approved", -1), ("approved", -1)],
    "HN-LDLD-DONGANH-0001": [("approved", -2), ("approved", -1), ("approved", 4), ("submitted", -1)],
    "HN-LDLD-DONGANH-0002": [(None, 0), ("approved", 7), ("approved", -1), ("draft", 0)],
    "HN-LDLD-CAUGIAY-0001": [("submitted", -1), ("submitted", -1), ("submitted", 1), ("submitted", -1)],
    "HN-LDLD-CAUGIAY-0002": [("submitted", 2), ("submitted", -1), (None, 0), (None, 0)],
    "HN-LDLD-HOANKIEM-0001": [("submitted", -1), ("submitted", -1), ("submitted", -1), ("submitted", 6)],
    "HN-LDLD-CDVC-0001": [("submitted", -1), ("submitted", -2), ("submitted", -1), ("submitted", -1)],
    "HN-LDLD-CDVC-0002": [("submitted", 1), ("submitted", -1), ("submitted", -1), ("submitted", -1)],
    "HN-LDLD-0001": [("approved", -1), ("approved", -1), ("approved", 2), ("submitted", -1)],
}
DISTRICT_STORY = {
    "HN-LDLD-GIALAM": [("approved", 1), ("approved", 2), ("approved", 1), ("submitted", 3)],
    "HN-LDLD-DONGANH": [("submitted", 2), ("approved", 1), ("approved", 4), (None, 0)],
    "HN-LDLD-CAUGIAY": [("submitted", 1), ("submitted", 1), (None, 0), (None, 0)],
    "HN-LDLD": [("submitted", 5), ("submitted", 5), ("submitted", 6), (None, 0)],
}
RETURN_COMMENT = (
    "Số lượt người tham dự hội nghị chưa khớp với biên bản gửi kèm; đề nghị kiểm tra lại và bổ sung "
    "ảnh minh chứng buổi tọa đàm."
)


def _heads() -> dict[str, User]:
    """The demo head of each unit code, when there is one."""
    from organizations.models import Membership

    return {
        m.unit.code: m.user
        for m in Membership.objects.filter(role="head", is_active=True).select_related("unit", "user")
    }


def _officer(unit: Unit) -> User | None:
    membership = unit.memberships.filter(is_active=True, role__in=["officer", "head"]).select_related("user").first()
    return membership.user if membership else None


def _file_2019(cycle: ReportingCycle, stdout=None) -> int:
    """The 2019 quarters through the workflow services, each step dated when it happened in 2019
    (the periods were open then, although they are locked today)."""
    rng = random.Random(2019)
    periods = list(cycle.periods.all())
    heads = _heads()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    units = {u.code: u for u in Unit.objects.filter(code__in=list(GRASSROOTS_STORY) + list(DISTRICT_STORY))}
    created = 0
    for code, story in list(GRASSROOTS_STORY.items()) + list(DISTRICT_STORY.items()):
        unit = units.get(code)
        if unit is None:
            continue
        officer = _officer(unit) or admin
        reviewer = heads.get(Unit.objects.get(path=unit.path[: -Unit.steplen]).code)
        for quarter, (period, (status, delay)) in enumerate(zip(periods, story, strict=True), start=1):
            if status is None or Report.objects.filter(period=period, unit=unit).exists():
                continue
            if status in ("approved", "returned") and reviewer is None:
                status = "submitted"  # nobody to review it: it waits
            submitted_at = _at(period.due_on + dt.timedelta(days=delay), 9 + quarter)
            values = _values_for(rng, unit.member_count or 300, quarter)
            # The draft was typed an hour before it was sent.
            report = services.report_save(
                period=period,
                unit=unit,
                values=values,
                expected_version=0,
                by=officer,
                now=submitted_at - dt.timedelta(hours=1),
            )
            created += 1
            if status == "draft":
                continue
            report = services.report_submit(report=report, by=officer, now=submitted_at)
            if status == "approved":
                services.report_approve(report=report, by=reviewer, now=submitted_at + dt.timedelta(days=2))
            elif status == "returned":
                services.report_return(
                    report=report, by=reviewer, comment=RETURN_COMMENT, now=submitted_at + dt.timedelta(days=1)
                )
    return created


def load_demo(*, stdout=None) -> None:
    load_history(stdout=stdout)
    load_present(stdout=stdout)


def load_history(*, stdout=None) -> None:
    version = standard_form_version()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    federation = Unit.objects.filter(code="HN-LDLD").first()
    cycle = ReportingCycle.objects.filter(name=CYCLE_2019).first()
    if cycle is None:
        cycle = cycles.cycle_open(
            name=CYCLE_2019,
            form_version=version,
            period_type=PeriodType.QUARTER,
            year=2019,
            scheme=PeriodScheme.CUTOFF_14,
            due_working_days=2,
            grace_days=10,
            scope_kinds=SCOPE_KINDS,
            scope_root=federation,
            directive_reference="153/LĐLĐ",
            by=admin,
        )
    created = _file_2019(cycle, stdout)
    # The returned Q4 report of Dương Xá: an admin reopened the locked period for it, so its
    # officer sees it in her to-do list and can correct and resubmit.
    duongxa = Unit.objects.filter(code="HN-LDLD-GIALAM-0002").first()
    q4 = cycle.periods.order_by("starts_on").last()
    today = timezone.localdate()
    if duongxa and admin and not q4.lock_exceptions.filter(unit=duongxa, until__gte=today).exists():
        cycles.lock_exception_grant(
            period=q4,
            unit=duongxa,
            until=today + dt.timedelta(days=14),
            by=admin,
            reason="Bổ sung minh chứng theo yêu cầu của LĐLĐ huyện",
        )
    if stdout:
        stdout.write(f"  reporting: form v{version.number}, 2019 cycle ({created} new reports)")


def load_present(*, stdout=None) -> None:
    version = standard_form_version()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    federation = Unit.objects.get(code="HN-LDLD")
    today = timezone.localdate()
    if not ReportingCycle.objects.filter(name=OPEN_CYCLE).exists():
        # Due within the next two days, so that "due soon" reminders go out when the demo runs.
        ends_on = today + dt.timedelta(days=2)
        while add_working_days(ends_on, 2) > today + dt.timedelta(days=2):
            ends_on -= dt.timedelta(days=1)
        cycles.cycle_open(
            name=OPEN_CYCLE,
            form_version=version,
            period_type=PeriodType.ONE_OFF,
            starts_on=today - dt.timedelta(days=45),
            ends_on=ends_on,
            due_working_days=2,
            grace_days=10,
            scope_kinds=PRESENT_SCOPE_KINDS,
            scope_root=federation,
            directive_reference="153/LĐLĐ",
            by=admin,
        )
    if not ReportingCycle.objects.filter(name=OVERDUE_CYCLE).exists():
        # Overdue by about a week but not locked (30 grace days): late units are reminded.
        cycles.cycle_open(
            name=OVERDUE_CYCLE,
            form_version=version,
            period_type=PeriodType.ONE_OFF,
            starts_on=today - dt.timedelta(days=40),
            ends_on=today - dt.timedelta(days=10),
            due_working_days=2,
            grace_days=30,
            scope_kinds=PRESENT_SCOPE_KINDS,
            scope_root=federation,
            directive_reference="153/LĐLĐ",
            by=admin,
        )
    period = _monthly_open_period(version=version, federation=federation, admin=admin, today=today)
    filed = _file_present(period)
    if stdout:
        stdout.write(
            f"  reporting: {period.cycle.name}, kỳ đang mở {period.label} (hạn {period.due_on:%d/%m/%Y}, "
            f"{filed} báo cáo mới); đợt báo cáo nhanh sắp đến hạn, đợt đột xuất quá hạn"
        )


def _monthly_open_period(*, version, federation, admin, today: dt.date) -> Period:
    """The latest monthly period already past its due date (in this year's cycle, or last year's in early
    January), created with its cycle if needed; 45 grace days keep it open."""
    for year in (today.year, today.year - 1):
        past_due = [
            s
            for s in periods_for(period_type=PeriodType.MONTH, year=year)
            if add_working_days(s.ends_on, MONTHLY_DUE_WORKING_DAYS) < today
        ]
        if past_due:
            spec = past_due[-1]
            break
    name = MONTHLY_CYCLE.format(year=year)
    cycle = ReportingCycle.objects.filter(name=name).first() or cycles.cycle_open(
        name=name,
        form_version=version,
        period_type=PeriodType.MONTH,
        year=year,
        scheme=PeriodScheme.CUTOFF_14,
        due_working_days=MONTHLY_DUE_WORKING_DAYS,
        grace_days=MONTHLY_GRACE_DAYS,
        scope_kinds=PRESENT_SCOPE_KINDS,
        scope_root=federation,
        directive_reference="Kế hoạch năm của LĐLĐ Thành phố",
        by=admin,
    )
    return cycle.periods.get(starts_on=spec.starts_on)


# unit code → what happened in the open period: (step, submitted how many days after the due date)
PRESENT_STORY = {
    "HN-LDLD-GIALAM-0001": ("approved", -1),  # Trâu Quỳ: on time, approved by the Gia Lâm commune union
    "HN-LDLD-GIALAM-0002": ("returned", -1),  # Dương Xá: returned for correction
    "HN-LDLD-GIALAM-0004": ("submitted", 3),  # the district hospital: filed late, waiting for review
    "HN-LDLD-DONGANH-0001": ("draft", 0),  # Uy Nỗ: a draft, not filed yet (late)
    "HN-LDLD-0001": ("submitted", -2),  # the city's transport corporation: on time, waiting
    "HN-LDLD-CDVC-0001": ("submitted", 1),  # Sở Tư pháp: filed late
}


def _file_present(period: Period) -> int:
    """Today's filings through the services; past moments are passed as `now` where the service takes one."""
    rng = random.Random(period.starts_on.toordinal())
    heads = _heads()
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    units = {u.code: u for u in Unit.objects.filter(code__in=list(PRESENT_STORY))}
    now = timezone.now()
    filed = 0
    for code, (step, delay) in PRESENT_STORY.items():
        unit = units.get(code)
        if unit is None or unit.is_dissolved or Report.objects.filter(period=period, unit=unit).exists():
            continue
        officer = _officer(unit) or admin
        values = _values_for(rng, unit.member_count or 300, 2)
        report = services.report_save(period=period, unit=unit, values=values, expected_version=0, by=officer)
        filed += 1
        if step == "draft":
            continue
        submitted_at = min(_at(period.due_on + dt.timedelta(days=delay), 10), now - dt.timedelta(hours=1))
        report = services.report_submit(report=report, by=officer, now=submitted_at)
        reviewer = heads.get(Unit.objects.get(path=unit.path[: -Unit.steplen]).code)
        if step == "approved" and reviewer:
            services.report_approve(report=report, by=reviewer, comment="Số liệu đầy đủ, đúng hạn.")
        elif step == "returned" and reviewer:
            services.report_return(report=report, by=reviewer, comment=RETURN_COMMENT)
    return filed
