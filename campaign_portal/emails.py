"""The one helper every e-mail of the portal is rendered with: three templates per e-mail
(`emails/<name>-subject.txt`, `-body.txt`, `-body.html`). Messages are only built here;
they are sent by the notification outbox (notifications.services), never inline."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def render_email(
    name: str,
    *,
    to: str,
    context: dict,
    language: str | None = None,
    headers: dict | None = None,
    attachments=(),
    connection=None,
) -> EmailMultiAlternatives:
    """Plain text with an HTML alternative, in `language` (the active one if None)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        # A subject is one line whatever the template's whitespace.
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mime in attachments:
        message.attach(filename, content, mime)
    return message
