"""Shared by the benchmark scripts: Django set up with the production settings, timing with query counts,
clients that speak HTTPS and log in the way people do, and the rows of the table `make bench` prints.

Production settings: DEBUG=0 and everything it switches on (the HTTPS redirect, Secure cookies, HSTS, the
manifest static storage, JSON logs, the admins' second factor) with the real middleware. Requests are marked
secure, as behind the TLS proxy; admins log in with their password and confirm a TOTP code through the portal's
own pages. Nothing is switched off for the measurement. Static files must be collected first (run.sh does it)."""

import base64
import contextlib
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# Production refuses to run on the source's development keys; the benchmark's are thrown away with the process
# (each process logs its users in anew, and the signing bench stores its credential for the run only).
os.environ.setdefault("SECRET_KEY", "bench-" + base64.urlsafe_b64encode(os.urandom(30)).decode())
os.environ.setdefault("SIGNING_KEY_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())

import django  # noqa: E402

django.setup()

import results  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from results import record  # noqa: E402, F401  (the scripts record through the harness)

BENCH_ADMIN_EMAIL = "bench.admin@bench.invalid"
LOG_PATH = Path(settings.VAR_DIR) / "bench" / "logs.jsonl"


def _logs_to_a_file() -> None:
    """The production logs (one JSON line per request) are written as in production, to a file instead of
    stdout, so that the figures stay readable."""
    LOG_PATH.parent.mkdir(parents=True, exist_ok=True)
    stream = LOG_PATH.open("a", encoding="utf-8")
    for logger in [logging.getLogger(), *(logging.getLogger(name) for name in logging.root.manager.loggerDict)]:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stdout, sys.stderr):
                handler.setStream(stream)


_logs_to_a_file()


@contextlib.contextmanager
def celery_eager():
    """Celery tasks run in this process while inside: a benchmark (or a load run's preparation) drives the real
    tasks without a worker, and the setting is put back after."""
    from campaign_portal.celery import app

    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def measure(label: str, func, *, repeat: int = 15, target: results.Target | None = results.PAGE) -> dict:
    """Runs func once (warm-up, counting its queries), then repeat times; prints the median and p95 in ms and
    the query count, and records the row (against `target`: every page ≤ 100 ms warm unless said otherwise)."""
    with CaptureQueriesContext(connection) as queries:
        func()
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    result = {
        "label": label,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "queries": query_count,
    }
    print(
        f"{label:60} median {result['median_ms']:8.1f} ms   p95 {result['p95_ms']:8.1f} ms   {query_count:3d} queries"
    )
    record(label, result["median_ms"], target=target, queries=query_count)
    return result


class HttpsClient(Client):
    """The test client with every request marked secure (wsgi.url_scheme https), as the TLS proxy hands them
    to gunicorn: SECURE_SSL_REDIRECT lets them through and the Secure cookies are sent back."""

    def generic(self, method, path, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(method, path, *args, **kwargs)


def _totp_code(device) -> str:
    """The authenticator app's code for `device`, from a time step the device has not accepted yet (a code is
    accepted once: when this step's was used by a previous login, wait for the next step)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        time.sleep(1)
    return f"{totp.token():0{device.digits}d}"


def second_factor_complete(client: Client, user) -> None:
    """Goes through the portal's two-factor page as the admin would: the first time, the page offers a secret
    (kept in the session) and the code made from it stores the device; afterwards, the device's current code."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from organizations.views import TOTP_SETUP_SESSION_KEY

    two_factor = reverse("two_factor")
    asked = client.get(reverse("home"))  # the middleware decides, as for any page
    if not (asked.status_code == 302 and asked["Location"].startswith(two_factor)):
        return
    page = client.get(two_factor)
    assert page.status_code == 200, page.status_code
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:  # setting up: the device the page offers, unsaved until its first code checks out
        device = TOTPDevice(user=user, key=client.session[TOTP_SETUP_SESSION_KEY])
    response = client.post(two_factor, {"token": _totp_code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/", (response.status_code, response.content[:300])
    assert client.get(reverse("home")).status_code == 200, "the second factor was not accepted"


def logged_in_client(user) -> Client:
    """A client logged in as `user` (the session the login page would make: password hashing is not what is
    measured), over HTTPS, past the second factor when the user is an admin."""
    client = HttpsClient()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    second_factor_complete(client, user)
    return client


def admin_client() -> Client:
    """The benchmark admin, logged in through the login page with a password and a TOTP code. The account is made
    on first use (a superuser with a password of this run)."""
    from django.urls import reverse

    from organizations.models import User

    password = base64.urlsafe_b64encode(os.urandom(18)).decode()
    admin = User.objects.filter(email=BENCH_ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_superuser(email=BENCH_ADMIN_EMAIL, password=password, full_name="Quản trị đo")
    else:
        admin.set_password(password)
        admin.save(update_fields=["password"])
    client = HttpsClient()
    response = client.post(reverse("login"), {"username": BENCH_ADMIN_EMAIL, "password": password})
    assert response.status_code == 302, ("login refused", response.status_code)
    second_factor_complete(client, admin)
    return client
