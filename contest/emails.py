"""The contest's e-mails, one function each, rendered from three templates by the portal's one
helper and built by the outbox sender from the stored object (notifications.services)."""

import logging

from campaign_portal.emails import absolute_url, render_email

from .models import Entrant, Entry

logger = logging.getLogger(__name__)


def verification(notification, **common):
    """The link that activates a new contestant's account; nothing once the address is verified."""
    from .services import verification_url

    entrant = Entrant.objects.select_related("user", "contest").filter(pk=notification.subject_id).first()
    if entrant is None or entrant.email_verified_at is not None:
        return None
    # The token is made now, from the account's state: no secret is stored in the outbox.
    context = {
        "user": entrant.user,
        "contest": entrant.contest,
        "verify_url": absolute_url(verification_url(entrant.user, entrant.contest)),
    }
    return render_email("contest_verify", context=context, **common)


def receipt(notification, **common):
    """The receipt of a submitted entry with its signed PDF (the page offers it too)."""
    from .documents import receipt_pdf
    from .signing import receipt_sign_once

    entry = Entry.objects.select_related("contest", "entrant__user").filter(pk=notification.subject_id).first()
    if entry is None or not entry.code:
        return None
    try:
        signed = receipt_sign_once(entry_id=entry.pk)  # signed now if the worker has not yet
        if signed is not None:  # the signed receipt, the same bytes as the download
            with signed.file.open("rb") as handle:
                pdf = handle.read()
        else:
            pdf = receipt_pdf(entry=entry)
    except Exception:  # the e-mail still goes out: the receipt is also downloadable on the entry page
        logger.exception("receipt PDF failed for entry %s", entry.pk)
        pdf = None
    attachments = [(f"bien-nhan-{entry.code}.pdf", pdf, "application/pdf")] if pdf else []
    return render_email(
        "contest_receipt", context={"entry": entry, "contest": entry.contest}, attachments=attachments, **common
    )
