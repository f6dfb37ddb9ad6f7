"""E-mail as a channel: an urgent item goes out at once as its own message (the daily digest keeps its
own outbox, notifications.services.digest_send). SMTP errors propagate: the sending task retries them."""

from django.core.mail import EmailMessage

from . import ProviderResult


def email_send(*, message: EmailMessage, tracking_id: str) -> ProviderResult:
    message.send(fail_silently=False)
    return ProviderResult(provider_id=message.extra_headers.get("Message-ID", tracking_id))
