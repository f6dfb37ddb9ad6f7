import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contest import judging, results, services
from contest.enums import DEFAULT_FIELDS, Eligibility, EntrantKind, PrizeGroup, RoundKind, RoundState, StaffRole
from contest.models import Contest, ContestStaff, Criterion, Entrant, PrizeTier, Round
from tests.factories import UserFactory

PROBLEM = (
    "Người dân phải đi lại nhiều lần để nộp hồ sơ đăng ký khai sinh tại bộ phận một cửa của phường, "
    "mỗi lần chờ rất lâu vì thiếu giấy tờ."
)
SOLUTION = (
    "Lập danh mục giấy tờ mẫu có hướng dẫn điền sẵn, cho phép nộp trực tuyến ở mức độ 4 và trả kết quả "
    "qua bưu điện tận nhà."
)
ENTRY_TEXT = {
    "title": "Một lần đến, trọn thủ tục khai sinh",
    "field": "ho-tich",
    "procedure": "Đăng ký khai sinh",
    "problem": PROBLEM,
    "solution": SOLUTION,
    "benefits": "Tiết kiệm hai buổi làm việc cho mỗi hồ sơ và giảm chi phí đi lại của người dân.",
    "feasibility": "Áp dụng ngay với phần mềm một cửa điện tử hiện có, chi phí in ấn không đáng kể.",
}
CRITERIA = [
    "Rút ngắn thời gian hoàn thành thủ tục hành chính",
    "Giảm chi phí tuân thủ thủ tục hành chính",
    "Tính khả thi và ứng dụng cao",
    "Cắt giảm chi phí, nâng cao chất lượng tại bộ phận một cửa",
    "Nâng cao chất lượng phục vụ của cán bộ, công chức",
    "Nâng cao quan hệ giữa cơ quan hành chính với tổ chức, công dân",
]


class C:
    pass


@pytest.fixture
def contest_env(tree):
    now = timezone.now()
    c = C()
    c.tree = tree
    c.contest = Contest.objects.create(
        slug="thi-thu",
        name="Cuộc thi thử sáng kiến cải cách thủ tục hành chính",
        year=2019,
        plan_number="34/KH-UBND",
        plan_date=dt.date(2019, 1, 29),
        code_prefix="CT2019",
        fields=[list(f) for f in DEFAULT_FIELDS],
        max_upload_bytes=200_000,
    )
    c.prelim = Round.objects.create(
        contest=c.contest,
        kind=RoundKind.PRELIMINARY,
        name="Vòng sơ khảo",
        state=RoundState.OPEN,
        submission_opens_at=now - dt.timedelta(days=1),
        submission_closes_at=now + dt.timedelta(days=1),
        judges_per_entry=2,
    )
    c.final = Round.objects.create(contest=c.contest, kind=RoundKind.FINAL, name="Vòng chung khảo", judges_per_entry=3)
    c.criteria = [
        Criterion.objects.create(
            round=c.prelim, order=i, name=name, weight=Decimal(2 if i == 1 else 1), min_score=0, max_score=10
        )
        for i, name in enumerate(CRITERIA, start=1)
    ]
    c.final_criteria = [
        Criterion.objects.create(round=c.final, order=1, name="Thuyết trình", min_score=0, max_score=100)
    ]
    PrizeTier.objects.create(contest=c.contest, name="Giải Nhất", group=PrizeGroup.INDIVIDUAL, quota=1, rank=1)
    PrizeTier.objects.create(contest=c.contest, name="Giải Nhì", group=PrizeGroup.INDIVIDUAL, quota=2, rank=2)
    PrizeTier.objects.create(contest=c.contest, name="Giải Nhất", group=PrizeGroup.GROUP, quota=1, rank=1)
    c.organiser = UserFactory(email="btc@example.vn", full_name="Trưởng Ban Tổ Chức")
    ContestStaff.objects.create(contest=c.contest, user=c.organiser, role=StaffRole.ORGANISER)
    c.judges = [UserFactory(email=f"gk{i}@example.vn", full_name=f"Giám Khảo {i}") for i in range(1, 4)]
    c.judge_staff = [
        ContestStaff.objects.create(
            contest=c.contest,
            user=j,
            role=StaffRole.JUDGE,
            label=f"GK{i}",
            unit=tree.gl1 if i == 1 else None,
            expertise=["ho-tich"] if i == 2 else [],
        )
        for i, j in enumerate(c.judges, start=1)
    ]
    return c


def make_entrant(
    contest,
    *,
    email=None,
    name="Nguyễn Văn Sáng",
    unit=None,
    organisation="Phường Dịch Vọng",
    phone="0912345678",
    kind=EntrantKind.INDIVIDUAL,
    verified=True,
    area=None,
):
    user = UserFactory(email=email or f"ts{UserFactory._meta.model.objects.count()}@example.vn", full_name=name)
    return Entrant.objects.create(
        contest=contest,
        user=user,
        kind=kind,
        display_name=name,
        organisation=organisation,
        unit=unit,
        lineage=unit.lineage if unit else "",
        area=area,
        phone=phone,
        eligibility=Eligibility.CITIZEN,
        email_verified_at=timezone.now() if verified else None,
    )


def make_entry(entrant, *, submit=True, **overrides):
    entry = services.entry_create_draft(entrant=entrant)
    entry = services.entry_save(entry=entry, data={**ENTRY_TEXT, **overrides}, by=entrant.user)
    if submit:
        entry = services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    return entry


def make_eligible(env, entry):
    """The secretariat finds the entry eligible (the service, as the organiser)."""
    return services.entry_set_eligibility(entry=entry, eligible=True, by=env.organiser)


def make_finalist(env, entry):
    """Eligible, given to a judge, then sent to the final by the organiser: the way an entry gets there."""
    make_eligible(env, entry)
    judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[1], by=env.organiser)
    results.round_advance(contest=env.contest, entry_ids=[entry.pk], by=env.organiser)
    entry.refresh_from_db()
    return entry


def score_sheet(assignment, judge, criteria, first, rest=10):
    values = {c.pk: Decimal(rest) for c in criteria}
    values[criteria[0].pk] = Decimal(first)
    return judging.assignment_score(assignment=assignment, values=values, submit=True, by=judge)


@pytest.fixture
def scored(contest_env):
    """Two entries X, Y; judges A (gk2) and B (gk3) score both.
    A: X all 10 → 100;  Y first 0, rest 5 → (0 + 5·0.5)/7 = 35.714
    B: X first 5, rest 10 → 85.714;  Y first 5, rest 10 → 85.714"""
    env = contest_env
    x = make_entry(make_entrant(env.contest, name="Tác Giả X"))
    y = make_entry(make_entrant(env.contest, name="Tác Giả Y", kind=EntrantKind.TEAM))
    a, b = env.judges[1], env.judges[2]
    x, y = make_eligible(env, x), make_eligible(env, y)
    sheets = {}
    for entry in (x, y):
        for judge in (a, b):
            sheets[(entry.code, judge.pk)] = judging.assignment_create(round_=env.prelim, entry=entry, judge=judge)
    score_sheet(sheets[(x.code, a.pk)], a, env.criteria, 10)
    score_sheet(sheets[(y.code, a.pk)], a, env.criteria, 0, rest=5)
    score_sheet(sheets[(x.code, b.pk)], b, env.criteria, 5)
    score_sheet(sheets[(y.code, b.pk)], b, env.criteria, 5)
    env.x, env.y = x, y
    return env
