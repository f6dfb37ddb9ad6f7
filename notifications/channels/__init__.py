"""The providers a message leaves through: e-mail (Django's mail), Zalo (ZNS) and SMS (a brandname
gateway behind the portal's JSON adapter). Each is a small client whose send() answers a ProviderResult;
a provider that cannot be reached (network, HTTP 5xx) raises ProviderUnavailable, which the sending task
retries with backoff.

Delivery: neither ZNS's send answer nor the SMS adapter's says a message reached the phone. The providers say
it later, by calling the portal: Zalo's signed webhook event "user_received_message" (zalo.delivery_report) and
the SMS gateway's delivery report (sms.delivery_report) move a sent message to "delivered" (or "failed").
Without their settings (ZALO_OA_SECRET_KEY, SMS_CALLBACK_TOKEN) "sent" is the last state recorded."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from ..enums import Channel


class BadSignature(ValueError):
    """A provider's call to the portal whose signature or token does not hold."""


class ProviderUnavailable(OSError):
    """The provider could not take the message now (network, timeout, HTTP 5xx): try again later."""


@dataclass(frozen=True)
class ProviderResult:
    provider_id: str = ""
    error_code: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error_code


def zalo_enabled() -> bool:
    return bool(settings.ZALO_ZNS_URL and settings.ZALO_OA_ACCESS_TOKEN and settings.ZALO_ZNS_TEMPLATE_ID)


def sms_enabled() -> bool:
    return bool(settings.SMS_GATEWAY_URL and settings.SMS_GATEWAY_TOKEN and settings.SMS_BRANDNAME)


def channels_enabled() -> list[str]:
    """The channels a person may choose: e-mail always, Zalo and SMS when their settings are set."""
    return [
        channel
        for channel, on in ((Channel.EMAIL, True), (Channel.ZALO, zalo_enabled()), (Channel.SMS, sms_enabled()))
        if on
    ]


def post(url: str, *, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    """POSTs and answers (HTTP status, JSON body). 5xx, timeouts and refused connections raise
    ProviderUnavailable; a 4xx answers its JSON body (the provider's error)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=settings.CHANNELS_HTTP_TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            raise ProviderUnavailable(f"HTTP {error.code} from {url}") from error
        status, raw = error.code, error.read()
    except (urllib.error.URLError, TimeoutError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise ProviderUnavailable(f"HTTP {status} from {url}: not JSON") from None
    return status, answer if isinstance(answer, dict) else {}


def post_json(url: str, *, payload: dict, headers: dict[str, str]) -> tuple[int, dict]:
    return post(
        url,
        body=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
