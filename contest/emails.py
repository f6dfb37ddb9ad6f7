"""One function per e-mail, each rendered from three templates (subject, text, html)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def _send(name: str, *, to: str, context: dict, attachments=()) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/contest_{name}-subject.txt", context).split())
    text = render_to_string(f"emails/contest_{name}-body.txt", context)
    html = render_to_string(f"emails/contest_{name}-body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    for filename, content, mime in attachments:
        message.attach(filename, content, mime)
    message.send()


def send_verification(*, user, contest, verify_url: str) -> None:
    _send("verify", to=user.email, context={"user": user, "contest": contest, "verify_url": verify_url})


def send_receipt(*, entry, receipt_pdf: bytes | None) -> None:
    attachments = [(f"bien-nhan-{entry.code}.pdf", receipt_pdf, "application/pdf")] if receipt_pdf else []
    _send("receipt", to=entry.entrant.user.email, context={"entry": entry, "contest": entry.contest},
          attachments=attachments)
