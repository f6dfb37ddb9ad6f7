"""Reporting at scale: the city dashboard and the city roll-up against the raw SQL aggregate,
for a past period (2019, counted on the tree of its date through UnitPlacement and the
lineage stored on reports) and for the current open period (the live tree).

Assumes `manage.py generate_scale --grassroots 10000 --years 4` ran on the configured database
(DATABASE_URL): four years of quarterly reports, which the pages read through the live report summaries
(reporting.summaries), so their figures and query counts must not grow with the years. Prints medians (ms)
and query counts:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python benchmarks/bench_reporting.py

Targets: the city dashboard and roll-up pages <= 50 ms warm (issue 18); the city dashboard within 3x the raw SQL
aggregate over the same data (issue 5).

Filing, reviewing and the rest of the working day under 100 concurrent users are measured
with locust by benchmarks/load/run.sh (with its own sessions, see benchmarks/load/prepare.py).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import logged_in_client  # noqa: E402  (Django set up)
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from results import AGGREGATE_PAGE, DASHBOARD_OVER_RAW_SQL, record  # noqa: E402

from organizations.models import Unit, User  # noqa: E402
from reporting import selectors  # noqa: E402
from reporting.models import Report, ReportingCycle, Value  # noqa: E402
from reporting.scale import SCALE_CYCLE, SCALE_OPEN_CYCLE  # noqa: E402

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
            [length, unit.path + "%", *kinds],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT r.period_id, substr(u.path, 1, %s), "
            "count(*) FILTER (WHERE r.status IN ('submitted','approved','accepted')), "
            "count(*) FILTER (WHERE r.status IN ('submitted','approved','accepted') AND NOT r.is_late), "
            "count(*) FILTER (WHERE r.status IN ('approved','accepted')) "
            "FROM reporting_report r JOIN organizations_unit u ON u.id = r.unit_id "
            "WHERE r.cycle_id = %s AND u.path LIKE %s GROUP BY 1, 2",
            [length, cycle.pk, unit.path + "%"],
        )
        return cursor.fetchall()


def raw_rollup_sql(period, unit):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.indicator_id, sum(v.number), avg(v.number), max(v.number) "
            "FROM reporting_value v JOIN reporting_report r ON r.id = v.report_id "
            "WHERE r.period_id = %s AND r.lineage LIKE %s AND v.number IS NOT NULL "
            "AND (r.status IN ('approved','accepted') OR r.unit_id = %s) GROUP BY v.indicator_id",
            [period.pk, unit.lineage + "%", unit.pk],
        )
        return cursor.fetchall()


def main():
    cycle = ReportingCycle.objects.select_related("scope_root", "form_version").get(name=SCALE_CYCLE)
    open_cycle = ReportingCycle.objects.select_related("scope_root", "form_version").get(name=SCALE_OPEN_CYCLE)
    city = Unit.objects.get(code="HN-LDLD")
    period = cycle.periods.order_by("starts_on").last()
    print(
        f"database: {connection.vendor}; units {Unit.objects.count()}, reports {Report.objects.count()}, "
        f"values {Value.objects.count()}; runs {RUNS}"
    )

    rows = []

    def row(name, fn, target=None):
        ms, queries = measure(fn)
        rows.append((name, ms, queries))
        print(f"{name:58} {ms:10.1f} {queries:8d}", flush=True)
        record(name, ms, target=target, queries=queries)
        return ms

    raw_dash_ms = row("raw SQL: dashboard aggregates (live tree)", lambda: raw_dashboard_sql(cycle, city))
    raw_roll_ms = row("raw SQL: roll-up GROUP BY", lambda: raw_rollup_sql(period, city))

    head = User.objects.get(email="tuyengiao@demo.cchc.vn")
    client = logged_in_client(head)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    dash_ms = roll_ms = None
    for label, a_cycle, a_period in (
        ("2019 Q4, past", cycle, period),
        ("open period, current", open_cycle, open_cycle.periods.get()),
    ):

        def dashboard_selectors(a_cycle=a_cycle):
            data = selectors.dashboard(cycle=a_cycle, unit=city)
            selectors.trend_chart(periods=data["periods"], totals=data["totals"])

        ms = row(f"city dashboard (selectors + chart), {label}", dashboard_selectors)
        dash_ms = dash_ms or ms
        ms = row(
            f"city roll-up (selector), {label}", lambda a_period=a_period: selectors.rollup(period=a_period, unit=city)
        )
        roll_ms = roll_ms or ms
        row(
            f"late units, first page of 50, {label}",
            lambda a_period=a_period: list(selectors.late_units(period=a_period, unit=city)[:50]),
        )
        dashboard_url = reverse("reporting:dashboard", args=[a_cycle.pk, city.code]) + f"?period={a_period.pk}"
        row(f"city dashboard page (full request), {label}", lambda url=dashboard_url: get(url), AGGREGATE_PAGE)
        rollup_url = reverse("reporting:rollup", args=[a_period.pk, city.code])
        row(f"city roll-up page (full request), {label}", lambda url=rollup_url: get(url), AGGREGATE_PAGE)

    print(f"{'measurement':58} {'median ms':>10} {'queries':>8}")
    for name, ms, queries in rows:
        print(f"{name:58} {ms:10.1f} {queries:8d}")
    print(f"past dashboard / raw SQL = {dash_ms / raw_dash_ms:.2f}x (target <= 3x)")
    record("past dashboard selectors / raw SQL", dash_ms / raw_dash_ms, target=DASHBOARD_OVER_RAW_SQL)
    print(f"past roll-up / raw SQL = {roll_ms / raw_roll_ms:.2f}x")


if __name__ == "__main__":
    main()
