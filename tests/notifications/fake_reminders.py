"""A reminder provider for the worker tests, independent of other apps: every active
user whose e-mail ends with @once.test is due one reminder about herself. Registered through
NOTIFICATIONS_EXTRA_PROVIDERS (worker_settings.py); it withdraws nothing."""

from notifications.enums import NotificationKind
from notifications.specs import ReminderSpec
from organizations.models import User


def due_reminders(*, now):
    for pk, email in User.objects.filter(email__endswith="@once.test", is_active=True).values_list("pk", "email"):
        yield ReminderSpec(
            recipient_id=pk,
            kind=NotificationKind.REPORT_DUE_SOON,
            subject_model="organizations.user",
            subject_id=pk,
            window="2019-09-20:before",
            payload={
                "title": "Báo cáo quý III/2019",
                "unit": email,
                "due": "2019-09-20",
                "url": "/reports/",
                "days_left": 3,
            },
        )
