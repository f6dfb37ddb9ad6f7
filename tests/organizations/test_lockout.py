"""Credential stuffing (OWASP ASVS V2.2.1): 5 failures from one address lock that (account,
address) pair; 20 for one account from any addresses lock the account everywhere for the
cool-off. Unlocked by an admin ("Mở khóa", logged in the account's history) or by the user
herself through a password-reset e-mail sent by the outbox. Unknown accounts answer the same."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.enums import NotificationKind, NotificationStatus
from notifications.models import Notification
from organizations.services import UNLOCK_BY_ADMIN, UNLOCK_BY_RESET
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL, RIGHT, WRONG = "mai@example.vn", "pw-123456", "sai-mat-khau"
LOCKED = "Mật khẩu đã bị nhập sai nhiều lần"


def _login(ip, password, email=EMAIL):
    """A fresh browser each time, as a stuffing botnet is."""
    return Client().post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def _page(response) -> str:
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", response.content.decode())  # per-response CSRF tokens


def _lock_account(email=EMAIL) -> list[int]:
    return [_login(f"10.0.0.{i}", WRONG, email).status_code for i in range(1, 21)]


@pytest.fixture
def mai(db):
    return UserFactory(email=EMAIL)


def test_five_failures_from_one_address_lock_that_address_only(mai):
    assert [_login("1.1.1.1", WRONG).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    locked = _login("1.1.1.1", RIGHT)
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert reverse("password_reset") in locked.content.decode()
    response = _login("2.2.2.2", RIGHT)
    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    # Her success elsewhere does not free the attacker's address.
    assert _login("1.1.1.1", RIGHT).status_code == 429


def test_twenty_failures_over_twenty_addresses_lock_the_account_everywhere(mai):
    assert _lock_account() == [200] * 19 + [429]
    assert _login("3.3.3.3", RIGHT).status_code == 429
    assert LOCKED in _login("192.168.7.7", RIGHT).content.decode()


def test_nineteen_failures_over_many_addresses_do_not_lock_the_account(mai):
    assert [_login(f"10.0.0.{i}", WRONG).status_code for i in range(1, 20)] == [200] * 19
    assert _login("3.3.3.3", RIGHT).status_code == 302


def test_admin_unlock_action_lets_her_in_and_is_in_her_history(
    mai, superuser, login, django_capture_on_commit_callbacks
):
    _lock_account()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(superuser).post(
            reverse("admin:organizations_user_changelist"), {"action": "unlock_logins", "_selected_action": [mai.pk]}
        )
    assert response.status_code == 302
    assert _login("3.3.3.3", RIGHT).status_code == 302
    assert list(
        mai.history.filter(history_change_reason__isnull=False).values_list("history_change_reason", "history_user_id")
    ) == [(UNLOCK_BY_ADMIN, superuser.pk)]
    row = Notification.objects.get(kind=NotificationKind.ACCOUNT_UNLOCKED)
    assert (row.recipient_id, row.status) == (mai.pk, NotificationStatus.SENT)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([EMAIL], "Tài khoản của bạn đã được mở khóa – Cổng CCHC Hà Nội")
    ]


def test_admin_unlock_action_is_a_post_with_csrf(mai, superuser):
    _lock_account()
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("admin:organizations_user_changelist"), {"action": "unlock_logins", "_selected_action": [mai.pk]}
    )
    assert response.status_code == 403
    assert _login("3.3.3.3", RIGHT).status_code == 429


def _reset_link() -> str:
    body = mail.outbox[-1].body
    return re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", body).group(1)


def test_password_reset_completion_unlocks_her_account(mai, client, django_capture_on_commit_callbacks):
    _lock_account()
    assert [_login("1.1.1.1", WRONG).status_code for _ in range(5)] == [429] * 5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": EMAIL})
    assert (response.status_code, response["Location"]) == (302, reverse("password_reset_done"))
    assert [(m.to, m.subject) for m in mail.outbox] == [([EMAIL], "Đặt lại mật khẩu – Cổng CCHC Hà Nội")]
    set_password = client.get(_reset_link())
    assert set_password.status_code == 302
    done = client.post(
        set_password["Location"], {"new_password1": "mat-khau-moi-2026", "new_password2": "mat-khau-moi-2026"}
    )
    assert (done.status_code, done["Location"]) == (302, reverse("password_reset_complete"))
    assert _login("1.1.1.1", "mat-khau-moi-2026").status_code == 302
    assert _login("3.3.3.3", "mat-khau-moi-2026").status_code == 302
    assert list(
        mai.history.filter(history_change_reason__isnull=False).values_list("history_change_reason", "history_user_id")
    ) == [(UNLOCK_BY_RESET, mai.pk)]


def test_unknown_account_gets_the_same_answers(mai, client, django_capture_on_commit_callbacks):
    known, unknown = _login("4.4.4.4", WRONG), _login("4.4.4.4", WRONG, "khong-co@example.vn")
    assert (known.status_code, unknown.status_code) == (200, 200)
    assert "E-mail hoặc mật khẩu không đúng" in known.content.decode()
    assert _page(known).replace(EMAIL, "X") == _page(unknown).replace("khong-co@example.vn", "X")
    for _ in range(4):
        _login("5.5.5.5", WRONG), _login("5.5.5.5", WRONG, "khong-co@example.vn")
    known, unknown = _login("5.5.5.5", WRONG), _login("5.5.5.5", WRONG, "khong-co@example.vn")
    assert (known.status_code, unknown.status_code) == (429, 429)
    assert _page(known) == _page(unknown)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(reverse("password_reset"), {"email": e}) for e in (EMAIL, "khong-co@example.vn")]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, reverse("password_reset_done"))] * 2
    assert [m.to for m in mail.outbox] == [[EMAIL]]


@pytest.mark.django_db(transaction=True)
def test_password_reset_with_smtp_refusing_answers_normally_then_one_mail(mai, client, smtp_server):
    from unittest import mock

    from django.utils import timezone

    with mock.patch("django.utils.timezone.now", return_value=timezone.now()):  # one outbox window
        response = client.post(reverse("password_reset"), {"email": EMAIL})
        assert (response.status_code, response["Location"]) == (302, reverse("password_reset_done"))
        row = Notification.objects.get(kind=NotificationKind.PASSWORD_RESET)
        assert (row.recipient_id, row.status, row.attempts) == (mai.pk, NotificationStatus.RETRYING, 1)
        assert row.last_error.startswith("SMTPSenderRefused: (554, b'5.7.1 Sending refused (test server)'")
        assert "token" not in row.payload and smtp_server.messages == []
        # Back up; she asks again: the waiting row goes, once.
        smtp_server.refusing = False
        client.post(reverse("password_reset"), {"email": EMAIL})
        client.post(reverse("password_reset"), {"email": EMAIL})
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)
    [message] = smtp_server.messages
    link = re.search(
        re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", message.get_body(("plain",)).get_content()
    ).group(1)
    assert client.get(link).status_code == 302


def test_admin_unlock_needs_the_change_permission_on_users(mai, tree):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(email="xem@example.vn", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    _lock_account()
    client = Client()
    client.force_login(viewer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("admin:organizations_user_changelist"), {"action": "unlock_logins", "_selected_action": [mai.pk]}
    )
    assert response.status_code in (200, 302)  # the admin answers "no action selected"
    assert _login("3.3.3.3", RIGHT).status_code == 429
    assert mai.history.filter(history_change_reason__isnull=False).count() == 0
