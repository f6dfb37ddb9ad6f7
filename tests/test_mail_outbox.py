"""Every e-mail the portal sends leaves through the notification outbox: no module but the
outbox's sender sends, and no module but the one e-mail helper builds a message."""

import re
from pathlib import Path

from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "tests", "migrations", "benchmarks", "var", "node_modules", ".git"}
# What builds a message, and what sends one.
BUILDS = re.compile(r"\b(EmailMessage|EmailMultiAlternatives)\(")
SENDS = re.compile(
    r"\b(send_mail|send_mass_mail|mail_admins|mail_managers)\(|\.send\((fail_silently|\))|"
    r"\.send_messages\("
)
# The outbox's two senders: digests and transactional mail (services), and urgent mail as a channel message
# (channels/email.py, sent by notifications.delivery from its ChannelMessage row).
ALLOWED = {
    "campaign_portal/emails.py": BUILDS,
    "notifications/services.py": SENDS,
    "notifications/channels/email.py": SENDS,
    # A feedback sender has no account, so no outbox row can address her: the tracking-code task sends once per
    # feedback under a row lock, as the outbox does.
    "public/tasks.py": SENDS,
}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS.isdisjoint(relative.parts):
            yield relative.as_posix(), path.read_text(encoding="utf-8")


def test_only_the_outbox_sends_and_only_the_helper_builds_mail():
    found = {}
    for name, text in _sources():
        for pattern in (BUILDS, SENDS):
            if ALLOWED.get(name) is not pattern and pattern.search(text):
                found.setdefault(name, []).append(pattern.search(text).group(0))
    assert found == {}
    assert len(list(_sources())) > 100  # the scan does see the project


def test_guard_sees_a_direct_send():
    assert SENDS.search("message.send()") and SENDS.search("send_mail(subject, body, None, [to])")
    assert BUILDS.search("EmailMultiAlternatives(subject, text)")


def test_password_reset_view_queues_through_the_outbox():
    from organizations.forms import OutboxPasswordResetForm
    from organizations.views import UnlockingPasswordResetConfirmView

    match = resolve("/accounts/password_reset/")
    assert match.func.view_initkwargs["form_class"] is OutboxPasswordResetForm
    assert resolve("/accounts/reset/MQ/set-password/").func.view_class is UnlockingPasswordResetConfirmView
