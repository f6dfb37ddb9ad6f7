"""The contest's e-mails with the mail server refusing (a real SMTP server on the loopback that
answers 554 to MAIL FROM): the committed action answers normally, the outbox row records the
failure, and once the server accepts again exactly one mail goes out per key."""

import datetime as dt
import re
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contest.models import Entrant, Entry
from notifications import tasks
from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification

from .conftest import ENTRY_TEXT, make_entrant

# Transactional: the on-commit dispatch runs inside the request, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "SMTPSenderRefused: (554, b'5.7.1 Sending refused (test server)'"


@pytest.fixture
def one_clock():
    """One clock for the test: the outbox keys of resent mail hold ten-minute windows."""
    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
        yield


def _mail_row(kind) -> Notification:
    return Notification.objects.get(kind=kind)


def test_entry_submit_with_smtp_refusing_answers_normally_then_one_receipt(contest_env, login, smtp_server):
    entrant = make_entrant(contest_env.contest, email="bien.nhan@example.vn")
    client = login(entrant.user)
    response = client.post(
        reverse("contest:entry_new", args=[contest_env.contest.slug]),
        {**ENTRY_TEXT, "draft_key": str(uuid.uuid4()), "action": "submit"},
    )
    entry = Entry.objects.get(entrant=entrant)
    assert (response.status_code, response["Location"]) == (302, reverse("contest:entry_detail", args=[entry.pk]))
    assert (entry.code, entry.status) == ("CT2019-0001", "received")
    row = _mail_row(NotificationKind.CONTEST_RECEIPT)
    assert (row.recipient_id, row.subject_id, row.window) == (entrant.user_id, entry.pk, "receipt")
    assert (row.status, row.attempts) == (NotificationStatus.RETRYING, 1)
    assert row.last_error.startswith(REFUSED)
    assert (smtp_server.refused, smtp_server.messages) == (1, [])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Chưa gửi được biên nhận qua e-mail (máy chủ thư đang lỗi); hệ thống sẽ tự gửi lại." in (
        page.content.decode()
    )
    assert "Đã nộp bài. Mã bài dự thi: CT2019-0001. Biên nhận sẽ được gửi tới e-mail" in page.content.decode()

    # The server is back; the retry (here the sweep, which queues waiting mail again) sends it.
    smtp_server.refusing = False
    tasks.sweep.delay(now=(timezone.now() + dt.timedelta(minutes=11)).isoformat())
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")
    [message] = smtp_server.messages
    assert (message["To"], message["Subject"]) == ("bien.nhan@example.vn", "Biên nhận bài dự thi CT2019-0001")
    assert [p.get_filename() for p in message.iter_attachments()] == ["bien-nhan-CT2019-0001.pdf"]
    assert next(message.iter_attachments()).get_content().startswith(b"%PDF")
    # A second delivery of the task, a second submit, a sweep: still one mail for the key.
    tasks.send_immediate.delay(notification_id=row.pk)
    login(entrant.user).post(reverse("contest:entry_edit", args=[entry.pk]), {**ENTRY_TEXT, "action": "submit"})
    tasks.sweep.delay()
    assert len(smtp_server.messages) == 1
    assert Notification.objects.filter(kind=NotificationKind.CONTEST_RECEIPT).count() == 1


def _register(client, contest, email="dangky@example.vn"):
    return client.post(
        reverse("contest:register", args=[contest.slug]),
        {
            "full_name": "Phạm Thị Đăng Ký",
            "email": email,
            "password1": "mot-mat-khau-dai-9",
            "password2": "mot-mat-khau-dai-9",
            "kind": "individual",
            "eligibility": "citizen",
            "declare": "on",
        },
    )


def _resend(client, contest, email, ip="10.1.1.1"):
    return client.post(reverse("contest:verify_resend", args=[contest.slug]), {"email": email}, REMOTE_ADDR=ip)


def test_registration_with_smtp_refusing_then_resend_sends_one_verification(
    contest_env, client, smtp_server, one_clock
):
    contest = contest_env.contest
    response = _register(client, contest)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kiểm tra e-mail của bạn" in body and "Gửi lại thư xác minh" in body
    assert f'action="{reverse("contest:verify_resend", args=[contest.slug])}"' in body
    entrant = Entrant.objects.select_related("user").get(user__email="dangky@example.vn")
    assert (entrant.user.is_active, entrant.email_verified_at) == (False, None)
    row = _mail_row(NotificationKind.CONTEST_VERIFY_EMAIL)
    assert (row.recipient_id, row.subject_id, row.status, row.attempts) == (
        entrant.user_id,
        entrant.pk,
        NotificationStatus.RETRYING,
        1,
    )
    assert row.last_error.startswith(REFUSED)
    assert smtp_server.messages == []

    # The server is back; the person presses "Gửi lại thư xác minh" (a POST).
    smtp_server.refusing = False
    response = _resend(client, contest, "DangKy@example.vn")
    assert response.status_code == 200
    assert "thư xác nhận sẽ được gửi lại trong ít phút" in response.content.decode()
    [message] = smtp_server.messages
    assert message["To"] == "dangky@example.vn"
    path = re.search(re.escape(settings.SITE_URL) + r"(/contest/\S+)", message.get_body(("plain",)).get_content())
    assert client.post(path.group(1)).status_code == 302
    entrant.refresh_from_db()
    assert entrant.user.is_active is True and entrant.email_verified_at is not None
    # Verified: further presses send nothing; an unknown address answers the same words.
    unknown = _resend(client, contest, "khong-co@example.vn")
    assert "thư xác nhận sẽ được gửi lại trong ít phút" in unknown.content.decode()
    assert _resend(client, contest, "dangky@example.vn").status_code == 200
    assert len(smtp_server.messages) == 1
    assert Notification.objects.filter(kind=NotificationKind.CONTEST_VERIFY_EMAIL).count() == 1


def test_verification_resend_is_rate_limited_per_address(contest_env, client, smtp_server, one_clock):
    contest = contest_env.contest
    smtp_server.refusing = False
    _register(client, contest)
    assert len(smtp_server.messages) == 1
    answers = [_resend(client, contest, "dangky@example.vn").content.decode() for _ in range(6)]
    assert ["quá nhiều lần" in a for a in answers] == [False] * 5 + [True]
    assert "quá nhiều lần" not in _resend(client, contest, "dangky@example.vn", ip="10.2.2.2").content.decode()
    # Within ten minutes a resend reuses the sent row's key: still one mail.
    assert len(smtp_server.messages) == 1


def test_verification_resend_is_a_post(contest_env, client):
    url = reverse("contest:verify_resend", args=[contest_env.contest.slug])
    assert client.get(url, {"email": "dangky@example.vn"}).status_code == 405
