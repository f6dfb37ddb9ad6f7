"""SMS through a brandname gateway, behind the portal's adapter contract (a small JSON API any gateway
can be wrapped in):

    POST SMS_GATEWAY_URL
    Authorization: Bearer <SMS_GATEWAY_TOKEN>
    {"to": "+84912345678", "brandname": "<SMS_BRANDNAME>", "text": "…", "request_id": "<the message's key>"}

    200/202 {"id": "<gateway message id>", "status": "queued"}
    4xx     {"error": {"code": "<code>", "message": "…"}}   refused: not retried (bad number, bad token…)
    5xx     anything                                         the gateway is down: retried with backoff

The gateway de-duplicates request_id: a message sent again after a worker died before recording it is
taken once.

Delivery report: the gateway calls the portal (notifications:sms_delivery_report) once it knows:

    POST <portal>/notifications/providers/sms/delivery/
    Authorization: Bearer <SMS_CALLBACK_TOKEN>
    {"id": "<gateway message id>", "status": "delivered"}
    {"id": "<gateway message id>", "status": "failed", "error": {"code": "<code>", "message": "…"}}

    200 taken (a repeated report changes nothing), 400 not a report, 403 bad token, 404 reports are off."""

import hmac
import json

from django.conf import settings

from . import BadSignature, ProviderResult, post_json


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


def delivery_report(*, body: bytes, authorization: str) -> tuple[str, bool, str, str]:
    """(gateway id, delivered, error code, error) from a delivery report; BadSignature for a wrong token,
    ValueError for a body that is not a report."""
    if not hmac.compare_digest(authorization, f"Bearer {settings.SMS_CALLBACK_TOKEN}"):
        raise BadSignature("Authorization")
    try:
        report = json.loads(body)
    except ValueError as error:
        raise ValueError("not a JSON report") from error
    if not isinstance(report, dict) or not report.get("id") or report.get("status") not in ("delivered", "failed"):
        raise ValueError("not a delivery report")
    error = report.get("error") or {}
    return str(report["id"]), report["status"] == "delivered", str(error.get("code", "")), str(error.get("message", ""))
