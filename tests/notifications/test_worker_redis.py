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

from notifications.channels.loopback import LoopbackProviders, LoopbackState
from notifications.enums import Channel, ChannelMessageState, NotificationStatus
from notifications.models import ChannelMessage, Notification, Preference
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

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self, *, refuse_first=0, stall_on=None, delay=0.0):
        self.accepted: list[str] = []
        self.refused = 0
        self.refuse_first = refuse_first
        self.stall_on = stall_on
        self.delay = delay
        self.stalled = threading.Event()
        self.seen = 0

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


class Cluster:
    """`celery worker -P solo` subprocesses on a Redis queue of this module's own,
    sending to one aiosmtpd server; shared by the tests to start fewer workers."""

    def __init__(self, *, logs: Path, db_name: str):
        self.queue = f"notif-test-{uuid.uuid4().hex[:8]}"
        self.logs = logs
        self.db_name = db_name
        self.sink = Sink()
        self.controller = load_controller()(self.sink, hostname="127.0.0.1", port=_free_port())
        self.controller.start()
        self.providers = LoopbackProviders().start()
        self.client = Celery("notif-test-client", broker=REDIS_URL, set_as_current=False)
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, *names: str) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "NOTIF_BROKER_URL": REDIS_URL,
            "NOTIF_QUEUE": self.queue,
            "NOTIF_DB_NAME": self.db_name,
            "NOTIF_SMTP_PORT": str(self.controller.port),
            "NOTIF_PROVIDERS_URL": self.providers.base_url,
            "PYTHONPATH": str(ROOT),
        }
        for name in names:
            self.procs[name] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "campaign_portal",
                    "worker",
                    "-P",
                    "solo",
                    "-Q",
                    self.queue,
                    "-n",
                    f"{name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-l",
                    "INFO",
                ],
                cwd=ROOT,
                env=env,
                stdout=(self.logs / f"{name}.log").open("w"),
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 40
        pending = list(names)
        while pending and time.monotonic() < deadline:
            pending = [n for n in pending if " ready." not in self.log(n)]
            for name in pending:
                if self.procs[name].poll() is not None:
                    raise AssertionError(f"worker {name} died:\n{self.log(name)[-3000:]}")
            time.sleep(0.05)
        if pending:
            raise AssertionError(f"worker {pending[0]} did not start:\n{self.log(pending[0])[-3000:]}")

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def running(self) -> list[str]:
        return [name for name, proc in self.procs.items() if proc.poll() is None]

    def send(self, task: str, **kwargs) -> None:
        self.client.send_task(task, kwargs=kwargs, queue=self.queue)

    def close(self) -> None:
        for name in list(self.procs):
            self.kill(name)  # the queue is deleted below; nothing to finish gracefully
        with self.client.connection_for_write() as conn:
            conn.default_channel.queue_delete(self.queue)
        self.client.close()
        self.controller.stop()
        self.providers.stop()


@pytest.fixture(scope="module")
def cluster(django_db_setup, tmp_path_factory):
    if connection.vendor != "postgresql" or not _redis_up():
        pytest.skip("needs PostgreSQL and Redis")
    cluster = Cluster(logs=tmp_path_factory.mktemp("workers"), db_name=connection.settings_dict["NAME"])
    yield cluster
    cluster.close()


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


def test_worker_two_concurrent_sweeps_send_each_email_once(cluster):
    emails = _people(20)
    cluster.sink.reset(delay=0.02)
    cluster.start("w1", "w2")
    cluster.send("notifications.sweep", now=NOW)
    cluster.send("notifications.sweep", now=NOW)
    _wait_until(lambda: _sent() == 20, 30, "20 sent notifications")
    time.sleep(1.0)  # any duplicate would arrive now
    assert Counter(cluster.sink.accepted) == Counter(emails)
    assert Notification.objects.count() == 20


def test_worker_runs_below_the_web_processes_cpu_priority(cluster):
    """WORKER_NICENESS (10 by default): on a machine shared with gunicorn, the pages get the CPU first."""
    if not cluster.running():
        cluster.start("nice")
    pid = cluster.procs[cluster.running()[0]].pid
    assert os.getpriority(os.PRIO_PROCESS, pid) == min(os.getpriority(os.PRIO_PROCESS, 0) + 10, 19)


def test_worker_sigkill_mid_batch_then_restart_sends_each_once(cluster):
    for name in cluster.running():
        cluster.kill(name)
    emails = _people(12)
    cluster.sink.reset(stall_on=5, delay=0.05)
    cluster.start("doomed")
    cluster.send("notifications.sweep", now=NOW)
    assert cluster.sink.stalled.wait(20), "the worker never reached the 5th e-mail"
    cluster.kill("doomed")
    assert _sent() == 4
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 8
    # After a restart, beat's next tick queues the pending digests again.
    cluster.start("reborn")
    cluster.send("notifications.dispatch_digests", now=NOW)
    _wait_until(lambda: _sent() == 12, 30, "12 sent notifications")
    time.sleep(0.5)
    assert Counter(cluster.sink.accepted) == Counter(emails)


def test_worker_smtp_fails_then_recovers_delivers_after_retry(cluster):
    if not cluster.running():
        cluster.start("retry")
    _people(1)
    cluster.sink.reset(refuse_first=2)
    cluster.send("notifications.sweep", now=NOW)
    _wait_until(lambda: _sent() == 1, 20, "delivery after retries")
    row = Notification.objects.get()
    assert (cluster.sink.refused, cluster.sink.accepted, row.attempts, row.last_error) == (
        2,
        ["person00@once.test"],
        3,
        "",
    )


def _phoned_people(n: int, *, no_zalo: int) -> tuple[list[str], list[str]]:
    """n people who chose Zalo (the last no_zalo of them have no Zalo account): their ZNS and SMS phones."""
    users = [UserFactory(email=f"phoned{i:02d}@once.test", phone=f"+8491200{i:04d}") for i in range(n)]
    Preference.objects.bulk_create([Preference(user=u, digest_hour=0, channels=[Channel.ZALO]) for u in users])
    phones = sorted(u.phone for u in users)
    return [p.removeprefix("+") for p in phones[: n - no_zalo]], phones[n - no_zalo :]


def test_worker_sigkill_mid_batch_zalo_and_sms_each_once(cluster):
    """The real-worker exactly-once test, on the new channels: a worker killed while a provider holds its
    request; after a restart every person has her digest once on Zalo, or once by SMS when she has no Zalo."""
    for name in cluster.running():
        cluster.kill(name)
    zalo_phones, sms_phones = _phoned_people(10, no_zalo=2)
    state = cluster.providers.state
    fresh = LoopbackState()
    state.zns.clear()
    state.sms.clear()
    state.no_zalo = {p.removeprefix("+") for p in sms_phones}
    state.stall_on, state.sends, state.delay = state.sends + 5, state.sends, 0.05
    state.stalled = fresh.stalled
    cluster.start("doomed-phones")
    cluster.send("notifications.sweep", now=NOW)
    assert state.stalled.wait(90), (
        "the worker never reached the 5th provider request"
    )  # a loaded CI machine starts workers slowly
    cluster.kill("doomed-phones")
    done = ChannelMessage.objects.exclude(state=ChannelMessageState.QUEUED).count()
    assert done < 10 + len(sms_phones)
    cluster.start("reborn-phones")
    cluster.send("notifications.dispatch_digests", now=NOW)
    cluster.send("notifications.dispatch_channel_messages", older_than_seconds=0)

    def _all_done():
        messages = ChannelMessage.objects.filter(user__email__startswith="phoned")
        return (
            messages.count() == 10 + len(sms_phones) and not messages.filter(state=ChannelMessageState.QUEUED).exists()
        )

    _wait_until(_all_done, 120, "every Zalo and SMS message settled")
    time.sleep(0.5)  # any duplicate would arrive now
    assert Counter(z["phone"] for z in state.zns) == Counter(zalo_phones)
    assert Counter(s["to"] for s in state.sms) == Counter(sms_phones)
    failed = ChannelMessage.objects.filter(state=ChannelMessageState.FAILED).values_list("error_code", flat=True)
    assert list(failed) == ["-118"] * len(sms_phones)
