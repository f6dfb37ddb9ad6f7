import pytest
from django.urls import reverse

from notifications import services
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_admin_log_lists_with_filters(tree, superuser, login):
    services.notify(
        recipient_ids=[tree.gl1_officer.pk],
        kind=NotificationKind.REPORT_RETURNED,
        subject=tree.gl1,
        window="w",
        payload={"title": "Quý III/2019"},
    )
    client = login(superuser)
    response = client.get(reverse("admin:notifications_notification_changelist"), {"status__exact": "pending"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_admin_resend_failed_action(tree, superuser, login, django_capture_on_commit_callbacks):
    from django.core import mail

    services.notify(
        recipient_ids=[tree.gl1_officer.pk],
        kind=NotificationKind.REPORT_RETURNED,
        subject=tree.gl1,
        window="w",
        payload={"title": "Quý III/2019", "unit": tree.gl1.name},
    )
    Notification.objects.update(status=NotificationStatus.FAILED, attempts=5, last_error="SMTPDataError: 451")
    row = Notification.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(superuser).post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend_failed", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert [m.to for m in mail.outbox] == [["gl1.officer@example.vn"]]


def test_admin_beat_schedule_exists_and_is_editable(superuser, login):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="notifications.sweep")
    assert (task.interval.every, task.interval.period, task.enabled) == (5, "minutes", True)
    response = login(superuser).get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))
    assert response.status_code == 200
