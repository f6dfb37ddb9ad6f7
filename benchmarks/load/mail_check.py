"""Reminders under faults: each goes out once, none is lost.

    mail_check.py record-outage FILE       # while Redis is down: record reminders for fresh officers
    mail_check.py outage FILE MAILDIR      # afterwards: each of them got exactly one e-mail
    mail_check.py once MAILDIR             # after a worker was SIGKILLed mid-batch: every due digest
                                           # went out, and nobody got two

Polls are bounded (MAIL_WAIT seconds, default 600: the morning digests queued before them go first). Exit status 1 on any loss or duplicate.
"""

import email
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _harness  # noqa: E402, F401  (Django set up the benchmarks' way)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.utils import timezone  # noqa: E402

from directives.models import Document  # noqa: E402
from notifications.enums import NotificationKind, NotificationStatus  # noqa: E402
from notifications.models import Notification  # noqa: E402
from notifications.selectors import recipients_due_for_digest  # noqa: E402
from notifications.services import notify  # noqa: E402
from organizations.models import User  # noqa: E402

WAIT = int(os.environ.get("MAIL_WAIT", "600"))
OUTAGE_PEOPLE = 30


def messages_in(maildir: str) -> list:
    """Every message the file backend wrote (one file per connection, messages between dashes)."""
    out = []
    for path in Path(maildir).glob("*.log"):
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if chunk.strip():
                out.append(email.message_from_string(chunk.strip()))
    return out


def recipients_in(maildir: str, *, distinct: bool = False) -> Counter:
    """Deliveries per To: address; with distinct, different Message-IDs per address (a message
    sent again after a kill keeps its Message-ID, see notifications.services.digest_message_id)."""
    seen = set()
    counts: Counter = Counter()
    for message in messages_in(maildir):
        for address in (message.get("To") or "").split(","):
            address = address.strip().lower()
            if not address or (distinct and (address, message.get("Message-ID")) in seen):
                continue
            seen.add((address, message.get("Message-ID")))
            counts[address] += 1
    return counts


def record_outage(out: str) -> None:
    stamp = timezone.now().strftime("%H%M%S")
    emails = [f"nhachan.{stamp}.{i:02d}@load.cchc.vn" for i in range(OUTAGE_PEOPLE)]
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=e, full_name=f"Cán bộ nhận nhắc {i}", password=password) for i, e in enumerate(emails)]
    )
    ids = list(User.objects.filter(email__in=emails).values_list("pk", flat=True))
    # What the directives app records when a document reaches a unit (directives.signals.notify_document_issued):
    # an event, which the sweep never withdraws, unlike the deadline reminders it recomputes.
    document = Document.objects.order_by("pk").first()
    notify(
        recipient_ids=ids,
        kind=NotificationKind.DIRECTIVE_ISSUED,
        subject=document,
        window=f"load-{stamp}",
        payload={"title": f"{document.number_symbol} – gửi đến khi Redis ngừng", "unit": "", "url": "/directives/"},
    )
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
    print(
        f"reminders recorded during the Redis outage: {len(emails)}; sent after it returned: {sent}; "
        f"e-mailed exactly once: {once}; more than once: {len(twice)}"
    )
    return 0 if sent == len(emails) == once else 1


def check_once(maildir: str) -> int:
    deadline = time.monotonic() + WAIT
    due = recipients_due_for_digest(now=timezone.now())
    while due and time.monotonic() < deadline:
        time.sleep(5)
        due = recipients_due_for_digest(now=timezone.now())
    counts = recipients_in(maildir)
    distinct = recipients_in(maildir, distinct=True)
    delivered_twice = {address: n for address, n in counts.items() if n > 1}
    two_messages = {address: n for address, n in distinct.items() if n > 1}
    sent_to = set(
        Notification.objects.filter(status=NotificationStatus.SENT)
        .filter(sent_at__gte=timezone.now() - timezone.timedelta(hours=1))
        .values_list("recipient__email", flat=True)
        .distinct()
    )
    unmailed = sorted(e for e in sent_to if counts[e.lower()] == 0)
    print(
        f"digests still due: {len(due)}; people e-mailed: {len(counts)}; delivered twice: {len(delivered_twice)} "
        f"(the same Message-ID: {len(delivered_twice) - len(two_messages)}); two different digests: "
        f"{len(two_messages)}; marked sent but no e-mail: {len(unmailed)}"
    )
    return 0 if not (due or two_messages or unmailed) else 1


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
