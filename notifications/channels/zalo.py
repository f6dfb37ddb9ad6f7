"""Zalo Notification Service (ZNS): a template message from the portal's Official Account to a phone.

Documented API (Zalo for Developers, "Zalo Notification Service" → "Gửi ZNS"; endpoint
https://business.openapi.zalo.me/message/template, set as ZALO_ZNS_URL):

    POST, header access_token: <OA access token>
    {"phone": "84912345678", "template_id": "…", "template_data": {"name": …, …}, "tracking_id": "…"}
    → {"error": 0, "message": "Success", "data": {"msg_id": "…", "sent_time": "…", "quota": {…}}}
    → {"error": <negative code>, "message": "…"} on refusal

Error codes used here (zalo.cloud/zns/guidelines/handle-error-code, "Cách xử lý mã lỗi"):
    -108 Phone number invalid
    -118 Zalo account not existed          → the message falls back to SMS
    -124 Access token invalid (or expired) → refresh the token once, then try again
    -100 Unknown error ("vui lòng thử lại sau") → retried like a network error

Token refresh (Zalo for Developers, "Official Account API" → "Lấy access token từ refresh token"):
    POST https://oauth.zaloapp.com/v4/oa/access_token (ZALO_OAUTH_URL), header secret_key: <app secret>,
    form refresh_token=…&app_id=…&grant_type=refresh_token
    → {"access_token": "…", "refresh_token": "…", "expires_in": "90000"}; an error answers
      {"error": <code>, "error_name": "…", "error_description": "…"}.
Each refresh token works once, so the new pair is stored (ProviderToken) and the refresh holds that row's lock.

Delivery (Zalo for Developers, "Official Account API" → "Webhook"): Zalo POSTs the OA's events to its webhook URL
(here notifications:zalo_events), signed in the header X-ZEvent-Signature: "mac=" + sha256(app_id + the raw
body + timestamp + the OA secret key), app_id and timestamp being the event's own fields. A ZNS message that
reached the phone is the event "user_received_message":
    {"app_id": "…", "event_name": "user_received_message", "timestamp": "…",
     "message": {"msg_id": "<the send answer's msg_id>", "delivery_time": "…", "tracking_id": "…"}}"""

import datetime as dt
import hashlib
import hmac
import json
import urllib.parse

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import ProviderToken
from . import BadSignature, ProviderResult, ProviderUnavailable, post, post_json

PROVIDER = "zalo"
PHONE_INVALID = -108
NO_ZALO_ACCOUNT = -118
TOKEN_INVALID = -124
UNKNOWN_ERROR = -100


class TokenRefreshFailed(Exception):
    pass


def template_for(kind: str) -> str:
    """The kind's own template (ZALO_ZNS_TEMPLATE_<KIND>) or the general one."""
    return settings.ZALO_ZNS_TEMPLATES.get(kind, settings.ZALO_ZNS_TEMPLATE_ID)


def zns_phone(phone: str) -> str:
    """+84912345678 → 84912345678, the form ZNS documents."""
    return phone.removeprefix("+")


def _current_token() -> str:
    row = ProviderToken.objects.filter(provider=PROVIDER).only("access_token").first()
    return row.access_token if row else settings.ZALO_OA_ACCESS_TOKEN


def zalo_token_refresh(*, failed_token: str) -> str:
    """A new access token after failed_token was refused. Under the row's lock: a worker that refreshed
    meanwhile has already stored a new token, which is used as it is (its refresh token is spent)."""
    with transaction.atomic():
        ProviderToken.objects.get_or_create(
            provider=PROVIDER,
            defaults={"access_token": settings.ZALO_OA_ACCESS_TOKEN, "refresh_token": settings.ZALO_OA_REFRESH_TOKEN},
        )
        row = ProviderToken.objects.select_for_update().get(provider=PROVIDER)
        if row.access_token != failed_token:
            return row.access_token
        status, answer = post(
            settings.ZALO_OAUTH_URL,
            body=urllib.parse.urlencode(
                {"refresh_token": row.refresh_token, "app_id": settings.ZALO_APP_ID, "grant_type": "refresh_token"}
            ).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "secret_key": settings.ZALO_APP_SECRET},
        )
        if not answer.get("access_token"):
            raise TokenRefreshFailed(f"HTTP {status}: {answer}")
        row.access_token = answer["access_token"]
        row.refresh_token = answer.get("refresh_token") or row.refresh_token
        seconds = int(answer.get("expires_in") or 0)
        row.expires_at = timezone.now() + dt.timedelta(seconds=seconds) if seconds else None
        row.save(update_fields=["access_token", "refresh_token", "expires_at", "updated_at"])
        return row.access_token


def _send_once(*, token: str, phone: str, template_id: str, template_data: dict, tracking_id: str) -> dict:
    _, answer = post_json(
        settings.ZALO_ZNS_URL,
        payload={
            "phone": zns_phone(phone),
            "template_id": template_id,
            "template_data": template_data,
            "tracking_id": tracking_id,
        },
        headers={"access_token": token},
    )
    return answer


def zalo_send(*, phone: str, template_id: str, template_data: dict, tracking_id: str) -> ProviderResult:
    token = _current_token()
    args = dict(phone=phone, template_id=template_id, template_data=template_data, tracking_id=tracking_id)
    answer = _send_once(token=token, **args)
    if answer.get("error") == TOKEN_INVALID:
        try:
            token = zalo_token_refresh(failed_token=token)
        except TokenRefreshFailed as error:
            return ProviderResult(error_code=str(TOKEN_INVALID), error=f"token refresh failed: {error}"[:1000])
        answer = _send_once(token=token, **args)
    code = answer.get("error")
    if code == 0:
        return ProviderResult(provider_id=str((answer.get("data") or {}).get("msg_id", "")))
    if code == UNKNOWN_ERROR or code is None:
        raise ProviderUnavailable(f"ZNS: {answer}")
    return ProviderResult(error_code=str(code), error=str(answer.get("message", ""))[:1000])


def delivery_report(*, body: bytes, signature: str) -> tuple[str, bool] | None:
    """(msg_id, delivered) from a webhook call whose signature holds; None for an event that reports no
    delivery. BadSignature for a wrong signature, ValueError for a body that is not an event."""
    try:
        event = json.loads(body)
    except ValueError as error:
        raise ValueError("not a JSON event") from error
    if not isinstance(event, dict):
        raise ValueError("not a JSON event")
    text = body.decode("utf-8", "replace")
    mac = hashlib.sha256(
        f"{event.get('app_id', '')}{text}{event.get('timestamp', '')}{settings.ZALO_OA_SECRET_KEY}".encode()
    ).hexdigest()
    if not hmac.compare_digest(signature, f"mac={mac}"):
        raise BadSignature("X-ZEvent-Signature")
    message = event.get("message") or {}
    if event.get("event_name") != "user_received_message" or not message.get("msg_id"):
        return None
    return str(message["msg_id"]), True
