"""The report's state machine: every move in REPORT_TRANSITIONS goes through the services and is found in the
report's history; every other pair of states is refused with PortalError and leaves no history row."""

import itertools

import pytest

from campaign_portal.exceptions import PortalError
from reporting import services
from reporting.enums import REPORT_TRANSITIONS, ReportStatus
from reporting.models import Report, Review
from tests.factories import member

from .conftest import VALID, file, open_cycle

pytestmark = pytest.mark.django_db

ALLOWED = sorted((a, b) for a, targets in REPORT_TRANSITIONS.items() for b in targets)
FORBIDDEN = sorted(set(itertools.product(ReportStatus.values, repeat=2)) - set(ALLOWED))


@pytest.fixture
def actors(tree):
    """Two-step cycle: the unit's officer files, the unit's head approves, the parent's head accepts."""
    tree.gl1_head = member(tree.gl1, "head")
    return {
        (ReportStatus.DRAFT, ReportStatus.SUBMITTED): tree.gl1_officer,
        (ReportStatus.RETURNED, ReportStatus.SUBMITTED): tree.gl1_officer,
        (ReportStatus.SUBMITTED, ReportStatus.RETURNED): tree.gl1_head,
        (ReportStatus.SUBMITTED, ReportStatus.APPROVED): tree.gl1_head,
        (ReportStatus.APPROVED, ReportStatus.RETURNED): tree.gialam_head,
        (ReportStatus.APPROVED, ReportStatus.ACCEPTED): tree.gialam_head,
        (ReportStatus.APPROVED, ReportStatus.SUBMITTED): tree.gl1_head,
        (ReportStatus.ACCEPTED, ReportStatus.APPROVED): tree.gialam_head,
    }


def _report_in(status: str, tree, form_version, name: str) -> Report:
    """A two-step report of gl1 brought to the status through the services, in a cycle of its own."""
    period = open_cycle(form_version, tree, two_step=True, name=name).periods.get()
    report = file(period, tree.gl1, tree.gl1_officer, submit=status != ReportStatus.DRAFT)
    if status == ReportStatus.RETURNED:
        report = services.report_return(report=report, by=tree.gl1_head, comment="Thiếu số liệu.")
    if status in (ReportStatus.APPROVED, ReportStatus.ACCEPTED):
        report = services.report_approve(report=report, by=tree.gl1_head)
    if status == ReportStatus.ACCEPTED:
        report = services.report_accept(report=report, by=tree.gialam_head)
    assert report.status == status
    return report


def test_report_transitions_cover_every_state():
    assert set(REPORT_TRANSITIONS) == set(ReportStatus.values)
    assert len(ALLOWED) == 8
    assert len(FORBIDDEN) == 25 - 8


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_report_allowed_move_is_made_and_found_in_history(tree, form_version, actors, source, target):
    report = _report_in(source, tree, form_version, name=f"{source}→{target}")
    history_before = report.history.count()
    reviews_before = Review.objects.filter(report=report).count()

    moved = services.report_set_state(report=report, to=target, by=actors[(source, target)], comment="Lý do.")

    assert moved.status == target
    assert Report.objects.get(pk=report.pk).status == target
    assert report.history.count() == history_before + 1
    latest, previous = report.history.order_by("-history_id")[:2]
    assert (previous.status, latest.status) == (source, target)
    assert latest.version == previous.version + 1
    assert Review.objects.filter(report=report).count() == reviews_before + 1


@pytest.mark.parametrize("source", ReportStatus.values)
def test_report_forbidden_moves_are_refused_without_history(tree, form_version, actors, source):
    report = _report_in(source, tree, form_version, name=f"from {source}")
    history_before = report.history.count()
    reviews_before = Review.objects.filter(report=report).count()
    users = {tree.admin, tree.gl1_officer, tree.gl1_head, tree.gialam_head, tree.city_head}
    targets = [target for (from_, target) in FORBIDDEN if from_ == source]
    assert targets  # staying put is forbidden from every state
    for target, user in itertools.product(targets, users):
        with pytest.raises(PortalError):
            services.report_set_state(report=report, to=target, by=user, comment="Lý do.")
    assert Report.objects.get(pk=report.pk).status == source
    assert report.history.count() == history_before
    assert Review.objects.filter(report=report).count() == reviews_before


def test_report_one_step_approved_is_neither_accepted_nor_returned(tree, form_version):
    """In one step the parent's approval is final: accepting or returning it is refused by the rules."""
    period = open_cycle(form_version, tree, name="Một bước").periods.get()
    report = services.report_approve(report=file(period, tree.gl1, tree.gl1_officer), by=tree.gialam_head)
    history_before = report.history.count()
    for target in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
        with pytest.raises(PortalError):
            services.report_set_state(report=report, to=target, by=tree.gialam_head, comment="Lý do.")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert report.history.count() == history_before


def test_report_move_by_a_user_without_the_permission_is_refused(tree, form_version, actors):
    report = _report_in(ReportStatus.SUBMITTED, tree, form_version, name="Không có quyền")
    history_before = report.history.count()
    with pytest.raises(PortalError) as refused:
        services.report_set_state(report=report, to=ReportStatus.APPROVED, by=tree.gl1_officer)
    assert refused.value.message == "Bạn không có quyền thực hiện thao tác này với báo cáo."
    assert report.history.count() == history_before


def test_report_save_records_each_draft_in_history_and_refuses_a_stale_version(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    assert report.history.count() == 1  # made by its first save: one row
    report = services.report_save(
        period=period, unit=tree.gl1, values=VALID, expected_version=report.version, by=tree.gl1_officer
    )
    assert report.history.count() == 2
    assert report.history.order_by("-history_id").first().version == report.version
    with pytest.raises(PortalError):
        services.report_save(
            period=period, unit=tree.gl1, values=VALID, expected_version=report.version - 1, by=tree.gl1_officer
        )
    assert report.history.count() == 2
