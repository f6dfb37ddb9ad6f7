"""Scale data: one contest with 2,000 submitted entries, 15 judges, 3 judges per entry, all scored.
Bulk inserts only; idempotent (skipped when the contest exists)."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from campaign_portal.calendar import HANOI
from organizations.enums import UnitKind
from organizations.models import AdministrativeArea, Unit, User

from . import judging
from .demo import _contest
from .enums import AssignmentState, Eligibility, EntrantKind, EntryStatus, RoundKind, RoundState, StaffRole
from .models import Assignment, Contest, ContestStaff, Entrant, Entry, Score

SLUG = "cuoc-thi-quy-mo"
ENTRIES = 2000
JUDGES = 15
K = 3
FIELDS = ["dat-dai", "dau-tu", "dang-ky-kinh-doanh", "xay-dung", "ho-tich", "ho-khau", "cong-chung", "mot-cua"]
TOPICS = [
    "tiếp nhận hồ sơ",
    "trả kết quả",
    "tra cứu tiến độ",
    "thanh toán lệ phí",
    "liên thông dữ liệu",
    "hướng dẫn người dân",
    "đánh giá mức độ hài lòng",
    "số hóa hồ sơ",
]
PLACES = ["phường", "xã", "thị trấn", "quận", "huyện"]


def generate(*, stdout=None, **_kwargs) -> None:
    if Contest.objects.filter(slug=SLUG).exists():
        if stdout:
            stdout.write("contest scale data already present")
        return
    rng = random.Random(2019)
    with transaction.atomic():
        windows = (
            dt.datetime(2019, 4, 1, tzinfo=HANOI),
            dt.datetime(2019, 10, 1, tzinfo=HANOI),
            dt.datetime(2019, 10, 1, tzinfo=HANOI),
            dt.datetime(2030, 11, 20, tzinfo=HANOI),
            dt.datetime(2030, 11, 28, tzinfo=HANOI),
        )
        contest, _created = _contest(
            SLUG,
            name="Cuộc thi sáng kiến CCHC (dữ liệu quy mô)",
            year=2019,
            prefix="CTQM",
            windows=windows,
            states=(RoundState.OPEN, RoundState.PLANNED),
        )
        units = list(Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION).values_list("pk", "lineage")[:5000])
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(email=f"giamkhao.{i:02d}@scale.cchc.vn", full_name=f"Giám khảo {i:02d}", password=password)
                for i in range(1, JUDGES + 1)
            ]
            + [
                User(email=f"thisinh.{i:04d}@scale.cchc.vn", full_name=f"Thí sinh {i:04d}", password=password)
                for i in range(1, ENTRIES + 1)
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        users = dict(User.objects.filter(email__endswith="@scale.cchc.vn").values_list("email", "pk"))
        ContestStaff.objects.bulk_create(
            [
                ContestStaff(
                    contest=contest,
                    user_id=users[f"giamkhao.{i:02d}@scale.cchc.vn"],
                    role=StaffRole.JUDGE,
                    label=f"GK{i}",
                    unit_id=units[i % len(units)][0] if units else None,
                    expertise=[FIELDS[i % len(FIELDS)], FIELDS[(i + 3) % len(FIELDS)]],
                )
                for i in range(1, JUDGES + 1)
            ]
        )
        area_ids = list(AdministrativeArea.objects.filter(valid_to__isnull=True).values_list("pk", flat=True))
        now = timezone.now()
        entrants = []
        for i in range(1, ENTRIES + 1):
            unit = rng.choice(units) if units else (None, "")
            entrants.append(
                Entrant(
                    contest=contest,
                    user_id=users[f"thisinh.{i:04d}@scale.cchc.vn"],
                    kind=EntrantKind.INDIVIDUAL if i % 5 else EntrantKind.TEAM,
                    display_name=f"Thí sinh {i:04d}",
                    team_members=[] if i % 5 else [f"Thành viên {i}-1", f"Thành viên {i}-2"],
                    organisation=f"Đơn vị {i % 300}",
                    unit_id=unit[0],
                    lineage=unit[1],
                    area_id=area_ids[i % len(area_ids)] if area_ids else None,
                    eligibility=list(Eligibility.values)[i % 3],
                    email_verified_at=now,
                    eligibility_declared_at=now,
                )
            )
        Entrant.objects.bulk_create(entrants, batch_size=2000)
        entrant_rows = list(
            Entrant.objects.filter(contest=contest)
            .order_by("pk")
            .values_list("pk", "area_id", "eligibility", "lineage")
        )
        entries = []
        # Sent over the 2019 submission window, as the contest's entries were: not all "now", which would make the
        # world's 2,000 receipts look lost in the last week to the signing catch-up (signatures.selectors).
        submission_window = windows[1] - windows[0]
        for n, (entrant_id, area_id, eligibility, lineage) in enumerate(entrant_rows, start=1):
            topic, place = rng.choice(TOPICS), rng.choice(PLACES)
            entry = Entry(
                contest=contest,
                entrant_id=entrant_id,
                code=f"CTQM-{n:04d}",
                status=EntryStatus.ELIGIBLE,
                title=f"Giải pháp {topic} tại bộ phận một cửa cấp {place} số {n}",
                field=FIELDS[n % len(FIELDS)],
                procedure=f"Thủ tục {topic}",
                problem=f"Người dân mất nhiều thời gian cho khâu {topic} tại {place}, phải đi lại nhiều lần.",
                solution=f"Ứng dụng công nghệ thông tin để {topic} trực tuyến, thông báo kết quả qua tin nhắn.",
                benefits="Tiết kiệm thời gian và chi phí đi lại cho người dân, giảm tải cho cán bộ.",
                feasibility="Áp dụng trên hệ thống một cửa điện tử sẵn có, chi phí thấp.",
                category=eligibility,
                area_id=area_id,
                lineage=lineage,
                submitted_at=windows[0] + submission_window * n / (len(entrant_rows) + 1),
                version=1,
            )
            entry.normalise()
            entries.append(entry)
        Entry.objects.bulk_create(entries, batch_size=2000)
        # The seed numbers its entries itself (bulk_create); the counter follows them (kept out of the history).
        Contest.objects.filter(pk=contest.pk).update(last_entry_number=ENTRIES)
        prelim = contest.rounds.get(kind=RoundKind.PRELIMINARY)
        outcome = judging.assignment_auto(round_=prelim, k=K)
        criteria = list(prelim.criteria.all())
        assignments = list(Assignment.objects.filter(round=prelim))
        scores = []
        for a in assignments:
            level = rng.randint(3, 9)
            values = {c.pk: Decimal(max(0, min(10, level + rng.randint(-1, 1)))) for c in criteria}
            scores.extend(Score(assignment=a, criterion=c, value=values[c.pk]) for c in criteria)
            a.total = judging.weighted_total(values, criteria)
            a.state = AssignmentState.SUBMITTED
            a.submitted_at = now
        Score.objects.bulk_create(scores, batch_size=2000)
        Assignment.objects.bulk_update(assignments, ["total", "state", "submitted_at"], batch_size=2000)
    if stdout:
        stdout.write(
            f"contest: {ENTRIES} entries, {JUDGES} judges, {outcome.created} assignments "
            f"(load spread {outcome.spread}), {len(scores)} scores"
        )
