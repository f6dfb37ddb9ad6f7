"""The data migration that completes the outgoing registers (directives 0009): the reports filed and the contest
papers issued before RegisterEntry existed get the lines their services would have written, numbered after what
each register held, in the order they were sent; a second run changes nothing; the report's PDF prints the
backfilled number.

The papers are rows of the migrated-from state, written with the historical models: the real services of today
number them as they go, so they cannot make a paper without its line."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaign_portal.calendar import HANOI
from directives.models import Register, RegisterEntry
from organizations.services import unit_move
from reporting import exports
from reporting.canonical_form import standard_form_version
from tests.contest import conftest as contest_conftest
from tests.reporting.conftest import open_cycle

contest_env = contest_conftest.contest_env  # the contest app's fixture, here too

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("directives", "0008_document_signer_user")]
AFTER = [("directives", "0009_backfill_register_reports_contest")]


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Each test leaves directives at its latest migration: later tests (and this one's teardown flush) use
    tables made after 0009, such as the delivery summaries."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate([node for node in executor.loader.graph.leaf_nodes() if node[0] == "directives"])


def _at(*args):
    return dt.datetime(*args, tzinfo=HANOI)


def _migrate(targets):
    """Migrates directives to targets (the other apps stay where they are); the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "directives"]
    return executor.loader.project_state([*others, *targets]).apps


def _lines():
    return [
        (
            e.register.unit.code,
            e.register.year,
            e.number,
            e.kind,
            e.subject_key,
            e.number_symbol,
            e.issued_on,
            e.summary,
            e.signer,
            e.recipients,
        )
        for e in RegisterEntry.objects.select_related("register__unit").order_by("register__unit__code", "number")
    ]


@pytest.fixture
def old_papers(tree, contest_env):
    """What a 2025 database held: filed reports and issued contest papers, none of them in a register; Gia Lâm's
    2025 register already at 3 (directives numbered since); Trường THCS Dương Xá moved to Đông Anh after it
    filed."""
    cycle = open_cycle(standard_form_version(), tree)
    period = cycle.periods.get()
    entrant = contest_conftest.make_entrant(contest_env.contest, name="Nguyễn Văn Sáng")
    lineage_gl2 = tree.gl2.lineage
    unit_move(unit=tree.gl2, new_parent=tree.donganh, effective_on=dt.date(2025, 6, 1), by=tree.admin)

    old = _migrate(BEFORE)
    Report = old.get_model("reporting", "Report")
    Review = old.get_model("reporting", "Review")
    Entry = old.get_model("contest", "Entry")
    Contest = old.get_model("contest", "Contest")
    RoundDocument = old.get_model("contest", "RoundDocument")
    Register_ = old.get_model("directives", "Register")
    Register_.objects.create(unit_id=tree.gialam.pk, code="", year=2025, last_number=3)

    def report(unit, lineage, status, *submits):
        r = Report.objects.create(
            cycle_id=cycle.pk,
            period_id=period.pk,
            unit_id=unit.pk,
            lineage=lineage,
            form_version_id=cycle.form_version_id,
            status=status,
            submitted_at=submits[-1][0] if submits else None,
            submitted_by_id=submits[-1][1].pk if submits else None,
        )
        for at, by in submits:
            Review.objects.create(report=r, action="submit", by_id=by.pk, at=at)
        return r

    p = type("Papers", (), {})()
    p.period = period
    # gialam: submitted 12 March, returned, submitted again in April (keeps its first submission's number)
    p.gialam = report(
        tree.gialam,
        tree.gialam.lineage,
        "submitted",
        (_at(2025, 3, 12, 9), tree.gialam_officer),
        (_at(2025, 4, 2, 9), tree.gialam_head),
    )
    p.gl1 = report(tree.gl1, tree.gl1.lineage, "approved", (_at(2025, 3, 10, 8), tree.gl1_officer))
    p.gl2 = report(tree.gl2, lineage_gl2, "accepted", (_at(2025, 3, 11, 8), tree.gl2_officer))
    # sent on 31 December 2025 at 23:30 UTC, already 1 January 2026 in Hanoi, then returned: it was sent, it keeps
    # a number, in the 2026 register
    p.da1 = report(
        tree.da1, tree.da1.lineage, "returned", (dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), tree.da1_officer)
    )
    p.draft = report(tree.donganh, tree.donganh.lineage, "draft")
    p.entry = Entry.objects.create(
        contest_id=contest_env.contest.pk,
        entrant_id=entrant.pk,
        code="CT2019-0001",
        status="received",
        title="Một cửa điện tử",
        submitted_at=_at(2025, 3, 11, 10),
    )
    p.draft_entry = Entry.objects.create(contest_id=contest_env.contest.pk, entrant_id=entrant.pk, title="Nháp")
    # published on 31 December at 23:30 in Hanoi (16:30 UTC): still the 2025 register
    Contest.objects.filter(pk=contest_env.contest.pk).update(
        organising_unit_id=tree.gialam.pk, results_published_at=_at(2025, 12, 31, 23, 30)
    )
    # the minutes were first made on 5 May, made again the next day (the scores had changed)
    RoundDocument.objects.create(
        round_id=contest_env.prelim.pk,
        kind="results",
        requested_at=_at(2025, 5, 5, 15),
        finished_at=_at(2025, 5, 5, 15, 1),
    )
    RoundDocument.objects.create(round_id=contest_env.prelim.pk, kind="results", requested_at=_at(2025, 5, 6, 15))
    return p


def test_backfill_numbers_the_old_papers_after_what_each_register_held(tree, contest_env, old_papers):
    _migrate(AFTER)

    name = contest_env.contest.name
    assert _lines() == [
        (
            "HN-LDLD-DONGANH-0001",
            2026,
            1,
            "report",
            f"reporting.report:{old_papers.da1.pk}",
            "01/BC-HN-LDLD-DONGANH-0001",
            dt.date(2026, 1, 1),
            f"Đợt báo cáo thử – {old_papers.period.label}",
            tree.da1_officer.full_name,
            "Liên đoàn Lao động huyện Đông Anh",
        ),
        # Gia Lâm: 1–3 were its directives; its report, then the contest papers it organised, by sending time
        (
            "HN-LDLD-GIALAM",
            2025,
            4,
            "contest_receipt",
            f"contest.entry:{old_papers.entry.pk}",
            "04/GBN-BTC",
            dt.date(2025, 3, 11),
            f"Biên nhận bài dự thi CT2019-0001 – Cuộc thi “{name}”",
            "TM. BAN TỔ CHỨC",
            "Nguyễn Văn Sáng",
        ),
        (
            "HN-LDLD-GIALAM",
            2025,
            5,
            "report",
            f"reporting.report:{old_papers.gialam.pk}",
            "05/BC-LĐLĐ",
            dt.date(2025, 3, 12),
            f"Đợt báo cáo thử – {old_papers.period.label}",
            tree.gialam_officer.full_name,
            "Liên đoàn Lao động Thành phố Hà Nội",
        ),
        (
            "HN-LDLD-GIALAM",
            2025,
            6,
            "round_results",
            f"contest.round:{contest_env.prelim.pk}",
            "06/BB-BGK",
            dt.date(2025, 5, 5),
            f"Kết quả chấm vòng sơ khảo Cuộc thi “{name}”",
            "TM. BAN GIÁM KHẢO",
            "Ban tổ chức Cuộc thi",
        ),
        (
            "HN-LDLD-GIALAM",
            2025,
            7,
            "award_decision",
            f"contest.contest:{contest_env.contest.pk}",
            "07/QĐ-BTC",
            dt.date(2025, 12, 31),
            f"Khen thưởng các tập thể, cá nhân đạt giải Cuộc thi “{name}”",
            "TM. BAN TỔ CHỨC",
            "Các tác giả đạt giải; Tổ thư ký",
        ),
        (
            "HN-LDLD-GIALAM-0001",
            2025,
            1,
            "report",
            f"reporting.report:{old_papers.gl1.pk}",
            "01/BC-HN-LDLD-GIALAM-0001",
            dt.date(2025, 3, 10),
            f"Đợt báo cáo thử – {old_papers.period.label}",
            tree.gl1_officer.full_name,
            "Liên đoàn Lao động huyện Gia Lâm",
        ),
        # filed in March under Gia Lâm, moved to Đông Anh in June: sent to Gia Lâm
        (
            "HN-LDLD-GIALAM-0002",
            2025,
            1,
            "report",
            f"reporting.report:{old_papers.gl2.pk}",
            "01/BC-HN-LDLD-GIALAM-0002",
            dt.date(2025, 3, 11),
            f"Đợt báo cáo thử – {old_papers.period.label}",
            tree.gl2_officer.full_name,
            "Liên đoàn Lao động huyện Gia Lâm",
        ),
    ]
    assert dict(Register.objects.filter(year__in=[2025, 2026]).values_list("unit__code", "last_number")) == {
        "HN-LDLD-GIALAM": 7,
        "HN-LDLD-GIALAM-0001": 1,
        "HN-LDLD-GIALAM-0002": 1,
        "HN-LDLD-DONGANH-0001": 1,
    }
    # the report's PDF (rendered live: no stored file from before the register) prints its backfilled number
    context = exports.official_context(unit=tree.gialam, period=old_papers.period)
    assert (context["number_symbol"], context["date"]) == ("05/BC-LĐLĐ", dt.date(2025, 3, 12))


def test_backfill_run_again_changes_nothing(tree, contest_env, old_papers):
    _migrate(AFTER)
    lines = _lines()
    registers = list(Register.objects.order_by("pk").values_list("pk", "unit_id", "year", "last_number"))

    _migrate(BEFORE)  # the reverse is a no-op: the numbers stay
    assert _lines() == lines
    _migrate(AFTER)

    assert _lines() == lines
    assert list(Register.objects.order_by("pk").values_list("pk", "unit_id", "year", "last_number")) == registers
