"""Reporting at scale: the city dashboard and the city roll-up against the raw SQL aggregate.

Assumes `manage.py generate_scale --grassroots 10000` ran on the configured database
(DATABASE_URL). Prints medians (ms) and query counts:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python benchmarks/bench_reporting.py

Target (issue 5): the city dashboard within 3x the raw SQL aggregate over the same data.

Filing, reviewing and the rest of the working day under 100 concurrent users are measured
with locust by benchmarks/load/run.sh (with its own sessions, see benchmarks/load/prepare.py).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness  # noqa: E402, F401  (Django set up)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from organizations.models import Unit, User  # noqa: E402
from reporting import selectors  # noqa: E402
from reporting.models import Report, ReportingCycle, Value  # noqa: E402
from reporting.scale import SCALE_CYCLE  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def measure(fn, runs=RUNS):
    fn()  # warm up (caches, connection)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), len(ctx.captured_queries)


def raw_dashboard_sql(cycle, unit):
    """The same numbers as the dashboard, as two hand-written GROUP BYs (expected units, reports)."""
    length = len(unit.path) + Unit.steplen
    kinds = tuple(cycle.scope_kinds)
    placeholders = ",".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT substr(path, 1, %s), count(*) FROM organizations_unit WHERE path LIKE %s "
            f"AND dissolved_on IS NULL AND kind IN ({placeholders}) GROUP BY 1",
            [length, unit.path + "%", *kinds])
        cursor.fetchall()
        cursor.execute(
            "SELECT r.period_id, substr(u.path, 1, %s), "
            "count(*) FILTER (WHERE r.status IN ('submitted','approved','accepted')), "
            "count(*) FILTER (WHERE r.status IN ('submitted','approved','accepted') AND NOT r.is_late), "
            "count(*) FILTER (WHERE r.status IN ('approved','accepted')) "
            "FROM reporting_report r JOIN organizations_unit u ON u.id = r.unit_id "
            "WHERE r.cycle_id = %s AND u.path LIKE %s GROUP BY 1, 2",
            [length, cycle.pk, unit.path + "%"])
        return cursor.fetchall()


def raw_rollup_sql(period, unit):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.indicator_id, sum(v.number), avg(v.number), max(v.number) "
            "FROM reporting_value v JOIN reporting_report r ON r.id = v.report_id "
            "WHERE r.period_id = %s AND r.lineage LIKE %s AND v.number IS NOT NULL "
            "AND (r.status IN ('approved','accepted') OR r.unit_id = %s) GROUP BY v.indicator_id",
            [period.pk, unit.lineage + "%", unit.pk])
        return cursor.fetchall()


def main():
    cycle = ReportingCycle.objects.select_related("scope_root", "form_version").get(name=SCALE_CYCLE)
    city = Unit.objects.get(code="HN-LDLD")
    period = cycle.periods.order_by("starts_on").last()
    print(f"database: {connection.vendor}; units {Unit.objects.count()}, reports {Report.objects.count()}, "
          f"values {Value.objects.count()}; runs {RUNS}")

    rows = []
    raw_dash_ms, raw_dash_q = measure(lambda: raw_dashboard_sql(cycle, city))
    rows.append(("raw SQL: dashboard aggregates", raw_dash_ms, raw_dash_q))

    def dashboard_selectors():
        data = selectors.dashboard(cycle=cycle, unit=city)
        selectors.trend_chart(periods=data["periods"], totals=data["totals"])

    dash_ms, dash_q = measure(dashboard_selectors)
    rows.append(("city dashboard (selectors + chart)", dash_ms, dash_q))

    raw_roll_ms, raw_roll_q = measure(lambda: raw_rollup_sql(period, city))
    rows.append(("raw SQL: roll-up GROUP BY", raw_roll_ms, raw_roll_q))
    roll_ms, roll_q = measure(lambda: selectors.rollup(period=period, unit=city))
    rows.append(("city roll-up (selector)", roll_ms, roll_q))

    head = User.objects.get(email="tuyengiao@demo.cchc.vn")
    client = Client()
    client.force_login(head, backend="django.contrib.auth.backends.ModelBackend")
    dashboard_url = reverse("reporting:dashboard", args=[cycle.pk, city.code]) + f"?period={period.pk}"
    rollup_url = reverse("reporting:rollup", args=[period.pk, city.code])

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page_ms, page_q = measure(lambda: get(dashboard_url))
    rows.append(("city dashboard page (full request, late list page 1)", page_ms, page_q))
    rpage_ms, rpage_q = measure(lambda: get(rollup_url))
    rows.append(("city roll-up page (full request)", rpage_ms, rpage_q))

    print(f"{'measurement':58} {'median ms':>10} {'queries':>8}")
    for name, ms, queries in rows:
        print(f"{name:58} {ms:10.1f} {queries:8d}")
    print(f"dashboard / raw SQL = {dash_ms / raw_dash_ms:.2f}x (target <= 3x)")
    print(f"roll-up / raw SQL = {roll_ms / raw_roll_ms:.2f}x")


if __name__ == "__main__":
    main()
