"""Apps announce their events to notifications with the recipients they decide (their signals.py,
connected in their AppConfig.ready()); "the officers of a unit" is organizations' one definition:
an active OFFICER or HEAD."""

import pytest

from directives.enums import AddresseeMode
from directives.models import Document
from directives.services import document_create, document_issue
from directives.signals import document_issued
from notifications.enums import NotificationKind
from notifications.models import Notification
from organizations.enums import Role
from reporting.models import Report
from reporting.services import report_return
from reporting.signals import report_returned
from tests.directives.conftest import at, draft_data
from tests.factories import UserFactory, make_unit, member

from .conftest import file_report, vn

pytestmark = pytest.mark.django_db


def _rows(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", "window"))


def test_report_returned_notifies_unit_officers_once(tree, period):
    report = file_report(period, tree.gl1, at=vn(2019, 9, 19, 9, 0))
    # Returned through the service; its own announcement waits for a commit this test never makes.
    report = report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu mục 2.")
    for _ in range(2):  # a signal delivered twice records once
        report_returned.send(sender=Report, report=report, by=tree.gialam_head, comment="Thiếu số liệu mục 2.")
    rows = list(Notification.objects.values_list("recipient__email", "kind", "window"))
    window = f"returned-v{report.version}"  # one notification per returned version of the report
    assert rows == [("gl1.officer@example.vn", NotificationKind.REPORT_RETURNED, window)]
    assert Notification.objects.get().payload["reason"] == "Thiếu số liệu mục 2."


def test_report_returned_through_the_service_notifies_the_units_head_too(
    tree, period, django_capture_on_commit_callbacks
):
    member(tree.gl1, Role.HEAD, UserFactory(email="gl1.head@example.vn"))
    member(tree.gl1, Role.COMMUNICATION, UserFactory(email="gl1.communication@example.vn"))
    report = file_report(period, tree.gl1, at=vn(2019, 9, 19, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        report = report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu mục 2.")
    window = f"returned-v{report.version}"
    assert _rows(NotificationKind.REPORT_RETURNED) == [
        ("gl1.head@example.vn", window),
        ("gl1.officer@example.vn", window),
    ]


def test_document_issued_notifies_every_officer_and_head_of_each_addressee(tree, django_capture_on_commit_callbacks):
    member(tree.gl1, Role.HEAD, UserFactory(email="gl1.head@example.vn"))
    document = document_create(
        issuing_unit=tree.gialam, by=tree.gialam_officer, data=draft_data(addressee_mode=AddresseeMode.SUBTREE)
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = document_issue(document=document, by=tree.gialam_officer, now=at(document.issued_on))
    assert _rows(NotificationKind.DIRECTIVE_ISSUED) == [
        ("gl1.head@example.vn", "issued"),
        ("gl1.officer@example.vn", "issued"),
        ("gl2.officer@example.vn", "issued"),
    ]
    rows = Notification.objects.filter(kind=NotificationKind.DIRECTIVE_ISSUED).order_by("recipient__email")
    assert [(n.subject_id, n.payload["unit"]) for n in rows] == [
        (document.deliveries.get(unit=tree.gl1).pk, tree.gl1.name),
        (document.deliveries.get(unit=tree.gl1).pk, tree.gl1.name),
        (document.deliveries.get(unit=tree.gl2).pk, tree.gl2.name),
    ]


@pytest.mark.parametrize("units", [2, 40])
def test_document_issued_announcement_is_query_bounded(tree, units, django_assert_max_num_queries):
    """Deliveries (1), officers (1), the delivery content type (≤1), one bulk insert: whatever the count."""
    document = document_create(
        issuing_unit=tree.donganh, by=tree.donganh_head, data=draft_data(addressee_mode=AddresseeMode.SUBTREE)
    )
    for n in range(units):
        unit = make_unit(tree.donganh, code=f"HN-LDLD-DONGANH-{n + 2:04d}")
        member(unit, Role.OFFICER)
    document = document_issue(document=document, by=tree.donganh_head, now=at(document.issued_on))
    with django_assert_max_num_queries(4):
        document_issued.send(sender=Document, document=document, by=tree.donganh_head, delivery_count=units + 1)
    assert Notification.objects.filter(kind=NotificationKind.DIRECTIVE_ISSUED).count() == units + 1
