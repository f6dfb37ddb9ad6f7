"""Shared by the benchmark scripts: Django setup, timing with query counts."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def measure(label: str, func, *, repeat: int = 15) -> dict:
    """Runs func repeat times; reports the median and p95 in ms and the query count of one run."""
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
    return result


def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
