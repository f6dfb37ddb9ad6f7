"""Readies a copy of the scale world for one load run and writes the run's manifest (JSON).

The load test logs its users in with ready-made sessions (password hashing is not what it
measures) and gives each person of the mix real work:
- filing officers: grassroots units that have not filed in the open scale period (each files once);
- reading officers: units with a 2019 report to open;
- heads: heads of units whose children have submitted 2019 reports waiting for review;
- contestants: joined entrants of the current demo contest (submission window open);
- judges: the scale contest's jury, each with assignments put back to "not scored yet".

With --deadline-rush, the deadline rush instead (deadline_rush.py): a new one-off period due today (the portal's
deadlines are days, on the calendar of Hanoi: the run is the last minutes before it as far as the server can tell),
RUSH_OFFICERS grassroots officers who have not filed it (taken in turn from every parent union: the whole city
files) and the heads of those parents, who review as the reports arrive. The day's morning has gone by
(morning_sent): its reminders, digests and urgent messages went out before the run starts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_load .venv/bin/python benchmarks/load/prepare.py \
        var/load/manifest.json [--deadline-rush]
"""

import datetime as dt
import itertools
import json
import os
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _harness  # noqa: E402  (Django set up the benchmarks' way)
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from contest import demo as contest_demo  # noqa: E402
from contest import scale as contest_scale  # noqa: E402
from contest.enums import AssignmentState, Eligibility, EntrantKind, RoundKind  # noqa: E402
from contest.models import Assignment, Contest, Entrant, Score  # noqa: E402
from organizations.enums import Role, UnitKind  # noqa: E402
from organizations.models import Membership, Unit, User  # noqa: E402
from reporting import cycles  # noqa: E402
from reporting.canonical_form import standard_form_version  # noqa: E402
from reporting.enums import PeriodType, ReportStatus  # noqa: E402
from reporting.models import Report, ReportingCycle  # noqa: E402
from reporting.scale import SCALE_CYCLE, SCALE_OPEN_CYCLE  # noqa: E402

FILERS = int(os.environ.get("LOAD_FILERS", "6000"))
READERS = int(os.environ.get("LOAD_READERS", "500"))
HEADS = int(os.environ.get("LOAD_HEADS", "40"))
CONTESTANTS = int(os.environ.get("LOAD_CONTESTANTS", "400"))
PENDING_PER_JUDGE = int(os.environ.get("LOAD_PENDING_PER_JUDGE", "150"))
RUSH_OFFICERS = int(os.environ.get("RUSH_OFFICERS", "1000"))
RUSH_CYCLE = "Tải: báo cáo hạn chót hôm nay"


def session_for(user: User) -> str:
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # the server's: Redis and the database
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def officers_by_unit(unit_ids) -> dict[int, User]:
    memberships = Membership.objects.filter(unit_id__in=unit_ids, role=Role.OFFICER, is_active=True).select_related(
        "user"
    )
    return {m.unit_id: m.user for m in memberships}


def filing_officers(period, count: int = FILERS, *, across_parents: bool = False) -> list[dict]:
    """Officers of `count` grassroots unions that have not filed the period, in tree order; `across_parents`: taken
    in turn from every parent (the deadline rush: the whole city files, not the first few districts)."""
    filed = Report.objects.filter(period=period).values("unit_id")
    candidates = (
        Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION, dissolved_on=None).exclude(pk__in=filed).order_by("path")
    )
    if across_parents:
        by_parent: dict[str, list[tuple]] = {}
        for pk, code, path in candidates.values_list("pk", "code", "path"):
            by_parent.setdefault(path[: -Unit.steplen], []).append((pk, code))
        in_turn = itertools.chain.from_iterable(itertools.zip_longest(*by_parent.values()))
        units = [unit for unit in in_turn if unit is not None][:count]
    else:
        units = list(candidates.values_list("pk", "code")[:count])
    officers = officers_by_unit([pk for pk, _code in units])
    return [{"unit": code, "session": session_for(officers[pk])} for pk, code in units if pk in officers]


def reading_officers(cycle, skip_codes: set[str]) -> list[dict]:
    reports = list(
        Report.objects.filter(cycle=cycle, unit__kind=UnitKind.GRASSROOTS_UNION)
        .exclude(unit__code__in=skip_codes)
        .order_by("-unit__path")
        .values_list("pk", "unit_id", "unit__code")[: READERS * 4]
    )
    one_per_unit = {}
    for pk, unit_id, code in reports:
        one_per_unit.setdefault(unit_id, (pk, code))
    chosen = list(one_per_unit.items())[:READERS]
    officers = officers_by_unit([unit_id for unit_id, _rest in chosen])
    return [
        {"unit": code, "report": pk, "session": session_for(officers[unit_id])}
        for unit_id, (pk, code) in chosen
        if unit_id in officers
    ]


def heads_of_parents(unit_codes: list[str]) -> list[dict]:
    """The heads of the units these units report to."""
    parent_paths = {
        path[: -Unit.steplen] for path in Unit.objects.filter(code__in=unit_codes).values_list("path", flat=True)
    }
    memberships = Membership.objects.filter(unit__path__in=parent_paths, role=Role.HEAD, is_active=True).select_related(
        "user", "unit"
    )
    return [{"unit": m.unit.code, "session": session_for(m.user)} for m in memberships]


def rush_period():
    """A new one-off period for the grassroots unions, open for a month and due today."""
    today = timezone.localdate()
    cycle = cycles.cycle_open(
        name=f"{RUSH_CYCLE} {timezone.localtime():%d/%m/%Y %H:%M:%S}",
        form_version=standard_form_version(),
        period_type=PeriodType.ONE_OFF,
        scope_kinds=[UnitKind.GRASSROOTS_UNION],
        scope_root=Unit.objects.get(code="HN-LDLD"),
        starts_on=today - dt.timedelta(days=30),
        ends_on=today,
        due_working_days=0,
        by=None,
    )
    return cycle.periods.get()


def reviewing_heads(cycle) -> list[dict]:
    """Heads whose children have the most submitted reports waiting (one-step cycle)."""
    waiting = (
        Report.objects.filter(cycle=cycle, status=ReportStatus.SUBMITTED).values("unit__path").annotate(n=Count("id"))
    )
    per_parent: dict[str, int] = {}
    for row in waiting:
        parent_path = row["unit__path"][: -Unit.steplen]
        per_parent[parent_path] = per_parent.get(parent_path, 0) + row["n"]
    busiest = sorted(per_parent, key=lambda path: -per_parent[path])[:HEADS]
    units = {u.path: u for u in Unit.objects.filter(path__in=busiest)}
    memberships = Membership.objects.filter(unit__in=units.values(), role=Role.HEAD, is_active=True).select_related(
        "user", "unit"
    )
    return [
        {"unit": m.unit.code, "waiting": per_parent[m.unit.path], "session": session_for(m.user)} for m in memberships
    ]


def contestants(contest) -> list[dict]:
    password = make_password(None)
    emails = [f"thisinh.tai.{i:04d}@load.cchc.vn" for i in range(1, CONTESTANTS + 1)]
    User.objects.bulk_create(
        [User(email=email, full_name=f"Thí sinh tải {email[12:16]}", password=password) for email in emails],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    now = timezone.now()
    Entrant.objects.bulk_create(
        [
            Entrant(
                contest=contest,
                user=user,
                kind=EntrantKind.INDIVIDUAL,
                display_name=user.full_name,
                legacy_district="Quận Hoàn Kiếm",
                eligibility=Eligibility.CITIZEN,
                eligibility_declared_at=now,
                email_verified_at=now,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    return [{"session": session_for(user)} for user in users]


def judges() -> list[dict]:
    """Each scale judge gets PENDING_PER_JUDGE of their preliminary assignments back, unscored."""
    contest = Contest.objects.get(slug=contest_scale.SLUG)
    round_ = contest.rounds.get(kind=RoundKind.PRELIMINARY)
    out = []
    for user in User.objects.filter(contest_assignments__round=round_).distinct().order_by("email"):
        reopened = list(
            Assignment.objects.filter(round=round_, judge=user)
            .order_by("id")
            .values_list("pk", flat=True)[:PENDING_PER_JUDGE]
        )
        Score.objects.filter(assignment_id__in=reopened).delete()
        Assignment.objects.filter(pk__in=reopened).update(
            state=AssignmentState.ASSIGNED, total=None, submitted_at=None, comment=""
        )
        out.append({"judge": user.email, "pending": len(reopened), "session": session_for(user)})
    return out


def morning_sent() -> dict:
    """The deadline day's morning, gone by before the rush: the notifications sweep records what is due today (the
    deadline-day reminders of every unit of the new period among them) and the morning's digests, urgent messages
    and catch-ups go out, all through the real tasks, run in this process. The rush then measures the last minutes
    before the deadline, not the morning's sending crowded into them (the worker-kill scenario measures that)."""
    from notifications.tasks import sweep

    with _harness.celery_eager():
        return sweep()


def deadline_rush_manifest() -> dict:
    with transaction.atomic():
        period = rush_period()
        filers = filing_officers(period, RUSH_OFFICERS, across_parents=True)
        manifest = {
            "prepared_at": timezone.now().isoformat(),
            "scenario": "deadline-rush",
            "filing_period": period.pk,
            "contest_slug": contest_scale.SLUG,
            "rush_filers": filers,
            "heads": heads_of_parents([filer["unit"] for filer in filers]),
            "filers": [],
            "readers": [],
            "contestants": [],
            "judges": [],
        }
    manifest["morning"] = morning_sent()
    return manifest


def main(out: str, *, deadline_rush: bool = False) -> None:
    if deadline_rush:
        write_manifest(out, deadline_rush_manifest())
        return
    if not Contest.objects.filter(slug__startswith="cuoc-thi-20").exclude(slug="cuoc-thi-2019").exists():
        # Only the contest's present (the current contest, its jury): the whole demo campaign cannot be built on
        # top of the scale world (its 2019 history would approve parents whose scale children have not filed).
        contest_demo.load_present()
    current = Contest.objects.exclude(slug="cuoc-thi-2019").filter(slug__startswith="cuoc-thi-20").get()
    open_period = ReportingCycle.objects.get(name=SCALE_OPEN_CYCLE).periods.get()
    quarters = ReportingCycle.objects.get(name=SCALE_CYCLE)
    with transaction.atomic():
        filers = filing_officers(open_period)
        manifest = {
            "prepared_at": timezone.now().isoformat(),
            "filing_period": open_period.pk,
            "contest_slug": current.slug,
            "filers": filers,
            "readers": reading_officers(quarters, {f["unit"] for f in filers}),
            "heads": reviewing_heads(quarters),
            "contestants": contestants(current),
            "judges": judges(),
        }
    write_manifest(out, manifest)


def write_manifest(out: str, manifest: dict) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    print(f"manifest {out}: " + ", ".join(f"{len(v)} {k}" for k, v in manifest.items() if isinstance(v, list)))


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    main(arguments[0] if arguments else "var/load/manifest.json", deadline_rush="--deadline-rush" in sys.argv)
