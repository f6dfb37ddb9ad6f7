"""Messages per second per channel against the loopback providers (notifications/channels/loopback.py):
N people, one queued message each on Zalo, SMS and e-mail (locmem), sent one by one through
notifications.delivery.channel_message_send (claim, HTTP request, state change with its history row), in one
process, on a throwaway test database.

Usage: DATABASE_URL=… .venv/bin/python benchmarks/bench_channels.py [--messages N]"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from results import record  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    n = parser.parse_args().messages
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from notifications.channels.loopback import LoopbackProviders

    server = LoopbackProviders().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    try:
        from django.contrib.contenttypes.models import ContentType

        from notifications import delivery
        from notifications.enums import Channel
        from notifications.models import ChannelMessage, Notification
        from tests.factories import UserFactory

        users = [UserFactory(email=f"bench{i}@x.vn", phone=f"+8491{i:07d}") for i in range(n)]
        ct = ContentType.objects.get_for_model(users[0])
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=u, kind="report_returned", subject_type=ct, subject_id=u.pk, window="b", payload={}
                )
                for u in users
            ]
        )
        print(f"{connection.vendor}, {n} messages per channel, loopback providers on {server.base_url}")
        for channel in (Channel.ZALO, Channel.SMS, Channel.EMAIL):
            ids = [
                ChannelMessage.objects.create(
                    key=f"bench:{u.pk}:{channel}",
                    user=u,
                    channel=channel,
                    notification=row,
                    to=u.email if channel == Channel.EMAIL else u.phone,
                    text="Báo cáo “Quý IV” đã bị trả lại để sửa. http://127.0.0.1:8000/reports/1/",
                ).pk
                for u, row in zip(users, rows, strict=True)
            ]
            start = time.perf_counter()
            sent = sum(delivery.channel_message_send(message_id=pk) for pk in ids)
            elapsed = time.perf_counter() - start
            print(f"  {channel:6s} {sent}/{n} sent in {elapsed:.2f} s: {sent / elapsed:.0f} messages/s")
            record(f"{channel} messages to the loopback provider ({n})", sent / elapsed, unit="per s")
    finally:
        server.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
