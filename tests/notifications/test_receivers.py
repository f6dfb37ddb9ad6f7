import pytest

from notifications.enums import NotificationKind
from notifications.models import Notification
from reporting.enums import ReportStatus
from reporting.models import Report
from reporting.signals import report_returned

from .conftest import file_report, vn

pytestmark = pytest.mark.django_db


def test_report_returned_notifies_unit_officers_once(tree, period):
    report = file_report(period, tree.gl1, at=vn(2019, 9, 19, 9, 0), status=ReportStatus.RETURNED)
    Report.objects.filter(pk=report.pk).update(submitted_by=tree.gl1_officer, version=3)
    report.refresh_from_db()
    for _ in range(2):  # a signal delivered twice records once
        report_returned.send(sender=Report, report=report, by=tree.gialam_head, comment="Thiếu số liệu mục 2.")
    rows = list(Notification.objects.values_list("recipient__email", "kind", "window"))
    assert rows == [("gl1.officer@example.vn", NotificationKind.REPORT_RETURNED, "returned-v3")]
    assert Notification.objects.get().payload["reason"] == "Thiếu số liệu mục 2."
