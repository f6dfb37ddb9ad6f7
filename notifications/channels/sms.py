"""SMS through a brandname gateway, behind the portal's adapter contract (a small JSON API any gateway
can be wrapped in):

    POST SMS_GATEWAY_URL
    Authorization: Bearer <SMS_GATEWAY_TOKEN>
    {"to": "+84912345678", "brandname": "<SMS_BRANDNAME>", "text": "…", "request_id": "<the message's key>"}

    200/202 {"id": "<gateway message id>", "status": "queued"}
    4xx     {"error": {"code": "<code>", "message": "…"}}   refused: not retried (bad number, bad token…)
    5xx     anything                                         the gateway is down: retried with backoff

The gateway de-duplicates request_id: a message sent again after a worker died before recording it is
taken once."""

from django.conf import settings

from . import ProviderResult, post_json


def sms_send(*, phone: str, text: str, tracking_id: str) -> ProviderResult:
    status, answer = post_json(
        settings.SMS_GATEWAY_URL,
        payload={"to": phone, "brandname": settings.SMS_BRANDNAME, "text": text, "request_id": tracking_id},
        headers={"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
    )
    if status < 300 and answer.get("id"):
        return ProviderResult(provider_id=str(answer["id"]))
    error = answer.get("error") or {}
    return ProviderResult(
        error_code=str(error.get("code") or f"http_{status}"), error=str(error.get("message") or answer)[:1000]
    )
