import base64

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.PORTAL_ADMIN_REQUIRE_2FA = True


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _setup_device(client, user):
    """The device the page offers (unsaved: its key is in the session until confirmed)."""
    return TOTPDevice(user=user, key=client.session["totp_setup_key"])


def test_admin_without_second_factor_is_sent_to_set_it_up(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    response = client.get(reverse("organizations:unit_tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    page = client.get(response["Location"]).content.decode()
    # The secret is offered from the session; nothing is stored until a code confirms it.
    secret = base64.b32encode(bytes.fromhex(client.session["totp_setup_key"])).decode()
    assert secret in page
    assert TOTPDevice.objects.filter(user=tree.admin).count() == 0
    assert client.get(response["Location"]).content.decode().count(secret) == page.count(secret)


def test_admin_confirms_a_code_and_reaches_the_page(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    client.get(reverse("two_factor"))
    device = _setup_device(client, tree.admin)
    response = client.post(reverse("two_factor"), {"token": _code(device), "next": reverse("organizations:unit_tree")})
    assert response.status_code == 302
    assert client.get(reverse("organizations:unit_tree")).status_code == 200
    stored = TOTPDevice.objects.get(user=tree.admin)
    assert (stored.key, stored.confirmed) == (device.key, True)
    assert "totp_setup_key" not in client.session


def test_officers_are_not_asked_for_a_second_factor(tree, client):
    client.post(reverse("login"), {"username": tree.gl1_officer.email, "password": "pw-123456"})
    assert client.get(reverse("organizations:unit_tree")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    client.get(reverse("two_factor"))
    device = _setup_device(client, tree.admin)
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor"), {"token": wrong})
    assert "Mã không đúng" in response.content.decode()
    assert client.get(reverse("organizations:unit_tree")).status_code == 302
    assert TOTPDevice.objects.filter(user=tree.admin).count() == 0


def test_a_confirmed_device_is_asked_for_its_code_and_a_wrong_one_refused(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    client.get(reverse("two_factor"))
    device = _setup_device(client, tree.admin)
    client.post(reverse("two_factor"), {"token": _code(device)})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    page = client.get(reverse("two_factor")).content.decode()
    assert "Khóa bí mật" not in page
    assert TOTPDevice.objects.filter(user=tree.admin).count() == 1
    response = client.post(reverse("two_factor"), {"token": "12345a"})
    assert response.status_code == 200
    assert client.get(reverse("organizations:unit_tree")).status_code == 302
