"""Zalo (ZNS), SMS and urgent e-mail against the loopback providers (notifications/channels/loopback.py: real
HTTP, the documented requests, answers and error codes): phones, hidden channels, urgent at once, the digest
once a day per channel, exactly once per key per channel, ZNS → SMS fallback, token refresh, retries."""

import itertools
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from campaign_portal.phones import normalise_mobile
from notifications import delivery, services
from notifications.channels import ProviderUnavailable
from notifications.enums import CHANNEL_MESSAGE_TRANSITIONS, Channel, ChannelMessageState, NotificationKind
from notifications.enums import NotificationStatus as NS
from notifications.forms import PreferenceForm
from notifications.models import ChannelMessage, Notification, ProviderToken

from .conftest import vn

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
ALL = [Channel.EMAIL, Channel.ZALO, Channel.SMS]


def choose(user, channels, phone=PHONE):
    return services.preference_update(
        user=user, email_disabled_kinds=[], digest_hour=0, language="", channels=channels, phone=phone
    )


def returned(user, capture, window="returned-1"):
    """A report sent back to the person: an urgent kind, served on commit."""
    with capture(execute=True):
        services.notify(
            recipient_ids=[user.pk],
            kind=NotificationKind.REPORT_RETURNED,
            subject=user,
            window=window,
            payload={"title": "Quý III/2019", "unit": "CĐCS Trâu Quỳ", "reason": "Thiếu mục 2.", "url": "/bao-cao/1/"},
        )
    return Notification.objects.get(recipient=user, window=window)


# --- phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0912 345 678", "84912345678", "+84 912-345-678", "0912.345.678", " 0912345678 "])
def test_phone_typed_any_way_is_stored_e164(typed):
    assert normalise_mobile(typed) == PHONE


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("024 3825 1234", "landline"),
        ("abc", "invalid"),
        ("0912", "not_vietnamese_mobile"),
        ("+1 202 555 0100", "not_vietnamese_mobile"),
    ],
)
def test_phone_landline_or_garbage_refused(typed, code):
    with pytest.raises(ValidationError) as refused:
        normalise_mobile(typed)
    assert refused.value.code == code


def test_preferences_form_refuses_landline_and_keeps_what_was_typed(providers, tree, login):
    client = login(tree.gl1_officer)
    response = client.post(
        reverse("notifications:preferences"),
        {"channels": ["email", "zalo"], "phone": "024 3825 1234", "digest_hour": "7", "language": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["phone"] == ["Đây không phải số di động: cần số di động để nhận Zalo, SMS (ví dụ 0912 345 678)."]
    assert form["phone"].value() == "024 3825 1234"
    assert form["channels"].value() == ["email", "zalo"]
    tree.gl1_officer.refresh_from_db()
    assert tree.gl1_officer.phone == ""


def test_preferences_form_stores_normalised_phone_and_channels(providers, tree, login):
    client = login(tree.gl1_officer)
    response = client.post(
        reverse("notifications:preferences"),
        {"channels": ["zalo", "sms"], "phone": "0912 345 678", "digest_hour": "7", "language": ""},
    )
    assert response.status_code == 302
    tree.gl1_officer.refresh_from_db()
    assert tree.gl1_officer.phone == PHONE
    assert tree.gl1_officer.notification_preference.channels == [Channel.ZALO, Channel.SMS]


def test_zalo_or_sms_without_phone_refused(providers):
    form = PreferenceForm({"channels": ["sms"], "phone": "", "digest_hour": "7", "language": ""})
    assert form.errors == {"phone": ["Cần số điện thoại di động để nhận Zalo hoặc SMS."]}


# --- channels hidden when their settings are unset ------------------------------------------------


def test_channels_unset_are_hidden(tree, login):
    response = login(tree.gl1_officer).get(reverse("notifications:preferences"))
    form = response.context["form"]
    assert [c for c, _label in form.fields["channels"].choices] == ["email"]
    assert "phone" not in form.fields
    assert "Zalo" not in response.content.decode()


def test_channels_set_are_shown(providers, tree, login, settings):
    settings.SMS_BRANDNAME = ""  # SMS off, Zalo on
    form = login(tree.gl1_officer).get(reverse("notifications:preferences")).context["form"]
    assert [c for c, _label in form.fields["channels"].choices] == ["email", "zalo"]
    assert "phone" in form.fields


def test_channel_turned_off_keeps_the_persons_choice_and_sends_nothing(
    providers, tree, settings, django_capture_on_commit_callbacks
):
    choose(tree.gl1_officer, [Channel.ZALO])
    settings.ZALO_ZNS_URL = ""
    returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    assert (providers.state.zns, ChannelMessage.objects.count()) == ([], 0)
    assert tree.gl1_officer.notification_preference.channels == [Channel.ZALO]


# --- urgent: at once, on every chosen channel, exactly once ------------------------------------------


def test_urgent_kind_goes_out_at_once_on_every_chosen_channel(providers, tree, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, ALL)
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    messages = {m.channel: m for m in ChannelMessage.objects.filter(notification=row)}
    assert sorted(messages) == ["email", "sms", "zalo"]
    assert {m.state for m in messages.values()} == {ChannelMessageState.SENT}
    assert [z["phone"] for z in providers.state.zns] == ["84912345678"]
    zns = providers.state.zns[0]
    assert zns["template_id"] == "100001"
    assert zns["tracking_id"] == f"cm{messages['zalo'].pk}"
    assert zns["template_data"] == {
        "name": tree.gl1_officer.full_name[:30],
        "summary": "Báo cáo “Quý III/2019” của CĐCS Trâu Quỳ đã bị trả lại để sửa. Thiếu mục 2.",
        "url": "http://127.0.0.1:8000/bao-cao/1/",
    }
    assert messages["zalo"].provider_id == zns["msg_id"]
    assert [(s["to"], s["brandname"]) for s in providers.state.sms] == [(PHONE, "CONGDOANHN")]
    assert providers.state.sms[0]["text"] == messages["sms"].text
    assert messages["sms"].provider_id == providers.state.sms[0]["id"]
    assert [m.to for m in mail.outbox] == [["gl1.officer@example.vn"]]
    row.refresh_from_db()
    assert row.status == NS.SENT
    assert messages["zalo"].key == (
        f"{row.recipient_id}:{row.kind}:{row.subject_type_id}:{row.subject_id}:{row.window}:zalo"
    )


def test_longest_key_fits(providers, tree, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, [Channel.SMS])
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks, window="w" * 60)
    key = ChannelMessage.objects.get(notification=row).key
    assert key == f"{row.recipient_id}:report_returned:{row.subject_type_id}:{row.subject_id}:{'w' * 60}:sms"


def test_second_enqueue_or_task_run_sends_nothing(providers, tree, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, [Channel.ZALO, Channel.SMS])
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.urgent_send(recipient_ids=[tree.gl1_officer.pk]) == []
        services.notify(  # the same key announced again
            recipient_ids=[tree.gl1_officer.pk], kind=row.kind, subject=tree.gl1_officer, window=row.window, payload={}
        )
    for message in ChannelMessage.objects.all():
        assert delivery.channel_message_send(message_id=message.pk) is False
    assert (len(providers.state.zns), len(providers.state.sms), ChannelMessage.objects.count()) == (1, 1, 2)


def test_one_batch_serves_each_person_on_her_own_channels(
    providers, tree, django_capture_on_commit_callbacks, django_assert_num_queries, monkeypatch
):
    """Deadline day: the sweep serves thousands of officers in tasks of URGENT_BATCH people; each still gets
    her own channels, and a batch costs the same nine queries whatever its size."""
    from notifications import tasks

    choose(tree.gl1_officer, [Channel.ZALO, Channel.SMS])
    choose(tree.gl2_officer, [Channel.SMS], phone="+84987654321")
    choose(tree.da1_officer, [], phone="")  # the portal only
    people = [tree.gl1_officer, tree.gl2_officer, tree.da1_officer]

    def announce(window):
        with django_capture_on_commit_callbacks(execute=False):  # left pending, as if the broker were down
            services.notify(
                recipient_ids=[u.pk for u in people],
                kind=NotificationKind.REPORT_RETURNED,
                subject=tree.gl1,
                window=window,
                payload={"title": "Quý III/2019", "unit": "CĐCS", "reason": "Thiếu mục 2.", "url": "/bao-cao/1/"},
            )

    announce("w1")
    # Preferences, savepoint, the rows, their preferences, the messages, two status updates, their ids, release.
    with django_capture_on_commit_callbacks(execute=False), django_assert_num_queries(9):
        delivery.urgent_send(recipient_ids=[u.pk for u in people])

    monkeypatch.setattr(tasks, "URGENT_BATCH", 2)
    announce("w2")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue_urgent(recipient_ids=[u.pk for u in people])
    sent = {
        (m.user_id, m.channel, m.notification.window) for m in ChannelMessage.objects.select_related("notification")
    }
    assert sent == {
        (tree.gl1_officer.pk, Channel.ZALO, "w1"),
        (tree.gl1_officer.pk, Channel.SMS, "w1"),
        (tree.gl2_officer.pk, Channel.SMS, "w1"),
        (tree.gl1_officer.pk, Channel.ZALO, "w2"),
        (tree.gl1_officer.pk, Channel.SMS, "w2"),
        (tree.gl2_officer.pk, Channel.SMS, "w2"),
    }
    statuses = dict(Notification.objects.filter(recipient=tree.da1_officer).values_list("window", "status"))
    assert statuses == {"w1": NS.PORTAL_ONLY, "w2": NS.PORTAL_ONLY}
    assert set(Notification.objects.filter(recipient__in=people[:2]).values_list("status", flat=True)) == {NS.SENT}


def test_non_urgent_kind_waits_for_the_digest(providers, tree, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, [Channel.ZALO])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient_ids=[tree.gl1_officer.pk],
            kind=NotificationKind.DIRECTIVE_ISSUED,
            subject=tree.gl1,
            window="d1",
            payload={"title": "Kế hoạch 12", "unit": "CĐCS"},
        )
    assert (providers.state.zns, ChannelMessage.objects.count()) == ([], 0)


# --- the digest on Zalo and SMS: once a day per channel ----------------------------------------------


def test_digest_once_a_day_per_channel(providers, tree, period, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, ALL)
    services.reminders_sweep(now=vn(2019, 9, 17, 8, 0))
    for _ in range(2):  # a forced second run the same day (an admin's resend) adds no Zalo or SMS message
        with django_capture_on_commit_callbacks(execute=True):
            services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 17, 8, 0), force=True)
        services.notify(
            recipient_ids=[tree.gl1_officer.pk],
            kind=NotificationKind.DIRECTIVE_ISSUED,
            subject=tree.gl1,
            window="d1",
            payload={"title": "Kế hoạch 12", "unit": "CĐCS"},
        )
    digests = ChannelMessage.objects.filter(digest_on="2019-09-17").order_by("channel")
    assert [(m.channel, m.state, m.key) for m in digests] == [
        ("sms", "sent", f"{tree.gl1_officer.pk}:digest:2019-09-17:sms"),
        ("zalo", "sent", f"{tree.gl1_officer.pk}:digest:2019-09-17:zalo"),
    ]
    assert providers.state.sms[0]["text"] == (
        "Bạn có 1 việc cần làm trên Cổng CCHC: Báo cáo “Báo cáo tuyên truyền CCHC 2019 – Quý III/2019” của "
        f"{tree.gl1.name} đến hạn nộp ngày 20/09/2019 (còn 3 ngày). http://127.0.0.1:8000/notifications/"
    )
    assert (len(providers.state.zns), len(providers.state.sms), len(mail.outbox)) == (1, 1, 2)
    # The next day: one more each.
    services.notify(
        recipient_ids=[tree.gl1_officer.pk],
        kind=NotificationKind.DIRECTIVE_ISSUED,
        subject=tree.gl1,
        window="d2",
        payload={"title": "Kế hoạch 13", "unit": "CĐCS"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_send(recipient_id=tree.gl1_officer.pk, now=vn(2019, 9, 18, 8, 0))
    assert (len(providers.state.zns), len(providers.state.sms)) == (2, 2)


# --- ZNS → SMS fallback, token refresh, provider errors, retries -------------------------------------


def test_no_zalo_account_falls_back_to_sms(providers, tree, django_capture_on_commit_callbacks):
    providers.state.no_zalo.add("84912345678")
    choose(tree.gl1_officer, [Channel.ZALO])
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    zalo = ChannelMessage.objects.get(notification=row, channel=Channel.ZALO)
    sms = ChannelMessage.objects.get(notification=row, channel=Channel.SMS)
    assert (zalo.state, zalo.error_code, zalo.error) == ("failed", "-118", "Zalo account not existed")
    assert (sms.state, sms.fallback_of_id, sms.to) == ("sent", zalo.pk, PHONE)
    assert (providers.state.zns, [s["to"] for s in providers.state.sms]) == ([], [PHONE])


def test_no_zalo_account_and_sms_chosen_too_sends_one_sms(providers, tree, django_capture_on_commit_callbacks):
    providers.state.no_zalo.add("84912345678")
    choose(tree.gl1_officer, [Channel.ZALO, Channel.SMS])
    returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    assert len(providers.state.sms) == 1
    assert ChannelMessage.objects.filter(channel=Channel.SMS).count() == 1


def test_expired_token_is_refreshed_stored_and_the_send_retried_once(
    providers, tree, django_capture_on_commit_callbacks
):
    providers.state.access_token = "oa-token-expired-elsewhere"  # the token in the settings no longer works
    choose(tree.gl1_officer, [Channel.ZALO])
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    assert ChannelMessage.objects.get(notification=row).state == ChannelMessageState.SENT
    token = ProviderToken.objects.get(provider="zalo")
    assert (token.access_token, token.refresh_token, providers.state.refreshes) == ("oa-token-2", "refresh-2", 1)
    returned(tree.gl1_officer, django_capture_on_commit_callbacks, window="returned-2")
    assert (providers.state.refreshes, len(providers.state.zns)) == (1, 2)  # the stored token is used


def test_refresh_refused_fails_the_message_with_the_token_code(providers, tree, django_capture_on_commit_callbacks):
    providers.state.access_token = "oa-token-expired-elsewhere"
    providers.state.refresh_token = "refresh-already-spent"
    choose(tree.gl1_officer, [Channel.ZALO])
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    message = ChannelMessage.objects.get(notification=row)
    assert (message.state, message.error_code) == ("failed", "-124")
    assert message.error.startswith("token refresh failed: HTTP 200: {'error': -14014")


def test_sms_gateway_refusal_is_recorded_not_retried(providers, tree, settings, django_capture_on_commit_callbacks):
    settings.SMS_GATEWAY_TOKEN = "wrong"
    choose(tree.gl1_officer, [Channel.SMS])
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    message = ChannelMessage.objects.get(notification=row)
    assert (message.state, message.error_code, message.error, message.attempts) == (
        "failed",
        "unauthorized",
        "bad token",
        1,
    )


def test_provider_down_retries_are_recorded_then_sent_once(providers, tree, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, [Channel.SMS])
    providers.state.fail_next = 2
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)  # first try: 503
    message = ChannelMessage.objects.get(notification=row)
    assert (message.state, message.attempts) == ("queued", 1)
    assert message.error.startswith("ProviderUnavailable: HTTP 503 from http://127.0.0.1:")
    with pytest.raises(ProviderUnavailable):  # the task's retry: 503 again, counted
        delivery.channel_message_send(message_id=message.pk)
    assert delivery.channel_message_send(message_id=message.pk) is True
    message.refresh_from_db()
    assert (message.state, message.attempts, message.error, len(providers.state.sms)) == ("sent", 3, "", 1)


def test_batch_sends_the_others_when_one_provider_call_fails_then_the_retry_sends_it_once(
    providers, tree, django_capture_on_commit_callbacks
):
    choose(tree.gl1_officer, [Channel.SMS])
    choose(tree.gl2_officer, [Channel.SMS], phone="+84987654321")
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
        services.notify(
            recipient_ids=[tree.gl1_officer.pk, tree.gl2_officer.pk],
            kind=NotificationKind.REPORT_RETURNED,
            subject=tree.gl1,
            window="batch",
            payload={"title": "Quý III/2019", "unit": "CĐCS", "reason": "Thiếu mục 2.", "url": "/bao-cao/1/"},
        )
        delivery.urgent_send(recipient_ids=[tree.gl1_officer.pk, tree.gl2_officer.pk])
    first, second = ChannelMessage.objects.order_by("user__email")
    providers.state.fail_next = 1  # the gateway answers 503 once
    with pytest.raises(ProviderUnavailable):  # raised after the whole batch: the task retries it
        delivery.channel_messages_send(message_ids=[first.pk, second.pk])
    states = dict(ChannelMessage.objects.values_list("pk", "state"))
    assert states == {first.pk: ChannelMessageState.QUEUED, second.pk: ChannelMessageState.SENT}
    assert delivery.channel_messages_send(message_ids=[first.pk, second.pk]) == 1  # the retry
    assert sorted(s["to"] for s in providers.state.sms) == sorted([PHONE, "+84987654321"])
    first.refresh_from_db()
    assert (first.state, first.attempts) == (ChannelMessageState.SENT, 2)


def test_provider_down_fails_after_max_attempts(providers, tree, django_capture_on_commit_callbacks):
    choose(tree.gl1_officer, [Channel.ZALO])
    providers.state.fail_next = 100
    row = returned(tree.gl1_officer, django_capture_on_commit_callbacks)
    message = ChannelMessage.objects.get(notification=row)
    for _ in range(message.attempts + 1, services.MAX_ATTEMPTS):
        with pytest.raises(ProviderUnavailable):
            delivery.channel_message_send(message_id=message.pk)
    assert delivery.channel_message_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.state, message.attempts, message.error_code) == ("failed", services.MAX_ATTEMPTS, "unreachable")


# --- the state machine ------------------------------------------------------------------------------


KEYS = itertools.count()


def _message(user, state=ChannelMessageState.QUEUED):
    message = ChannelMessage.objects.create(key=f"k{next(KEYS)}", user=user, channel=Channel.SMS, to=PHONE, text="x")
    path = {
        ChannelMessageState.QUEUED: [],
        ChannelMessageState.SENT: [ChannelMessageState.SENT],
        ChannelMessageState.FAILED: [ChannelMessageState.FAILED],
        ChannelMessageState.DELIVERED: [ChannelMessageState.SENT, ChannelMessageState.DELIVERED],
    }[state]
    for step in path:
        delivery.channel_message_set_state(message=message, to=step)
    return message


def test_channel_message_every_allowed_transition_leaves_history(tree):
    for source, targets in CHANNEL_MESSAGE_TRANSITIONS.items():
        for target in targets:
            message = _message(tree.gl1_officer, source)
            before = message.history.count()
            delivery.channel_message_set_state(message=message, to=target, provider_id="p", error_code="e")
            assert message.history.count() == before + 1
            assert message.history.first().state == target


def test_channel_message_forbidden_transitions_refused_without_history(tree):
    states = list(ChannelMessageState.values)
    for source in states:
        for target in states:
            if target in CHANNEL_MESSAGE_TRANSITIONS[source]:
                continue
            message = _message(tree.gl1_officer, source)
            before = message.history.count()
            with pytest.raises(PortalError):
                delivery.channel_message_set_state(message=message, to=target)
            message.refresh_from_db()
            assert (message.state, message.history.count()) == (source, before)


# --- admin -------------------------------------------------------------------------------------------


def test_admin_lists_channel_messages_read_only(
    providers, tree, superuser, login, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    choose(tree.gl1_officer, ALL)
    for i in range(3):
        returned(tree.gl1_officer, django_capture_on_commit_callbacks, window=f"r{i}")
    client = login(superuser)
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("admin:notifications_channelmessage_changelist"))
    assert listing.context["cl"].result_count == 9
    message = ChannelMessage.objects.filter(channel=Channel.SMS).first()
    page = client.get(reverse("admin:notifications_channelmessage_change", args=[message.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(reverse("admin:notifications_channelmessage_add")).status_code == 403


# --- concurrency (PostgreSQL) --------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_send_once(providers, tree):
    if connection.vendor != "postgresql":
        pytest.skip("skip_locked needs PostgreSQL")
    choose(tree.gl1_officer, [Channel.SMS])
    message = ChannelMessage.objects.create(
        key="race:sms", user=tree.gl1_officer, channel=Channel.SMS, to=PHONE, text="x"
    )
    providers.state.delay = 0.3
    results, barrier = [], threading.Barrier(4)

    def claim():
        barrier.wait()
        try:
            results.append(delivery.channel_message_send(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    assert len(providers.state.sms) == 1
