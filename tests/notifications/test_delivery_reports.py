"""Providers report delivery by calling the portal: Zalo's signed webhook event and the SMS gateway's delivery
report move a sent message to "delivered" (or "failed"), once, through the channel messages' one mover."""

import hashlib
import json

import pytest
from django.test import Client
from django.urls import reverse

from notifications.enums import Channel, ChannelMessageState
from notifications.models import ChannelMessage

from .test_channels import ALL, choose, returned

pytestmark = pytest.mark.django_db

SECRET = "oa-secret-key"
TOKEN = "gateway-callback-token"


@pytest.fixture
def sent(providers, tree, settings, django_capture_on_commit_callbacks):
    """A returned report sent at once on Zalo and SMS, with delivery reports switched on."""
    settings.ZALO_OA_SECRET_KEY, settings.SMS_CALLBACK_TOKEN = SECRET, TOKEN
    choose(tree.gl1_officer, ALL)
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    return {m.channel: m for m in ChannelMessage.objects.filter(notification=row)}


def provider():
    # A provider is not a browser: it has no CSRF token, and the receivers must not ask for one.
    return Client(enforce_csrf_checks=True)


def zalo_event(msg_id: str, *, event_name="user_received_message", secret=SECRET) -> tuple[bytes, str]:
    event = {
        "app_id": "1234567890",
        "event_name": event_name,
        "timestamp": "1764460800000",
        "message": {"msg_id": msg_id, "delivery_time": "1764460800000", "tracking_id": "cm1"},
    }
    body = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(f"{event['app_id']}{body.decode()}{event['timestamp']}{secret}".encode()).hexdigest()
    return body, f"mac={mac}"


def post_zalo(body: bytes, signature: str):
    return provider().post(
        reverse("notifications:zalo_events"), body, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=signature
    )


def post_sms(report: dict, token=TOKEN):
    return provider().post(
        reverse("notifications:sms_delivery_report"),
        json.dumps(report),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_zalo_event_marks_the_message_delivered_once(sent):
    zalo = sent[Channel.ZALO]
    body, signature = zalo_event(zalo.provider_id)
    assert post_zalo(body, signature).status_code == 200
    zalo.refresh_from_db()
    assert (zalo.state, zalo.delivered_at is not None) == (ChannelMessageState.DELIVERED, True)
    rows = zalo.history.count()
    assert post_zalo(body, signature).status_code == 200  # Zalo repeats its calls: nothing changes
    assert zalo.history.count() == rows
    sms = ChannelMessage.objects.get(pk=sent[Channel.SMS].pk)
    assert sms.state == ChannelMessageState.SENT  # another channel's message is not touched


def test_zalo_event_with_a_wrong_signature_is_refused_and_changes_nothing(sent):
    zalo = sent[Channel.ZALO]
    body, _signature = zalo_event(zalo.provider_id)
    _body, forged = zalo_event(zalo.provider_id, secret="guessed")
    assert post_zalo(body, forged).status_code == 403
    assert post_zalo(b"not json", forged).status_code == 400
    zalo.refresh_from_db()
    assert zalo.state == ChannelMessageState.SENT


def test_zalo_event_that_reports_no_delivery_or_an_unknown_message_is_taken_and_ignored(sent):
    zalo = sent[Channel.ZALO]
    assert post_zalo(*zalo_event(zalo.provider_id, event_name="user_seen_message")).status_code == 200
    assert post_zalo(*zalo_event("no-such-message")).status_code == 200
    zalo.refresh_from_db()
    assert zalo.state == ChannelMessageState.SENT


def test_sms_report_delivered_and_failed(sent, providers, tree, django_capture_on_commit_callbacks):
    sms = sent[Channel.SMS]
    assert post_sms({"id": sms.provider_id, "status": "delivered"}).status_code == 200
    sms.refresh_from_db()
    assert sms.state == ChannelMessageState.DELIVERED
    # A second message, reported failed by the gateway: the error is kept.
    other = returned(tree.gl1_officer, django_capture_on_commit_callbacks, window="returned-2")
    failed = ChannelMessage.objects.get(notification=other, channel=Channel.SMS)
    report = {"id": failed.provider_id, "status": "failed", "error": {"code": "EXPIRED", "message": "Hết hạn"}}
    assert post_sms(report).status_code == 200
    failed.refresh_from_db()
    assert (failed.state, failed.error_code, failed.error) == (ChannelMessageState.FAILED, "EXPIRED", "Hết hạn")


def test_sms_report_with_a_wrong_token_or_no_report_is_refused(sent):
    sms = sent[Channel.SMS]
    assert post_sms({"id": sms.provider_id, "status": "delivered"}, token="guessed").status_code == 403
    assert post_sms({"id": sms.provider_id, "status": "maybe"}).status_code == 400
    sms.refresh_from_db()
    assert sms.state == ChannelMessageState.SENT


def test_reports_are_off_without_their_settings(sent, settings):
    settings.ZALO_OA_SECRET_KEY = settings.SMS_CALLBACK_TOKEN = ""
    assert post_zalo(*zalo_event(sent[Channel.ZALO].provider_id)).status_code == 404
    assert post_sms({"id": sent[Channel.SMS].provider_id, "status": "delivered"}).status_code == 404


def test_a_get_is_not_a_report(sent):
    assert provider().get(reverse("notifications:zalo_events")).status_code == 405
    assert provider().get(reverse("notifications:sms_delivery_report")).status_code == 405
