"""The public face's e-mails, one function each, rendered from three templates by the portal's one helper."""

from django.urls import reverse

from campaign_portal.emails import absolute_url, render_email

from .models import Feedback


def feedback_tracking_code(*, feedback: Feedback, language: str | None = None, connection=None):
    """Tells the sender the tracking code of her feedback and where to follow it; None without an address."""
    if not feedback.email:
        return None
    context = {
        "feedback": feedback,
        "track_url": absolute_url(reverse("public:feedback_track_detail", args=[feedback.tracking_code])),
    }
    return render_email(
        "feedback_tracking_code", to=feedback.email, context=context, language=language, connection=connection
    )
