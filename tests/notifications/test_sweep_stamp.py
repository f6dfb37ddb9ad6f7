"""The sweep's watermark (notifications.sweep_stamp): a tick where nothing changed returns the last answer at once,
and whatever changes after a sweep, through the services or by the clock, is found by the next one."""

import pytest
from django.db import transaction

from notifications import services
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification, ReminderSweepStamp
from organizations.enums import Role
from organizations.services import membership_grant
from tests.factories import UserFactory

from .conftest import file_report, vn

pytestmark = pytest.mark.django_db


def _reminded(kind=NotificationKind.REPORT_DUE_SOON):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_sweep_with_nothing_changed_answers_from_the_stamp_in_two_queries(tree, period, django_assert_num_queries):
    first = services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    # The change marks taken (none) and the stamp read, inside the sweep's savepoint.
    with django_assert_num_queries(4):
        again = services.reminders_sweep(now=vn(2019, 9, 17, 8, 5))
    assert (first.due, first.inserted) == (3, 3)
    assert (again.due, again.inserted, again.withdrawn) == (3, 0, 0)
    stamp = ReminderSweepStamp.objects.get()
    assert (stamp.swept_at, stamp.valid_until, stamp.due) == (vn(2019, 9, 17, 8, 0), vn(2019, 9, 18, 0, 0), 3)
    assert stamp.providers == "directives.reminders,reporting.reminders,contest.reminders"


def test_officer_appointed_after_the_sweep_is_reminded_by_the_next_sweep_the_same_day(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    newcomer = UserFactory(email="gl1.newcomer@example.vn")
    membership_grant(user=newcomer, unit=tree.gl1, role=Role.OFFICER, by=tree.admin)
    result = services.reminders_sweep(now=vn(2019, 9, 17, 8, 5))
    assert (result.due, result.inserted) == (4, 1)
    assert _reminded() == [
        "da1.officer@example.vn",
        "gl1.newcomer@example.vn",
        "gl1.officer@example.vn",
        "gl2.officer@example.vn",
    ]


def test_report_filed_after_the_sweep_withdraws_its_reminder_at_the_next_sweep(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    file_report(period, tree.gl1, at=vn(2019, 9, 17, 9, 0))
    result = services.reminders_sweep(now=vn(2019, 9, 17, 9, 5))
    # Two officers still due; Gia Lâm's head now has a report to review: her daily digest is new.
    assert (result.due, result.inserted, result.withdrawn) == (3, 1, 1)
    assert Notification.objects.get(recipient=tree.gl1_officer).status == NotificationStatus.WITHDRAWN
    assert _reminded(NotificationKind.REPORT_CHILDREN_DIGEST) == ["gialam.head@example.vn"]


def test_sweep_rolled_back_leaves_the_changes_it_took_to_the_next_sweep(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    membership_grant(user=UserFactory(email="gl1.newcomer@example.vn"), unit=tree.gl1, role=Role.OFFICER)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.reminders_sweep(now=vn(2019, 9, 17, 8, 5))
        raise RuntimeError("the worker died before its commit")
    result = services.reminders_sweep(now=vn(2019, 9, 17, 8, 10))
    assert (result.due, result.inserted) == (4, 1)
    assert "gl1.newcomer@example.vn" in _reminded()


def test_notification_deleted_while_still_due_is_inserted_again(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    Notification.objects.filter(recipient=tree.gl1_officer).delete()
    result = services.reminders_sweep(now=vn(2019, 9, 17, 8, 5))
    assert (result.due, result.inserted) == (3, 1)
    assert _reminded() == ["da1.officer@example.vn", "gl1.officer@example.vn", "gl2.officer@example.vn"]


def test_next_day_runs_in_full(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 23, 55))
    result = services.reminders_sweep(now=vn(2019, 9, 18, 0, 0))
    # Still "before" the 20th, the same window: nothing new, but the sweep asked the providers again.
    assert (result.due, result.inserted) == (3, 0)
    assert ReminderSweepStamp.objects.get().swept_at == vn(2019, 9, 18, 0, 0)


def test_earlier_clock_than_the_stamp_runs_in_full(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    services.reminders_sweep(now=vn(2019, 9, 17, 7, 0))
    assert ReminderSweepStamp.objects.get().swept_at == vn(2019, 9, 17, 7, 0)


def test_report_stamped_later_than_the_sweep_counts_from_its_submission_time(tree, period):
    """A report's submission time later than the sweep's clock (reporting.reminders.changes_at) ends the stamp."""
    file_report(period, tree.gl1, at=vn(2019, 9, 20, 8, 0))
    services.reminders_sweep(now=vn(2019, 9, 20, 7, 0))
    assert _reminded(NotificationKind.REPORT_DUE_TODAY) == [
        "da1.officer@example.vn",
        "gl1.officer@example.vn",
        "gl2.officer@example.vn",
    ]
    assert services.reminders_sweep(now=vn(2019, 9, 20, 7, 59)).withdrawn == 0
    assert services.reminders_sweep(now=vn(2019, 9, 20, 8, 0)).withdrawn == 1
