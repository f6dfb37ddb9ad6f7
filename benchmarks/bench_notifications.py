"""Reminders at scale (run `manage.py generate_scale --grassroots 10000` first).

1. The sweep over the 10,000-union tree with open reporting periods due in two days
   and a quarter of the expected units still missing in each: time and query count (target < 2 s).
   --periods 9 (the default) gives the case of issue 18, ~22,800 due reminders; --periods 1 gives ~2,800.
2. Sending 10,000 digests, one per person, through a local SMTP sink (aiosmtpd): throughput.

Everything the benchmark adds is rolled back at the end: the scale data stay as they were.
Usage: .venv/bin/python benchmarks/bench_notifications.py [--digests N] [--periods N]"""

import argparse
import datetime as dt
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

from _harness import measure, record
from results import REMINDER_SWEEP, REMINDER_SWEEP_NOOP

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaign_portal.warmup import process_warm_up  # noqa: E402
from notifications import services  # noqa: E402
from notifications.enums import NotificationKind, NotificationStatus  # noqa: E402
from notifications.models import Notification, Preference  # noqa: E402
from notifications.windows import local_today  # noqa: E402
from organizations.enums import Role, UnitKind  # noqa: E402
from organizations.models import Membership, Unit  # noqa: E402
from reporting.enums import PeriodType, ReportStatus  # noqa: E402
from reporting.models import FormVersion, Period, Report, ReportForm, ReportingCycle  # noqa: E402


class Rollback(Exception):
    pass


def open_period_with_a_quarter_missing(now, *, number: int = 1) -> Period:
    today = local_today(now)
    form = ReportForm.objects.create(code=f"bench-{int(time.time())}-{number}", name=f"Bench {number}")
    version = FormVersion.objects.create(form=form, number=1, frozen_at=now)
    cycle = ReportingCycle.objects.create(
        name=f"Bench: báo cáo nhanh {number}",
        form_version=version,
        period_type=PeriodType.ONE_OFF,
        scope_kinds=[UnitKind.GRASSROOTS_UNION],
    )
    period = Period.objects.create(
        cycle=cycle,
        label="Bench",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=2),
        locks_on=today + dt.timedelta(days=12),
    )
    units = list(
        Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION, dissolved_on__isnull=True).values_list("pk", "lineage")
    )
    rng = random.Random(7 + number)
    filed = [u for u in units if rng.random() >= 0.25]
    Report.objects.bulk_create(
        [
            Report(
                cycle=cycle,
                period=period,
                unit_id=pk,
                lineage=lineage,
                form_version=version,
                status=ReportStatus.SUBMITTED,
                submitted_at=now - dt.timedelta(hours=1),
            )
            for pk, lineage in filed
        ],
        batch_size=2000,
    )
    print(f"period {number}: grassroots unions: {len(units)}, filed: {len(filed)}, missing: {len(units) - len(filed)}")
    return period


def main(digests: int, periods: int) -> None:
    now = timezone.now()
    # As the Celery worker does before its first task (campaign_portal.celery): the first sweep below is a fresh
    # process's, with the URLconf, catalogues and templates loaded but nothing else warm.
    process_warm_up()
    try:
        with transaction.atomic():
            for number in range(1, periods + 1):
                open_period_with_a_quarter_missing(now, number=number)
            if connection.vendor == "postgresql":
                # Fresh statistics, as autovacuum would have them after bulk loads (also inside this transaction).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = services.reminders_sweep(now=now)
                elapsed = time.perf_counter() - started
            print(
                f"first sweep (fresh process, after the worker's warm-up): {result.due} reminders due, "
                f"{result.inserted} inserted, {elapsed * 1000:.0f} ms, {len(queries.captured_queries)} queries "
                f"(inserts in batches of {services.INSERT_BATCH})"
            )
            record(
                f"reminder sweep, cold process ({result.due:,} due)",
                elapsed * 1000,
                target=REMINDER_SWEEP,
                queries=len(queries.captured_queries),
            )
            Notification.objects.filter(window__contains=":").delete()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = services.reminders_sweep(now=now)
                elapsed = time.perf_counter() - started
            print(
                f"sweep in a warm worker, everything new: {result.due} due, {result.inserted} inserted, "
                f"{elapsed * 1000:.0f} ms, {len(queries.captured_queries)} queries"
            )
            record(
                f"reminder sweep, warm worker ({result.due:,} due)",
                elapsed * 1000,
                target=REMINDER_SWEEP,
                queries=len(queries.captured_queries),
            )
            measure(
                "sweep again (everything already inserted: a no-op)",
                lambda: services.reminders_sweep(now=now),
                repeat=5,
                target=REMINDER_SWEEP_NOOP,
            )
            bench_sending(now=now, digests=digests)
            raise Rollback
    except Rollback:
        print("(rolled back)")


def bench_sending(*, now, digests: int) -> None:
    officers = list(
        Membership.objects.filter(role=Role.OFFICER, is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:digests]
    )
    Notification.objects.filter(status=NotificationStatus.PENDING).exclude(recipient_id__in=officers).delete()
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_by_natural_key("organizations", "user")
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                kind=NotificationKind.REPORT_RETURNED,
                subject_type=user_type,
                subject_id=pk,
                window="bench",
                payload={"title": "Bench", "unit": "CĐCS", "url": "/reports/"},
            )
            for pk in officers
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    Preference.objects.filter(user_id__in=officers).delete()
    Preference.objects.bulk_create([Preference(user_id=pk, digest_hour=0) for pk in officers], batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_notification, notifications_preference")
    # The sink runs in its own process (as a real SMTP server would), from /tmp so that the
    # project's `public` app does not shadow the `public` module aiosmtpd imports.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        cwd="/tmp",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        started = time.perf_counter()
        sent = services.digests_send_due(now=now)
        elapsed = time.perf_counter() - started
    finally:
        sink.terminate()
        sink.wait()
    print(
        f"digests: {sent} sent and accepted (250) by the SMTP sink in {elapsed:.1f} s "
        f"= {sent / elapsed:.0f} digests/s (one process, one SMTP connection)"
    )
    record(f"digests sent through SMTP ({sent:,})", sent / elapsed, unit="digests/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--digests", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=9, help="open periods, each with a quarter of units missing")
    arguments = parser.parse_args()
    main(arguments.digests, arguments.periods)
