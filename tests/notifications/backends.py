"""E-mail backends that stand in for an SMTP outage in unit tests."""

import errno

from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(errno.ECONNREFUSED, "SMTP server down")
