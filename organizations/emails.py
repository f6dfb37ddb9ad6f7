"""Account e-mails, one function each, rendered by the portal's one helper and built by the
outbox sender (notifications.services) from the account as it is when the mail leaves."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from campaign_portal.emails import absolute_url, render_email


def password_reset(notification, **common):
    """The reset link; made at sending time, so no token is stored in the outbox."""
    user = notification.recipient
    if not user.is_active or not user.has_usable_password():
        return None
    path = reverse("password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                                     "token": default_token_generator.make_token(user)})
    return render_email("password_reset", context={"user": user, "reset_url": absolute_url(path)}, **common)


def account_unlocked(notification, **common):
    user = notification.recipient
    return render_email("account_unlocked", context={
        "user": user, "login_url": absolute_url(reverse("login")),
        "reset_url": absolute_url(reverse("password_reset")),
    }, **common)
