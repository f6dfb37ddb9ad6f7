"""Signals for other apps (notifications listens); sent after the transaction commits.

Each is sent with sender=Report and keyword arguments report=<Report>, by=<User>;
report_returned also carries comment=<str>."""

from django.dispatch import Signal

report_submitted = Signal()
report_returned = Signal()
report_approved = Signal()
