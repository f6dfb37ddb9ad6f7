"""Reminder kinds of directives and contest, found by the same sweep."""

import datetime as dt

import pytest

from contest.enums import AssignmentState, EntryStatus, RoundKind
from contest.models import Assignment, Contest, Entrant, Entry, Round
from contest.signals import results_published
from directives.deliveries import delivery_mark_done
from directives.enums import DocumentStatus, DocumentType
from directives.models import Delivery, Document, Register
from directives.signals import document_issued
from notifications import services
from notifications.enums import NotificationKind as K
from notifications.models import Notification
from tests.factories import UserFactory

from .conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(tree):
    register = Register.objects.create(unit=tree.federation, year=2019)
    doc = Document.objects.create(
        issuing_unit=tree.federation,
        issuing_lineage=tree.federation.lineage,
        doc_type=DocumentType.CONG_VAN,
        status=DocumentStatus.ISSUED,
        register=register,
        number=153,
        number_symbol="153/LĐLĐ",
        place="Hà Nội",
        issued_on=dt.date(2019, 3, 27),
        subject="V/v thông tin, tuyên truyền về công tác kiểm soát TTHC",
        body="Nội dung",
        signer_position="Chủ tịch",
        signer_name="Nguyễn Văn A",
        created_by=tree.city_officer,
    )
    for unit in (tree.gl1, tree.gl2):
        Delivery.objects.create(
            document=doc,
            unit=unit,
            lineage=unit.lineage,
            depth=unit.depth,
            unit_kind=unit.kind,
            delivered_at=vn(2019, 3, 27, 9, 0),
            due_on=dt.date(2019, 4, 10),
        )
    return doc


def _rows(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", "window"))


def test_directive_acknowledge_after_one_day_then_weekly(tree, document):
    services.reminders_sweep(now=vn(2019, 3, 27, 18, 0))
    assert _rows(K.DIRECTIVE_ACKNOWLEDGE) == []
    services.reminders_sweep(now=vn(2019, 3, 28, 9, 0))
    services.reminders_sweep(now=vn(2019, 4, 4, 9, 0))
    assert _rows(K.DIRECTIVE_ACKNOWLEDGE) == [
        ("gl1.officer@example.vn", "ack+1"),
        ("gl1.officer@example.vn", "ack+8"),
        ("gl2.officer@example.vn", "ack+1"),
        ("gl2.officer@example.vn", "ack+8"),
    ]


def test_directive_acknowledged_or_implemented_not_reminded(tree, document):
    delivery_mark_done(
        delivery=Delivery.objects.get(unit=tree.gl1),
        by=tree.gl1_officer,
        result_note="Đã phổ biến tại hội nghị công đoàn cơ sở.",
        now=vn(2019, 3, 27, 10, 0),
    )
    services.reminders_sweep(now=vn(2019, 4, 8, 9, 0))
    assert _rows(K.DIRECTIVE_DEADLINE) == [("gl2.officer@example.vn", "2019-04-10:before")]
    assert [e for e, _w in _rows(K.DIRECTIVE_ACKNOWLEDGE)] == ["gl2.officer@example.vn"]


def test_document_issued_signal_notifies_addressee_officers(tree, document):
    for _ in range(2):
        document_issued.send(sender=Document, document=document, by=tree.city_officer, delivery_count=2)
    assert _rows(K.DIRECTIVE_ISSUED) == [("gl1.officer@example.vn", "issued"), ("gl2.officer@example.vn", "issued")]


@pytest.fixture
def contest(tree):
    contest = Contest.objects.create(
        slug="sang-kien-2019", name="Tìm kiếm sáng kiến CCHC 2019", year=2019, code_prefix="SK"
    )
    Round.objects.create(
        contest=contest,
        kind=RoundKind.PRELIMINARY,
        name="Sơ khảo",
        submission_opens_at=vn(2019, 4, 1, 0, 0),
        submission_closes_at=vn(2019, 9, 30, 23, 59),
        judging_opens_at=vn(2019, 10, 1, 0, 0),
        judging_closes_at=vn(2019, 11, 15, 17, 0),
    )
    return contest


def _entry(contest, email, status=EntryStatus.DRAFT, title="Một cửa số"):
    user = UserFactory(email=email)
    entrant = Entrant.objects.create(contest=contest, user=user, display_name=user.full_name, eligibility="citizen")
    return Entry.objects.create(contest=contest, entrant=entrant, status=status, title=title)


def test_contest_draft_reminded_before_submission_closes(tree, contest):
    _entry(contest, "draft@example.vn")
    _entry(contest, "done@example.vn", status=EntryStatus.RECEIVED)
    services.reminders_sweep(now=vn(2019, 9, 26, 9, 0))
    assert _rows(K.CONTEST_DRAFT_DEADLINE) == []
    services.reminders_sweep(now=vn(2019, 9, 27, 9, 0))
    services.reminders_sweep(now=vn(2019, 9, 30, 9, 0))
    assert _rows(K.CONTEST_DRAFT_DEADLINE) == [
        ("draft@example.vn", "2019-09-30:before"),
        ("draft@example.vn", "2019-09-30:on"),
    ]
    services.reminders_sweep(now=vn(2019, 10, 1, 9, 0))  # closed: nothing more
    assert len(_rows(K.CONTEST_DRAFT_DEADLINE)) == 2


def test_judge_with_pending_scores_reminded_with_count_only(tree, contest):
    round_ = contest.rounds.get()
    judge, done_judge = UserFactory(email="judge@example.vn"), UserFactory(email="judge2@example.vn")
    for i in range(3):
        entry = _entry(contest, f"e{i}@example.vn", status=EntryStatus.IN_JUDGING, title=f"Sáng kiến {i}")
        Assignment.objects.create(
            round=round_,
            entry=entry,
            judge=judge,
            state=AssignmentState.SUBMITTED if i == 0 else AssignmentState.ASSIGNED,
        )
        Assignment.objects.create(round=round_, entry=entry, judge=done_judge, state=AssignmentState.SUBMITTED)
    services.reminders_sweep(now=vn(2019, 11, 13, 9, 0))
    row = Notification.objects.get(kind=K.JUDGE_SCORES_PENDING)
    assert (row.recipient.email, row.window, row.payload["count"]) == ("judge@example.vn", "2019-11-15:before", 2)
    assert "e1@example.vn" not in str(row.payload) and "Sáng kiến" not in str(row.payload)


def test_results_published_notifies_submitted_entrants(tree, contest):
    _entry(contest, "draft@example.vn")
    _entry(contest, "prize@example.vn", status=EntryStatus.PRIZE)
    results_published.send(sender=Contest, contest=contest)
    assert _rows(K.CONTEST_RESULTS) == [("prize@example.vn", "results")]


def test_directive_acknowledge_reminder_starts_to_the_minute_a_day_after_delivery(tree, document):
    """No table changes between the sweeps: the clock alone (directives.reminders.changes_at) ends the stamp."""
    services.reminders_sweep(now=vn(2019, 3, 28, 8, 55))
    assert _rows(K.DIRECTIVE_ACKNOWLEDGE) == []
    services.reminders_sweep(now=vn(2019, 3, 28, 9, 0))
    assert _rows(K.DIRECTIVE_ACKNOWLEDGE) == [("gl1.officer@example.vn", "ack+1"), ("gl2.officer@example.vn", "ack+1")]


def test_contest_draft_reminder_withdrawn_when_the_round_closes_that_evening(tree, contest):
    """The round closes at 23:59: the clock alone (contest.reminders.changes_at) ends the stamp that day."""
    _entry(contest, "draft@example.vn")
    services.reminders_sweep(now=vn(2019, 9, 30, 9, 0))
    assert services.reminders_sweep(now=vn(2019, 9, 30, 23, 58)).withdrawn == 0
    result = services.reminders_sweep(now=vn(2019, 9, 30, 23, 59))
    assert (result.due, result.withdrawn) == (0, 1)
    assert Notification.objects.get(kind=K.CONTEST_DRAFT_DEADLINE).status == "withdrawn"
