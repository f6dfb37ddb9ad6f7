"""The one-time link to an account (password reset, e-mail verification): Django's token for the
account as it is now, so that using the link (or any change of password or login) voids it."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def account_link_kwargs(user) -> dict[str, str]:
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
