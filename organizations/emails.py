"""Account e-mails, one function each, rendered by the portal's one helper and built by the
outbox sender (notifications.services) from the account as it is when the mail leaves."""

from django.urls import reverse

from campaign_portal.emails import absolute_url, render_email

from .tokens import account_link_kwargs


def password_reset(notification, **common):
    """The reset link; made at sending time, so no token is stored in the outbox."""
    user = notification.recipient
    if not user.is_active or not user.has_usable_password():
        return None
    path = reverse("password_reset_confirm", kwargs=account_link_kwargs(user))
    return render_email("password_reset", context={"user": user, "reset_url": absolute_url(path)}, **common)


def account_unlocked(notification, **common):
    user = notification.recipient
    return render_email(
        "account_unlocked",
        context={
            "user": user,
            "login_url": absolute_url(reverse("login")),
            "reset_url": absolute_url(reverse("password_reset")),
        },
        **common,
    )
