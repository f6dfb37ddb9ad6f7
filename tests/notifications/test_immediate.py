"""The outbox with a real SMTP server on the loopback that refuses (554 to MAIL FROM) and then
accepts: digests (a report sent back) and immediate transactional mail wait with their error,
become failed after MAX_ATTEMPTS, and go out exactly once per key when the server is back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign_portal.registry import IMMEDIATE_MAIL
from notifications import delivery, services, tasks
from notifications.enums import IMMEDIATE_KINDS, Channel, ChannelMessageState, NotificationKind, NotificationStatus
from notifications.models import ChannelMessage, Notification
from notifications.selectors import notifications_for, recipients_due_for_digest, unread_count
from reporting.enums import ReportStatus
from reporting.services import report_return

from .conftest import file_report, vn

pytestmark = pytest.mark.django_db

REFUSED = "SMTPSenderRefused: (554, b'5.7.1 Sending refused (test server)'"


def test_report_returned_with_smtp_refusing_waits_then_one_urgent_mail(
    tree, period, smtp_server, django_capture_on_commit_callbacks
):
    # Issue 17: a report returned is urgent, so it goes out at once as its own e-mail (a channel message),
    # not in the next digest; the refusal is recorded on that message, which the task retries.
    report = file_report(period, tree.gl1, at=vn(2019, 9, 19, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        returned = report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu mục 2.")
    assert returned.status == ReportStatus.RETURNED
    row = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED)
    assert row.recipient_id == tree.gl1_officer.pk
    message = ChannelMessage.objects.get(notification=row)
    assert (message.channel, message.state, message.attempts, smtp_server.messages) == (
        Channel.EMAIL,
        ChannelMessageState.QUEUED,
        1,
        [],
    )
    assert message.error.startswith(REFUSED)
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT  # handed to its channels
    smtp_server.refusing = False
    for _ in range(2):  # the retry, then a duplicate delivery of it
        assert delivery.channel_message_send(message_id=message.pk) is (_ == 0)
    message.refresh_from_db()
    assert (message.state, message.attempts, message.error) == (ChannelMessageState.SENT, 2, "")
    assert [m["To"] for m in smtp_server.messages] == ["gl1.officer@example.vn"]
    assert smtp_server.messages[0]["Subject"].strip() == "[CCHC Hà Nội] Việc gấp cần chú ý"  # parser keeps a fold space
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Thiếu số liệu mục 2." in body and "ngay khi có việc gấp" in body
    # The digest leaves it out: it went (or goes) on its own.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_digests(recipient_ids=[row.recipient_id], force=True)
    assert len(smtp_server.messages) == 1


def _unlocked_notice(user) -> Notification:
    return services.mail_enqueue(
        recipient=user, kind=NotificationKind.ACCOUNT_UNLOCKED, subject=user, window="unlock-1"
    )


def test_immediate_mail_retries_then_fails_visibly_then_admin_resend_sends_once(
    tree, superuser, login, smtp_server, django_capture_on_commit_callbacks
):
    row = _unlocked_notice(tree.gl1_officer)
    for attempt in range(1, services.MAX_ATTEMPTS):
        with pytest.raises(OSError):  # smtplib errors are OSErrors: the task retries them with backoff
            services.immediate_send(notification_id=row.pk)
        row.refresh_from_db()
        assert (row.status, row.attempts) == (NotificationStatus.RETRYING, attempt)
    assert services.immediate_send(notification_id=row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts, smtp_server.refused) == (
        NotificationStatus.FAILED,
        services.MAX_ATTEMPTS,
        services.MAX_ATTEMPTS,
    )
    assert row.last_error.startswith(REFUSED)
    client = login(superuser)
    listing = client.get(reverse("admin:notifications_notification_changelist"), {"status__exact": "failed"})
    assert listing.context["cl"].result_count == 1
    assert "SMTPSenderRefused: (554" in listing.content.decode()
    # Failed is final: neither the task nor the sweep touches it again…
    assert services.immediate_send(notification_id=row.pk) is False
    assert smtp_server.refused == services.MAX_ATTEMPTS
    # …until an admin resends it, once the server accepts.
    smtp_server.refusing = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "resend_failed", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert services.immediate_send(notification_id=row.pk) is False
    [message] = smtp_server.messages
    # (a long encoded subject is folded after "Subject:", hence the strip)
    assert (message["To"], message["Subject"].strip()) == (
        "gl1.officer@example.vn",
        "Tài khoản của bạn đã được mở khóa – Cổng CCHC Hà Nội",
    )
    assert message["Message-ID"] == services.immediate_message_id(row)
    assert message.get_body(("html",)) is not None


def test_same_key_queued_twice_is_one_row_and_one_mail(tree, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _unlocked_notice(tree.gl1_officer)
        second = _unlocked_notice(tree.gl1_officer)
    assert first.pk == second.pk
    assert Notification.objects.get().status == NotificationStatus.SENT
    assert [m.to for m in mailoutbox] == [["gl1.officer@example.vn"]]


def test_sweep_requeues_only_waiting_mail_older_than_ten_minutes(tree, mailoutbox, django_capture_on_commit_callbacks):
    # Queued while the broker was down: nothing dispatched (the callbacks are dropped).
    with django_capture_on_commit_callbacks(execute=False):
        row = _unlocked_notice(tree.gl1_officer)
    now = timezone.now()
    assert services.immediate_waiting_ids(now=now + dt.timedelta(minutes=9)) == []
    assert services.immediate_waiting_ids(now=now + dt.timedelta(minutes=11)) == [row.pk]
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep.delay(now=(now + dt.timedelta(minutes=11)).isoformat())
    assert Notification.objects.get(pk=row.pk).status == NotificationStatus.SENT
    assert len(mailoutbox) == 1


def test_immediate_mail_stays_out_of_digests_and_the_portal_list(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _unlocked_notice(tree.gl1_officer)
    user = tree.gl1_officer
    assert (list(notifications_for(user)), unread_count(user)) == ([], 0)
    assert recipients_due_for_digest(now=vn(2019, 9, 17, 20, 0)) == []
    assert services.digest_send(recipient_id=user.pk, force=True).skipped == "nothing"
    assert sorted(IMMEDIATE_KINDS) == sorted(IMMEDIATE_MAIL.keys())


def test_reset_mail_for_an_account_deactivated_meanwhile_is_withdrawn(
    tree, mailoutbox, django_capture_on_commit_callbacks
):
    """The sender builds the mail from the stored account when it leaves: nothing for a closed one."""
    user = tree.gl1_officer
    with django_capture_on_commit_callbacks(execute=False):
        row = services.mail_enqueue(
            recipient=user, kind=NotificationKind.PASSWORD_RESET, subject=user, window="reset-1"
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert services.immediate_send(notification_id=row.pk) is False
    assert (Notification.objects.get(pk=row.pk).status, mailoutbox) == (NotificationStatus.WITHDRAWN, [])
