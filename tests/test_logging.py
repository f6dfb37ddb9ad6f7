"""Structured logs (issue 9): a JSON line per request and per Celery task event, without
personal data or secrets, and an error in a Celery task mailed to the admins."""

import io
import json
import logging
import os
import subprocess
import sys
import time
import unicodedata
import uuid
from pathlib import Path

import pytest
import structlog
from celery import Celery
from celery.signals import (
    after_task_publish,
    before_task_publish,
    task_failure,
    task_prerun,
    task_rejected,
    task_retry,
    task_revoked,
    task_success,
    task_unknown,
)
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string
from django_structlog.celery.receivers import CeleryReceiver

from campaign_portal.celery import app

ROOT = Path(__file__).resolve().parents[1]
REQUEST_LOGGER = "django_structlog.middlewares.request"
TASK_LOGGER = "django_structlog.celery.receivers"


@app.task(name="tests.logging.add")
def add(*, a, b):
    return a + b


@app.task(name="tests.logging.fail")
def fail():
    raise RuntimeError("Sổ theo dõi bị hỏng")


class JsonLog:
    """What the production formatter (settings.LOGGING["formatters"]["json"]) writes."""

    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self, logger: str | None = None) -> list[dict]:
        lines = [json.loads(line) for line in self.text.splitlines()]
        return [line for line in lines if logger is None or line["logger"] == logger]


@pytest.fixture
def log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(import_string(settings.LOGGING["formatters"]["json"]["()"])())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # the test settings keep WARNING; production logs INFO
    yield JsonLog(stream)
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def worker_receivers():
    """The receivers DjangoStructLogInitStep connects in a worker, for tasks run with apply()."""
    receiver = CeleryReceiver()
    receiver.connect_worker_signals()
    yield
    for signal, handler in [
        (before_task_publish, receiver.receiver_before_task_publish),
        (after_task_publish, receiver.receiver_after_task_publish),
        (task_prerun, receiver.receiver_task_prerun),
        (task_retry, receiver.receiver_task_retry),
        (task_success, receiver.receiver_task_success),
        (task_failure, receiver.receiver_task_failure),
        (task_revoked, receiver.receiver_task_revoked),
        (task_unknown, receiver.receiver_task_unknown),
        (task_rejected, receiver.receiver_task_rejected),
    ]:
        signal.disconnect(handler)
    structlog.contextvars.clear_contextvars()


def test_request_finished_logs_officer_by_id_without_email(tree, login, log):
    officer = tree.gl1_officer
    response = login(officer).get(reverse("home"), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    started, finished = log.records(REQUEST_LOGGER)
    assert started["event"] == "request_started"
    assert finished["event"] == "request_finished"
    assert sorted(finished) == [
        "code",
        "duration_ms",
        "event",
        "ip",
        "level",
        "logger",
        "method",
        "path",
        "request_id",
        "timestamp",
        "user_id",
    ]
    assert (finished["code"], finished["method"], finished["path"]) == (200, "GET", "/me/")
    assert (finished["user_id"], finished["ip"], finished["level"]) == (officer.pk, "203.0.113.7", "info")
    assert finished["request_id"] == started["request_id"] == str(uuid.UUID(started["request_id"]))
    assert isinstance(finished["duration_ms"], float) and finished["duration_ms"] >= 0
    assert finished["timestamp"].endswith("Z")
    assert "@" not in log.text


def test_request_finished_unknown_directive_logs_404(tree, login, log):
    path = reverse("directives:document_detail", kwargs={"pk": 999_999})
    assert login(tree.gl1_officer).get(path).status_code == 404
    finished = log.records(REQUEST_LOGGER)[-1]
    assert (finished["event"], finished["code"], finished["path"]) == ("request_finished", 404, path)
    assert (finished["level"], finished["user_id"]) == ("warning", tree.gl1_officer.pk)


def test_request_anonymous_logs_null_user_id(db, client, log):
    assert client.get("/khong-co-trang-nay/").status_code == 404
    finished = log.records(REQUEST_LOGGER)[-1]
    assert (finished["code"], finished["user_id"], finished["path"]) == (404, None, "/khong-co-trang-nay/")


def test_request_log_drops_query_string_and_secret_path_parts(tree, login, client, log):
    officer_client = login(tree.gl1_officer)
    officer_client.get(reverse("home") + "?token=q-s3cr3t&page=2")
    client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "cf1-s3cr3t"}))
    client.get(reverse("public:feedback_track_detail", kwargs={"code": "S3CR3TCODE"}))
    # A unit code is no secret: it stays in the path.
    officer_client.get(reverse("organizations:unit_detail", kwargs={"code": tree.gl1.code}))
    paths = [(r["event"], r["path"]) for r in log.records(REQUEST_LOGGER) if r["event"] == "request_finished"]
    assert paths == [
        ("request_finished", "/me/"),
        ("request_finished", "/accounts/reset/[redacted]/[redacted]/"),
        ("request_finished", "/phan-anh/tra-cuu/[redacted]/"),
        ("request_finished", f"/units/{tree.gl1.code}/"),
    ]
    assert "s3cr3t" not in log.text.lower()
    assert "page=2" not in log.text


def test_login_logs_neither_body_password_csrf_token_nor_email(db, log):
    from tests.factories import UserFactory

    UserFactory(email="mai.nguyen@example.vn")
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    wrong = client.post(
        reverse("login"),
        {"username": "mai.nguyen@example.vn", "password": "sai-mat-khau-9", "csrfmiddlewaretoken": token},
    )
    right = client.post(
        reverse("login"), {"username": "mai.nguyen@example.vn", "password": "pw-123456", "csrfmiddlewaretoken": token}
    )
    assert (wrong.status_code, right.status_code) == (200, 302)
    finished = [
        (r["method"], r["path"], r["code"]) for r in log.records(REQUEST_LOGGER) if r["event"] == "request_finished"
    ]
    assert finished == [
        ("GET", "/accounts/login/", 200),
        ("POST", "/accounts/login/", 200),
        ("POST", "/accounts/login/", 302),
    ]
    assert [r["level"] for r in log.records("axes.handlers.database") if "login failure" in r["event"]] == ["warning"]
    for secret in ("mai.nguyen", "sai-mat-khau-9", "pw-123456", token):
        assert secret not in log.text


def test_json_formatter_masks_email_addresses_and_secret_keys(log):
    logging.getLogger("notifications.tests").warning("Gửi nhắc việc tới %s thất bại", "gl1.officer@example.vn")
    structlog.get_logger("notifications.tests").warning("digest_failed", to="Mai <mai@example.vn>", password="pw-1")
    plain, structured = log.records()
    assert plain["event"] == "Gửi nhắc việc tới [email] thất bại"
    assert (structured["to"], structured["password"]) == ("Mai <[email]>", "[redacted]")
    assert "example.vn" not in log.text


def test_json_formatter_round_trips_vietnamese(log):
    text = unicodedata.normalize("NFC", "Báo cáo quý III của Công đoàn cơ sở UBND xã Uy Nỗ đã được phê duyệt")
    logging.getLogger("campaign_portal.tests").warning(text)
    structlog.get_logger("campaign_portal.tests").warning("báo cáo bị trả lại", unit="Liên đoàn Lao động Đông Anh")
    plain, structured = log.records()
    assert plain["event"] == text
    assert unicodedata.is_normalized("NFC", plain["event"])
    assert (plain["level"], plain["logger"]) == ("warning", "campaign_portal.tests")
    assert (structured["event"], structured["unit"]) == ("báo cáo bị trả lại", "Liên đoàn Lao động Đông Anh")
    assert len(log.text.splitlines()) == 2


def test_task_apply_logs_task_succeeded_with_its_task_id(db, log, worker_receivers):
    result = add.apply(kwargs={"a": 2, "b": 3}, task_id="task-logging-1")
    assert result.get() == 5
    events = [(r["event"], r["task_id"]) for r in log.records(TASK_LOGGER)]
    assert events == [("task_started", "task-logging-1"), ("task_succeeded", "task-logging-1")]
    succeeded = log.records(TASK_LOGGER)[-1]
    assert isinstance(succeeded["duration_ms"], int)


def test_task_exception_mails_admins_once(db, settings):
    settings.ADMINS = [("Trực hệ thống", "ops@example.vn")]
    # throw=False: like a worker, which logs the error (celery.app.trace) instead of raising it.
    assert fail.apply(task_id="task-logging-2", throw=False).failed()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.vn"]
    assert "tests.logging.fail[task-logging-2]" in mail.outbox[0].subject
    assert "Sổ theo dõi bị hỏng" in mail.outbox[0].body


def _wait_for(predicate, *, timeout: float, what: str, proc: subprocess.Popen, logs: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(
        f"no {what}:\n{(logs / 'stdout').read_text()[-3000:]}\n{(logs / 'stderr').read_text()[-3000:]}"
    )


def test_real_worker_logs_json_with_request_id_and_mails_task_errors(log, tmp_path):
    """A `celery worker` subprocess with the production settings (LOG_FORMAT=json) on the
    filesystem broker: its task lines carry the request_id of whoever queued the task,
    and an exception in a task is mailed to ADMINS."""
    var = tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "LOG_LEVEL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="campaign_portal.settings",
        PORTAL_VAR_DIR=str(var),
        LOG_FORMAT="json",
        ADMINS="Trực hệ thống:ops@example.vn",
        EMAIL_URL=f"filemail://{tmp_path / 'mail'}",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    queue_dir = var / "celery"
    for folder in ("queue", "processed", "control"):
        (queue_dir / folder).mkdir(parents=True)
    client = Celery(
        "logging-test-client",
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(queue_dir / "queue"),
            "data_folder_out": str(queue_dir / "queue"),
            "processed_folder": str(queue_dir / "processed"),
            "control_folder": str(queue_dir / "control"),
        },
    )
    # `then` is queued by the worker once `ok` succeeds: its task_enqueued line comes from the worker.
    then = client.signature("celery.accumulate", args=[3]).freeze()
    with structlog.contextvars.bound_contextvars(request_id="req-logging-3"):
        ok = client.send_task(
            "celery.accumulate", args=[1, 2], link=client.signature("celery.accumulate", args=[3], task_id=then.id)
        )
        broken = client.send_task("celery.accumulate", args=[1, 2], kwargs={"index": "không phải số"})
    client.close()
    enqueued = [
        (r["child_task_id"], r["request_id"]) for r in log.records(TASK_LOGGER) if r["event"] == "task_enqueued"
    ]
    assert enqueued == [(ok.id, "req-logging-3"), (broken.id, "req-logging-3")]

    logs = tmp_path / "logs"
    logs.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "campaign_portal",
            "--quiet",
            "worker",
            "-P",
            "solo",
            "-n",
            "logtest@localhost",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=(logs / "stdout").open("w"),
        stderr=(logs / "stderr").open("w"),
    )
    try:

        def task_lines():
            lines = (logs / "stdout").read_text().splitlines()
            return [json.loads(line) for line in lines if line.startswith("{") and TASK_LOGGER in line]

        def done():
            return len([r for r in task_lines() if r["event"] in ("task_succeeded", "task_failed")]) == 3

        _wait_for(done, timeout=60, what="three task_succeeded/task_failed lines", proc=proc, logs=logs)
        mail_dir = tmp_path / "mail"
        _wait_for(
            lambda: mail_dir.exists() and any(mail_dir.iterdir()),
            timeout=10,
            what="mail to ADMINS",
            proc=proc,
            logs=logs,
        )
        # Read before stopping it: Celery prints "worker: Warm shutdown" itself, outside logging.
        lines = (logs / "stdout").read_text().splitlines()
    finally:
        proc.terminate()
        proc.wait(20)

    records = [json.loads(line) for line in lines]  # every line a JSON object, Celery's own included
    assert {"Connected to filesystem://:**@localhost//", "logtest@localhost ready."} <= {r["event"] for r in records}
    events = [(r["event"], r.get("task_id"), r["request_id"]) for r in task_lines() if r["event"] != "task_enqueued"]
    assert sorted(events) == sorted(
        [
            ("task_started", ok.id, "req-logging-3"),
            ("task_succeeded", ok.id, "req-logging-3"),
            ("task_started", broken.id, "req-logging-3"),
            ("task_failed", broken.id, "req-logging-3"),
            ("task_started", then.id, "req-logging-3"),
            ("task_succeeded", then.id, "req-logging-3"),
        ]
    )
    # Once, not twice, though both the app and the worker step connect django-structlog.
    assert [(r["child_task_id"], r["request_id"]) for r in task_lines() if r["event"] == "task_enqueued"] == [
        (then.id, "req-logging-3"),
    ]
    assert any(r["logger"] == "celery.app.trace" and r["level"] == "error" for r in records)
    messages = list((tmp_path / "mail").iterdir())
    assert len(messages) == 1
    sent = messages[0].read_text()
    assert "To: ops@example.vn" in sent
    assert f"celery.accumulate[{broken.id}]" in sent
