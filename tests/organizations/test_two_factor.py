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


def test_admin_without_second_factor_is_sent_to_set_it_up(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    response = client.get(reverse("organizations:unit_tree"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=tree.admin, confirmed=False)
    assert base64.b32encode(device.bin_key).decode() in page


def test_admin_confirms_a_code_and_reaches_the_page(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=tree.admin)
    response = client.post(reverse("two_factor"), {"token": _code(device), "next": reverse("organizations:unit_tree")})
    assert response.status_code == 302
    assert client.get(reverse("organizations:unit_tree")).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_officers_are_not_asked_for_a_second_factor(tree, client):
    client.post(reverse("login"), {"username": tree.gl1_officer.email, "password": "pw-123456"})
    assert client.get(reverse("organizations:unit_tree")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message(tree, client):
    client.post(reverse("login"), {"username": tree.admin.email, "password": "pw-123456"})
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=tree.admin)
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(reverse("two_factor"), {"token": wrong})
    assert "Mã không đúng" in response.content.decode()
    assert client.get(reverse("organizations:unit_tree")).status_code == 302
