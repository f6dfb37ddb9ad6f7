"""Exactly once with a REAL Celery worker on a REAL Redis broker, PostgreSQL and an
SMTP server (aiosmtpd) on localhost. Skipped on SQLite and when Redis is down."""

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from notifications.enums import NotificationStatus
from notifications.models import Notification, Preference
from tests.factories import UserFactory

from .conftest import vn
from .smtp_sink import load_controller

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
NOW = vn(2019, 9, 17, 8, 0).isoformat()

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("the worker subprocess needs a real (PostgreSQL) test database")
    if not _redis_up():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An SMTP server: records accepted messages; can refuse the first N, or stall on
    the k-th (a worker killed while it waits never gets the message accepted)."""

    def __init__(self, *, refuse_first=0, stall_on=None, delay=0.0):
        self.accepted: list[str] = []
        self.refused = 0
        self.refuse_first = refuse_first
        self.stall_on = stall_on
        self.delay = delay
        self.stalled = threading.Event()
        self.seen = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            seen = self.seen
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 Try again later"
        if seen == self.stall_on:
            self.stalled.set()
            await asyncio.sleep(3)
            return "451 4.3.0 Client went away"
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.accepted.append(message["To"])
        return "250 OK"


@pytest.fixture
def smtp():
    sinks = []

    def start(**kwargs):
        sink = Sink(**kwargs)
        controller = load_controller()(sink, hostname="127.0.0.1", port=_free_port())
        controller.start()
        sinks.append(controller)
        return sink, controller.port

    yield start
    for controller in sinks:
        controller.stop()


@pytest.fixture
def workers(tmp_path):
    """Starts `celery worker -P solo` subprocesses on a queue of this test's own."""
    queue = f"notif-test-{uuid.uuid4().hex[:8]}"
    procs = []

    def spawn(*, smtp_port: int, name: str) -> subprocess.Popen:
        log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "NOTIF_BROKER_URL": REDIS_URL,
            "NOTIF_QUEUE": queue,
            "NOTIF_DB_NAME": connection.settings_dict["NAME"],
            "NOTIF_SMTP_PORT": str(smtp_port),
            "PYTHONPATH": str(ROOT),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "campaign_portal", "worker", "-P", "solo", "-Q", queue,
             "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        proc.log = log
        procs.append(proc)
        return proc

    def wait_ready(*started):
        deadline = time.monotonic() + 30
        pending = list(started)
        while pending and time.monotonic() < deadline:
            pending = [p for p in pending if " ready." not in p.log.read_text()]
            for proc in pending:
                if proc.poll() is not None:
                    raise AssertionError(f"worker died:\n{proc.log.read_text()[-3000:]}")
            time.sleep(0.05)
        if pending:
            raise AssertionError(f"worker did not start:\n{pending[0].log.read_text()[-3000:]}")

    def start(*, smtp_port: int, names: tuple[str, ...]) -> list[subprocess.Popen]:
        started = [spawn(smtp_port=smtp_port, name=name) for name in names]
        wait_ready(*started)
        return started

    client = Celery("notif-test-client", broker=REDIS_URL)

    def send(task: str, **kwargs):
        client.send_task(task, kwargs=kwargs, queue=queue)

    start.send = send
    start.logs = tmp_path
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()  # the queue is deleted below; nothing to finish gracefully
            proc.wait()
    with client.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
    client.close()


def _people(n: int) -> list[str]:
    users = [UserFactory(email=f"person{i:02d}@once.test") for i in range(n)]
    Preference.objects.bulk_create([Preference(user=u, digest_hour=0) for u in users])
    return sorted(u.email for u in users)


def _wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _sent() -> int:
    return Notification.objects.filter(status=NotificationStatus.SENT).count()


def test_worker_two_concurrent_sweeps_send_each_email_once(smtp, workers):
    emails = _people(20)
    sink, port = smtp(delay=0.02)
    workers(smtp_port=port, names=("w1", "w2"))
    workers.send("notifications.sweep", now=NOW)
    workers.send("notifications.sweep", now=NOW)
    _wait_until(lambda: _sent() == 20, 30, "20 sent notifications")
    time.sleep(1.0)  # any duplicate would arrive now
    assert Counter(sink.accepted) == Counter(emails)
    assert Notification.objects.count() == 20


def test_worker_sigkill_mid_batch_then_restart_sends_each_once(smtp, workers):
    emails = _people(12)
    sink, port = smtp(stall_on=5, delay=0.05)
    (first,) = workers(smtp_port=port, names=("doomed",))
    workers.send("notifications.sweep", now=NOW)
    assert sink.stalled.wait(20), "the worker never reached the 5th e-mail"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    sent_before_kill = _sent()
    assert sent_before_kill == 4
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 8
    # After a restart, beat's next tick queues the pending digests again.
    workers(smtp_port=port, names=("reborn",))
    workers.send("notifications.dispatch_digests", now=NOW)
    _wait_until(lambda: _sent() == 12, 30, "12 sent notifications")
    time.sleep(0.5)
    assert Counter(sink.accepted) == Counter(emails)


def test_worker_smtp_fails_then_recovers_delivers_after_retry(smtp, workers):
    _people(1)
    sink, port = smtp(refuse_first=2)
    workers(smtp_port=port, names=("retry",))
    workers.send("notifications.sweep", now=NOW)
    _wait_until(lambda: _sent() == 1, 20, "delivery after retries")
    row = Notification.objects.get()
    assert (sink.refused, sink.accepted, row.attempts, row.last_error) == (2, ["person00@once.test"], 3, "")
