"""Prints a load run's figures from locust's CSV: per page the requests, failures, median,
p95 and p99 (ms); then the failures by kind: server errors, clean 503s, anything else.

    .venv/bin/python benchmarks/load/summary.py var/load/<run>
"""

import csv
import json
import re
import statistics
import sys
from pathlib import Path

SERVER_ERROR = re.compile(r"\b50[0-24-9]\b")  # 500, 502, 504…: the portal broke
UNAVAILABLE = re.compile(r"\b503\b")  # the portal's clean answer while the database restarts


def main(out: str) -> None:
    folder = Path(out)
    with open(folder / "stats_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    failures = []
    if (folder / "stats_failures.csv").exists():
        with open(folder / "stats_failures.csv", encoding="utf-8") as handle:
            failures = list(csv.DictReader(handle))
    print(f"{'page':36} {'method':6} {'requests':>8} {'failed':>6} {'median':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{name:36} {row['Type']:6} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):7.0f}"
        )
    server_errors = sum(int(f["Occurrences"]) for f in failures if SERVER_ERROR.search(f["Error"]))
    unavailable = sum(int(f["Occurrences"]) for f in failures if UNAVAILABLE.search(f["Error"]))
    other = sum(int(f["Occurrences"]) for f in failures) - server_errors - unavailable
    print(
        f"server errors (500, 502, 504): {server_errors}; clean 503 (database unavailable): {unavailable}; "
        f"other failures (refused, reset, timeout, wrong page): {other}"
    )
    for f in failures:
        print(f"  {f['Occurrences']:>5} x {f['Method']} {f['Name']}: {f['Error'][:140]}")
    server_side(folder / "web.log")


def server_side(web_log: Path) -> None:
    """The time spent inside Django (request_finished.duration_ms of the JSON request log), apart
    from the time a request waited for a free gunicorn worker, which locust's figures include."""
    durations, codes = [], {}
    for line in web_log.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        if event.get("event") == "request_finished" and "duration_ms" in event:
            durations.append(event["duration_ms"])
            codes[event["code"]] = codes.get(event["code"], 0) + 1
    if not durations:
        return
    durations.sort()
    print(
        f"inside Django: {len(durations)} requests, median {statistics.median(durations):.0f} ms, "
        f"p95 {durations[int(len(durations) * 0.95)]:.0f} ms, p99 {durations[int(len(durations) * 0.99)]:.0f} ms; "
        f"status codes {dict(sorted(codes.items()))}"
    )


if __name__ == "__main__":
    main(sys.argv[1])
