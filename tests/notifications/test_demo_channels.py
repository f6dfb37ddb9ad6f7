"""The demo started with the gateway settings pointed at the loopback providers sends its due reminders
there: Zalo to those who chose it, SMS to the one who chose SMS and to the chair without a Zalo account."""

import os

import pytest
from django.core.management import call_command

from notifications import services
from notifications.enums import Channel, ChannelMessageState
from notifications.models import ChannelMessage
from organizations.demo import DEMO_PHONES

pytestmark = pytest.mark.django_db


def test_demo_sends_its_due_reminders_to_the_configured_providers(providers, django_capture_on_commit_callbacks):
    providers.state.no_zalo.add(DEMO_PHONES["cdcs.duongxa@demo.cchc.vn"].removeprefix("+"))
    with django_capture_on_commit_callbacks(execute=True), open(os.devnull, "w") as devnull:
        call_command("load_demo_campaign", stdout=devnull)
    with django_capture_on_commit_callbacks(execute=True):
        services.digests_send_due()
    received = set(
        (m.user.email, m.channel, m.state, m.error_code)
        for m in ChannelMessage.objects.select_related("user").filter(channel__in=[Channel.ZALO, Channel.SMS])
    )
    # Whoever chose Zalo gets her reminders there; the Dương Xá chair, without a Zalo account, by SMS instead.
    assert received == {
        ("cdcs.duongxa@demo.cchc.vn", Channel.SMS, ChannelMessageState.SENT, ""),
        ("cdcs.duongxa@demo.cchc.vn", Channel.ZALO, ChannelMessageState.FAILED, "-118"),
        ("cdcs.trauquy@demo.cchc.vn", Channel.ZALO, ChannelMessageState.SENT, ""),
        ("cdcs.uyno@demo.cchc.vn", Channel.SMS, ChannelMessageState.SENT, ""),
        ("chutich.gialam@demo.cchc.vn", Channel.ZALO, ChannelMessageState.SENT, ""),
    }
    assert {z["phone"] for z in providers.state.zns} == {
        DEMO_PHONES[e].removeprefix("+") for e in ("cdcs.trauquy@demo.cchc.vn", "chutich.gialam@demo.cchc.vn")
    }
    assert {s["to"] for s in providers.state.sms} == {
        DEMO_PHONES[e] for e in ("cdcs.duongxa@demo.cchc.vn", "cdcs.uyno@demo.cchc.vn")
    }
    # Each message reached its provider once.
    sent = ChannelMessage.objects.filter(state=ChannelMessageState.SENT)
    assert len(providers.state.zns) + len(providers.state.sms) == sent.exclude(channel=Channel.EMAIL).count()
    for m in ChannelMessage.objects.select_related("user").order_by("user__email", "channel"):
        print(f"\n{m.user.email} [{m.channel}/{m.state}] {m.text}")
