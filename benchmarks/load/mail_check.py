"""Reminders under faults: each goes out once, none is lost.

    mail_check.py record-outage FILE       # while Redis is down: record reminders for fresh officers
    mail_check.py outage FILE MAILDIR      # afterwards: each of them got exactly one e-mail
    mail_check.py once MAILDIR             # after a worker was SIGKILLed mid-batch: every due digest
                                           # went out, and nobody got two

Polls are bounded (MAIL_WAIT seconds, default 300). Exit status 1 on any loss or duplicate.
"""

import email
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402

from directives.models import Document  # noqa: E402
from notifications.enums import NotificationKind, NotificationStatus  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.selectors import recipients_due_for_digest  # noqa: E402
from notifications.services import notify  # noqa: E402
from organizations.models import User  # noqa: E402

WAIT = int(os.environ.get("MAIL_WAIT", "300"))
OUTAGE_PEOPLE = 30


def recipients_in(maildir: str) -> Counter:
    """Every To: address of every message the file backend wrote (one file per connection)."""
    counts: Counter = Counter()
    for path in Path(maildir).glob("*.log"):
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip())
                for address in (message.get("To") or "").split(","):
                    if address.strip():
                        counts[address.strip().lower()] += 1
    return counts


def record_outage(out: str) -> None:
    stamp = timezone.now().strftime("%H%M%S")
    emails = [f"nhachan.{stamp}.{i:02d}@load.cchc.vn" for i in range(OUTAGE_PEOPLE)]
    password = make_password(None)
    User.objects.bulk_create([User(email=e, full_name=f"Cán bộ nhận nhắc {i}", password=password)
                              for i, e in enumerate(emails)])
    ids = list(User.objects.filter(email__in=emails).values_list("pk", flat=True))
    document = Document.objects.order_by("pk").first()
    notify(recipient_ids=ids, kind=NotificationKind.DIRECTIVE_DEADLINE, subject=document, window=f"load-{stamp}",
           payload={"title": f"{document.number_symbol} – nhắc hạn khi Redis ngừng", "unit": "", "due": "",
                    "url": "/directives/"})
    Path(out).write_text(json.dumps({"emails": emails, "recorded_at": timezone.now().isoformat()}))
    print(f"{timezone.now().isoformat()} recorded {len(ids)} reminders while the broker is down")


def check_outage(recorded: str, maildir: str) -> int:
    emails = json.loads(Path(recorded).read_text())["emails"]
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        pending = Notification.objects.filter(recipient__email__in=emails, status=NotificationStatus.PENDING).count()
        if not pending:
            break
        time.sleep(5)
    sent = Notification.objects.filter(recipient__email__in=emails, status=NotificationStatus.SENT).count()
    counts = recipients_in(maildir)
    once = sum(1 for e in emails if counts[e] == 1)
    twice = [e for e in emails if counts[e] > 1]
    print(f"reminders recorded during the Redis outage: {len(emails)}; sent after it returned: {sent}; "
          f"e-mailed exactly once: {once}; more than once: {len(twice)}")
    return 0 if sent == len(emails) == once else 1


def check_once(maildir: str) -> int:
    deadline = time.monotonic() + WAIT
    due = recipients_due_for_digest(now=timezone.now())
    while due and time.monotonic() < deadline:
        time.sleep(5)
        due = recipients_due_for_digest(now=timezone.now())
    counts = recipients_in(maildir)
    duplicates = {address: n for address, n in counts.items() if n > 1}
    sent_to = set(Notification.objects.filter(status=NotificationStatus.SENT)
                  .filter(sent_at__gte=timezone.now() - timezone.timedelta(hours=1))
                  .values_list("recipient__email", flat=True).distinct())
    unmailed = sorted(e for e in sent_to if counts[e.lower()] == 0)
    print(f"digests still due: {len(due)}; people e-mailed: {len(counts)}; more than one e-mail: {len(duplicates)}; "
          f"marked sent but no e-mail: {len(unmailed)}")
    return 0 if not (due or duplicates or unmailed) else 1


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "record-outage":
        record_outage(*args)
    elif command == "outage":
        sys.exit(check_outage(*args))
    elif command == "once":
        sys.exit(check_once(*args))
    else:
        sys.exit(__doc__)
