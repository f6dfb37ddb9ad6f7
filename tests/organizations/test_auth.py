from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


def _attempt(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_login_with_email_lands_on_home(db, client):
    UserFactory(email="mai@example.vn")
    response = _attempt(client, "MAI@example.vn", "pw-123456")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_a_vietnamese_message_and_keeps_the_email(db, client):
    UserFactory(email="mai@example.vn")
    body = _attempt(client, "mai@example.vn", "sai-mat-khau").content.decode()
    assert "E-mail hoặc mật khẩu không đúng" in body
    assert 'value="mai@example.vn"' in body


def test_five_wrong_passwords_lock_the_account_from_that_address(db, client):
    UserFactory(email="mai@example.vn")
    for _ in range(4):
        assert _attempt(client, "mai@example.vn", "sai").status_code == 200
    locked = _attempt(client, "mai@example.vn", "sai")
    assert locked.status_code == 429
    assert "15 phút" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _attempt(client, "mai@example.vn", "pw-123456").status_code == 429


def test_admin_unlocks_a_locked_account(db, client):
    from axes.utils import reset

    UserFactory(email="mai@example.vn")
    for _ in range(5):
        _attempt(client, "mai@example.vn", "sai")
    reset(username="mai@example.vn")
    assert _attempt(client, "mai@example.vn", "pw-123456").status_code == 302


def test_password_reset_sends_an_email_with_a_link(db, client, django_capture_on_commit_callbacks):
    UserFactory(email="mai@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "mai@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_logout_is_a_post(db, client):
    user = UserFactory()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


# --- permissions: the rule set for everyone, model permissions for staff only (issue 18, item 3) ----------------


def test_has_perm_of_an_officer_asks_no_query_when_the_rules_deny(tree, django_assert_num_queries):
    officer = type(tree.gl1_officer).objects.get(pk=tree.gl1_officer.pk)
    officer.active_memberships  # noqa: B018 (loaded once per request anyway, by every rule)
    with django_assert_num_queries(0):
        assert officer.has_perm("reporting.manage_cycles") is False
        assert officer.has_perm("reporting.no_such_permission") is False
    assert officer.has_perm("reporting.see_reporting") is True


def test_model_permissions_count_for_staff_and_not_for_other_accounts(db):
    from django.contrib.auth.models import Permission

    view_user = Permission.objects.get(codename="view_user")
    staff = UserFactory(email="staff@example.vn", is_staff=True)
    officer = UserFactory(email="officer@example.vn")
    for user in (staff, officer):
        user.user_permissions.add(view_user)
    reloaded = {user.email: type(user).objects.get(pk=user.pk) for user in (staff, officer)}
    assert reloaded["staff@example.vn"].has_perm("organizations.view_user") is True
    assert reloaded["officer@example.vn"].has_perm("organizations.view_user") is False
