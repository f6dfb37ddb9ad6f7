"""The table `make bench` prints: every benchmark target in one place, the rows the scripts record, and the
table itself (printed, and kept in benchmarks/RESULTS.md with the machine it ran on).

Each script calls `record()` (through `_harness.measure` or directly); with $BENCH_RESULTS set (run.sh sets it)
every row is appended there as a JSON line. After the scripts, run.sh runs this module:

    .venv/bin/python benchmarks/results.py var/bench/results.jsonl benchmarks/RESULTS.md [failed scripts…]

A figure without a target is printed with "—": measured, not judged."""

import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Target:
    limit: float
    unit: str = "ms"
    strict: bool = False  # "<" rather than "≤"
    source: str = "issue 18"

    @property
    def text(self) -> str:
        return f"{'<' if self.strict else '≤'} {self.limit:g} {self.unit}"

    def met(self, value: float) -> bool:
        return value < self.limit if self.strict else value <= self.limit


# --- the targets ----------------------------------------------------------------------------------------------
# Pages: warm, one user, PostgreSQL, 10,000 grassroots unions, production settings.
PAGE = Target(100)  # every page, the ranking page included
AGGREGATE_PAGE = Target(50)  # the city dashboard, roll-up, completeness and cascade coverage
# Operations.
REMINDER_SWEEP = Target(2000, strict=True)  # over every due reminder
REMINDER_SWEEP_NOOP = Target(100, strict=True)  # a sweep with nothing new (every 5 minutes)
ISSUE_TO_TREE = Target(2000, strict=True, source="directives")  # a directive issued to the whole tree
DASHBOARD_OVER_RAW_SQL = Target(3, unit="× raw SQL", source="issue 5")  # past dashboard selectors / raw SQL
PDF_OVER_WEASYPRINT = Target(1.3, unit="× WeasyPrint alone", source="directives")  # render_official_pdf overhead


def record(
    label: str, value: float, *, target: Target | None = None, unit: str = "ms", queries: int | None = None
) -> None:
    """One row of the table, appended as a JSON line to $BENCH_RESULTS (nothing when unset). `value` is in the
    target's unit, else in `unit`."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    row = {
        "script": Path(sys.argv[0]).name,
        "label": label,
        "value": round(value, 2),
        "unit": target.unit if target else unit,
        "queries": queries,
        "target": target.text if target else None,
        "met": target.met(value) if target else None,
        "load": round(os.getloadavg()[0], 2),
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


# --- the table ------------------------------------------------------------------------------------------------
def _value(row: dict) -> str:
    value = row["value"]
    if row["unit"] == "ms":
        return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
    return f"{value:,.2f} {row['unit']}"


def _verdict(row: dict) -> str:
    return "—" if row["met"] is None else ("yes" if row["met"] else "NO")


def _cells(row: dict) -> list[str]:
    queries = "" if row["queries"] is None else str(row["queries"])
    return [row["label"], _value(row), queries, row["target"] or "—", _verdict(row), f"{row['load']:.2f}"]


HEADERS = ["figure", "median", "queries", "target", "meets", "load (1 min)"]


def table_text(rows: list[dict]) -> str:
    lines, script = [], None
    cells = [_cells(row) for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(HEADERS)]
    header = "  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True))
    lines += [header, "-" * len(header)]
    for row, cell in zip(rows, cells, strict=True):
        if row["script"] != script:
            script = row["script"]
            lines.append(f"[{script}]")
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)))
    return "\n".join(lines)


def table_markdown(rows: list[dict]) -> str:
    lines = ["| script | " + " | ".join(HEADERS) + " |", "|---" * (len(HEADERS) + 1) + "|"]
    for row in rows:
        cells = _cells(row)
        cells[4] = {"NO": "**no**"}.get(cells[4], cells[4])
        lines.append(f"| {row['script']} | " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "unknown CPU",
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _harness  # noqa: F401  (Django set up, as the scripts had it)
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]} ({connection.settings_dict['NAME']})"
        else:
            database = connection.vendor
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GB RAM; {database}; "
        f"load average (1, 5, 15 min) at the end: {load}"
    )


START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"


def results_md_update(path: Path, rows: list[dict], failed: list[str]) -> None:
    """Replaces the `make bench` section of RESULTS.md (kept between its markers) with this run's table."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [
        START,
        "## `make bench`: the last run",
        "",
        f"{now}. Machine: {machine()}. Production settings (DEBUG=0, the real middleware, HTTPS requests, admins "
        "past the second factor). The load column is the 1-minute load average when the figure was taken.",
        "",
        table_markdown(rows),
    ]
    if failed:
        section += ["", "Scripts that stopped with an error (their rows are missing): " + ", ".join(failed) + "."]
    section.append(END)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + "\n".join(section) + after
    else:  # first run: after the title and its introduction, before the first section
        head, sep, tail = text.partition("\n## ")
        text = head.rstrip("\n") + "\n\n" + "\n".join(section) + "\n\n" + sep.lstrip("\n") + tail
    path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    rows_path, results_md, failed = Path(argv[1]), Path(argv[2]), argv[3:]
    rows = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print()
    print(table_text(rows))
    missed = [row["label"] for row in rows if row["met"] is False]
    print(f"\n{len(rows)} figures, {sum(r['met'] is not None for r in rows)} with a target, {len(missed)} missed.")
    if failed:
        print("Stopped with an error: " + ", ".join(failed))
    results_md_update(results_md, rows, failed)
    print(f"Table kept in {results_md}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
