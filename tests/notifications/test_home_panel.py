"""The home page's unread notifications lead to what they are about."""

import pytest
from django.urls import reverse

from notifications.enums import NotificationKind
from notifications.models import Notification
from reporting.canonical_form import standard_form_version
from reporting.services import report_return
from tests.reporting.conftest import file, open_cycle

pytestmark = pytest.mark.django_db


def test_home_notifications_are_links_to_their_object(client, tree, django_capture_on_commit_callbacks):
    period = open_cycle(standard_form_version(), tree).periods.get()
    report = file(period, tree.gl1, tree.gl1_officer)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu.")
    notification = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED, recipient=tree.gl1_officer)
    client.force_login(tree.gl1_officer)
    home = client.get(reverse("home")).content.decode()
    url = reverse("reporting:report_detail", args=[report.pk])
    assert notification.url == url
    assert home.count(f'<a href="{url}">Báo cáo “{period.title}” của {tree.gl1.name} đã bị trả lại để sửa.') == 1
