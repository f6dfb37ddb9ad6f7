import datetime as dt

import pytest
from django.core import mail

from notifications import services, tasks
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification, Preference

from .conftest import file_report, vn

pytestmark = pytest.mark.django_db
REPORT_DUE_KINDS = [
    NotificationKind.REPORT_DUE_SOON,
    NotificationKind.REPORT_DUE_TODAY,
    NotificationKind.REPORT_OVERDUE,
]


def _report_rows():
    return sorted(
        Notification.objects.filter(kind__in=REPORT_DUE_KINDS).values_list("recipient__email", "kind", "window")
    )


def test_sweep_before_due_reminds_each_missing_officer_once(tree, period):
    now = vn(2019, 9, 17, 8, 0)
    services.reminders_sweep(now=now)
    services.reminders_sweep(now=now)
    window = f"p{period.pk}:2019-09-20:before"
    assert _report_rows() == [
        ("da1.officer@example.vn", NotificationKind.REPORT_DUE_SOON, window),
        ("gl1.officer@example.vn", NotificationKind.REPORT_DUE_SOON, window),
        ("gl2.officer@example.vn", NotificationKind.REPORT_DUE_SOON, window),
    ]


def test_sweep_four_days_before_due_reminds_nobody(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 16, 8, 0))
    assert _report_rows() == []


def test_sweep_on_and_after_due_uses_new_windows(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 20, 8, 0))
    services.reminders_sweep(now=vn(2019, 9, 21, 8, 0))
    services.reminders_sweep(now=vn(2019, 9, 27, 8, 0))  # same weekly window as the 21st
    services.reminders_sweep(now=vn(2019, 9, 28, 8, 0))
    rows = [w for email, _kind, w in _report_rows() if email == "gl1.officer@example.vn"]
    assert sorted(rows) == [f"p{period.pk}:2019-09-20:{w}" for w in ("after+1", "after+8", "on")]


def test_sweep_report_filed_one_minute_before_is_not_reminded(tree, period):
    now = vn(2019, 9, 20, 8, 0)
    file_report(period, tree.gl1, at=now - dt.timedelta(minutes=1))
    services.reminders_sweep(now=now)
    assert [e for e, _k, _w in _report_rows()] == ["da1.officer@example.vn", "gl2.officer@example.vn"]


def test_sweep_report_filed_after_insert_withdraws_pending_reminder(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 20, 0, 5))
    file_report(period, tree.gl1, at=vn(2019, 9, 20, 6, 0))
    result = services.reminders_sweep(now=vn(2019, 9, 20, 6, 1))
    assert result.withdrawn == 1
    row = Notification.objects.get(recipient=tree.gl1_officer)
    assert row.status == NotificationStatus.WITHDRAWN


def test_sweep_that_inserts_and_withdraws_keeps_its_new_rows_pending(tree, period):
    """The rows a sweep inserts are not read back for withdrawal (issue 18): the earlier window's rows that are no
    longer due are withdrawn, the new window's rows stay pending."""
    services.reminders_sweep(now=vn(2019, 9, 19, 8, 0))
    file_report(period, tree.gl1, at=vn(2019, 9, 20, 6, 0))
    result = services.reminders_sweep(now=vn(2019, 9, 20, 6, 1))
    before, on = f"p{period.pk}:2019-09-20:before", f"p{period.pk}:2019-09-20:on"
    rows = sorted(
        Notification.objects.filter(kind__in=REPORT_DUE_KINDS).values_list("recipient__email", "window", "status")
    )
    assert rows == [
        ("da1.officer@example.vn", before, NotificationStatus.WITHDRAWN),
        ("da1.officer@example.vn", on, NotificationStatus.PENDING),
        ("gl1.officer@example.vn", before, NotificationStatus.WITHDRAWN),
        ("gl2.officer@example.vn", before, NotificationStatus.WITHDRAWN),
        ("gl2.officer@example.vn", on, NotificationStatus.PENDING),
    ]
    assert result.withdrawn == 3


def test_sweep_heads_digest_counts_late_children(tree, period):
    now = vn(2019, 9, 23, 8, 0)
    file_report(period, tree.gl2, at=vn(2019, 9, 19, 9, 0))  # submitted, waiting for review
    services.reminders_sweep(now=now)
    digest = Notification.objects.get(kind=NotificationKind.REPORT_CHILDREN_DIGEST, recipient=tree.gialam_head)
    assert (digest.window, digest.payload["late"], digest.payload["pending"]) == ("2019-09-23", 1, 1)
    heads = sorted(
        Notification.objects.filter(kind=NotificationKind.REPORT_CHILDREN_DIGEST).values_list(
            "recipient__email", flat=True
        )
    )
    # Đông Anh: Uy Nỗ late; the city federation: its direct grassroots union late.
    assert heads == ["city.head@example.vn", "donganh.head@example.vn", "gialam.head@example.vn"]


@pytest.mark.parametrize("batch", [1, 2, tasks.DIGEST_BATCH])  # three people: in one, two or three tasks
def test_sweep_twice_then_dispatch_sends_one_email_per_person(
    tree, period, django_capture_on_commit_callbacks, monkeypatch, batch
):
    monkeypatch.setattr(tasks, "DIGEST_BATCH", batch)
    now = vn(2019, 9, 17, 8, 0).isoformat()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.sweep.delay(now=now)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "da1.officer@example.vn",
        "gl1.officer@example.vn",
        "gl2.officer@example.vn",
    ]
    message = next(m for m in mail.outbox if m.to == ["gl1.officer@example.vn"])
    html = message.alternatives[0][0]
    assert "Báo cáo tuyên truyền CCHC 2019 – Quý III/2019" in message.body
    assert "20/09/2019" in message.body
    assert "http://127.0.0.1:8000/notifications/preferences/" in message.body
    assert "http://127.0.0.1:8000/notifications/preferences/" in html
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 3


def test_digest_at_most_one_email_per_day(tree, period, django_capture_on_commit_callbacks):
    # Issue 17: urgent kinds (a report returned, a deadline today) now go out at once, so the digest's
    # once-a-day rule is walked with the kinds that wait for it (due soon, a new directive).
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep.delay(now=vn(2019, 9, 17, 8, 0).isoformat())
    assert len(mail.outbox) == 3
    # Later the same day a directive arrives: it waits for tomorrow's digest.
    services.notify(
        recipient_ids=[tree.gl1_officer.pk],
        kind=NotificationKind.DIRECTIVE_ISSUED,
        subject=tree.gl1,
        window="issued-1",
        payload={"title": "Kế hoạch 12/KH-LĐLĐ", "unit": tree.gl1.name},
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep.delay(now=vn(2019, 9, 17, 15, 0).isoformat())
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep.delay(now=vn(2019, 9, 18, 8, 0).isoformat())
    gl1_mails = [m for m in mail.outbox if m.to == ["gl1.officer@example.vn"]]
    assert len(gl1_mails) == 2
    assert "Văn bản mới gửi" in gl1_mails[1].body and "Kế hoạch 12/KH-LĐLĐ" in gl1_mails[1].body


def test_digest_waits_for_the_persons_digest_hour(tree, period):
    services.reminders_sweep(now=vn(2019, 9, 17, 5, 0))
    result = services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 5, 0))
    assert (result.sent, result.skipped) == (0, "not_yet")
    assert services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 7, 0)).sent == 1


def test_digest_kind_with_email_off_stays_in_portal_only(tree, period):
    Preference.objects.create(user=tree.gl1_officer, email_disabled_kinds=[NotificationKind.REPORT_DUE_SOON])
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    result = services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 8, 0))
    assert (result.sent, result.portal_only) == (0, 1)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=tree.gl1_officer).status == NotificationStatus.PORTAL_ONLY


def test_digest_in_english_for_english_preference(tree, period):
    Preference.objects.create(user=tree.gl1_officer, language="en")
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 8, 0))
    assert '<html lang="en">' in mail.outbox[0].alternatives[0][0]


def test_digest_task_retries_when_the_database_restarts(tree, period, monkeypatch):
    """A digest batch that meets a restarting database on one person still serves the others, is retried,
    not failed (which would mail the admins once per task), and each person gets exactly one e-mail."""
    from django.db import OperationalError

    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    real_send, calls = services._digest_send, []

    def database_restarting_once(**kwargs):
        calls.append(kwargs["recipient_id"])
        if len(calls) == 1:
            raise OperationalError("the database system is shutting down")
        return real_send(**kwargs)

    monkeypatch.setattr(services, "_digest_send", database_restarting_once)
    people = [tree.gl1_officer, tree.gl2_officer]
    kwargs = {"recipient_ids": [u.pk for u in people], "now": vn(2019, 9, 17, 8, 0).isoformat()}
    # Eagerly, Celery runs the retry at once instead of after the back-off.
    assert tasks.send_digests.apply(kwargs=kwargs, throw=False).state == "SUCCESS"
    assert calls == [u.pk for u in people] * 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people)
    statuses = set(Notification.objects.filter(recipient__in=people).values_list("status", flat=True))
    assert statuses == {NotificationStatus.SENT}


def test_digest_batch_makes_sure_of_the_preferences_once(tree, period, django_assert_num_queries):
    """Two queries make sure every person of the batch has her Preference row; then each digest costs the same
    queries as before, without a get-or-create of its own."""
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    people = [tree.gl1_officer, tree.gl2_officer, tree.da1_officer]
    assert not Preference.objects.filter(user__in=people).exists()
    with django_assert_num_queries(2 + 3 * PER_DIGEST_QUERIES):
        sent = services.digests_send(recipient_ids=[u.pk for u in people], now=vn(2019, 9, 17, 8, 0))
    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in people)


# In a savepoint (2): lock the preference, lock the pending rows, mark them sent, stamp the day's digest.
PER_DIGEST_QUERIES = 6


def test_digest_sent_again_for_the_same_rows_keeps_its_message_id(tree, period):
    """The one window a SIGKILL leaves (the mail left, the rows not yet marked sent): the mail
    sent again carries the same Message-ID, which de-duplicating mail servers and clients collapse."""
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    rows = list(Notification.objects.filter(recipient=tree.gl1_officer))
    first = services.digest_message(user=tree.gl1_officer, notifications=rows, language="vi")
    again = services.digest_message(user=tree.gl1_officer, notifications=list(reversed(rows)), language="vi")
    other = services.digest_message(user=tree.gl2_officer, notifications=rows, language="vi")
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"] != other.extra_headers["Message-ID"]
    assert first.message()["Message-ID"] == first.extra_headers["Message-ID"]
    services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 8, 0))
    assert mail.outbox[0].message()["Message-ID"] == first.extra_headers["Message-ID"]


def test_digest_smtp_failure_counts_attempts_then_fails_visibly(tree, period, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    for attempt in range(1, services.MAX_ATTEMPTS):
        with pytest.raises(OSError):
            services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 8, 0))
        row = Notification.objects.get(recipient=tree.gl1_officer)
        assert (row.status, row.attempts) == (NotificationStatus.PENDING, attempt)
    result = services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 8, 0))
    row = Notification.objects.get(recipient=tree.gl1_officer)
    assert (result.skipped, row.status, row.attempts) == ("failed", NotificationStatus.FAILED, services.MAX_ATTEMPTS)
    assert row.last_error == "ConnectionRefusedError: [Errno 111] SMTP server down"
    # An admin resends: pending again, and it goes out the same day.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notifications_resend(notification_ids=[row.pk]) == [tree.gl1_officer.pk]
    assert services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 9, 0), force=True).sent == 1
    assert Notification.objects.get(pk=row.pk).status == NotificationStatus.SENT


def test_sweep_query_count_independent_of_units(tree, period, django_assert_max_num_queries):
    from organizations.enums import Role
    from tests.factories import make_unit, member

    for _ in range(15):
        member(make_unit(tree.gialam), Role.OFFICER)
    with django_assert_max_num_queries(25):
        result = services.reminders_sweep(now=vn(2019, 9, 23, 8, 0))
    assert result.due == 18 + 3  # 18 officers overdue, 3 heads' digests
