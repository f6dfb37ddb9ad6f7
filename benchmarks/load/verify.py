"""After a load run: does the database hold exactly the writes that got a success answer?

Compares the locust results (RESULTS_FILE) with the rows written since the manifest was
prepared, per kind: reports filed, reports approved and returned, contest drafts (title
and text as last saved), judges' scores (every criterion's value). Also checks that no
filed report is half-written (every filed report has the same number of values), that each
filed unit holds one report and one stored submission (the key its successful POST sent, even
when sent twice), that every report still filed has one signed copy of that submission (the worker's part), and
that `manage.py portal_summaries` finds 0 differences. Exit status 1 on any difference.

    DATABASE_URL=... .venv/bin/python benchmarks/load/verify.py var/load/manifest.json var/load/results.json

With `--wait-signed SECONDS` it checks nothing else: it waits (at most that long) until the worker has signed every
report filed in the run, and prints how long the backlog took; run.sh calls it after locust, before stopping the
worker.
"""

import datetime as dt
import io
import json
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import _harness  # noqa: E402, F401  (Django set up the benchmarks' way)
from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402
from django.db.models import Count, F  # noqa: E402

from campaign_portal.text import nfc  # noqa: E402
from contest.enums import AssignmentState  # noqa: E402
from contest.models import Assignment, Entry, Score  # noqa: E402
from reporting.enums import FILED_STATUSES, ReportStatus  # noqa: E402
from reporting.models import Report, ReportSubmission  # noqa: E402
from signatures.enums import SignedFileKind  # noqa: E402
from signatures.models import SignedFile  # noqa: E402
from signatures.selectors import subject_key_expression, unsigned_since  # noqa: E402


def compare(label: str, answered: dict, stored: dict, unknown: frozenset = frozenset()) -> bool:
    """`unknown`: writes whose answer never reached the user (the page after a redirect failed);
    the database may hold them or not, and they are counted apart."""
    missing = sorted(set(answered) - set(stored))
    extra = sorted(set(stored) - set(answered) - unknown)
    differ = sorted(k for k in set(answered) & set(stored) if answered[k] != stored[k])
    ok = not (missing or extra or differ)
    print(
        f"{label:34} success answers {len(answered):6d}   in database {len(stored):6d}   "
        f"missing {len(missing)}  extra {len(extra)}  different {len(differ)}   {'OK' if ok else 'MISMATCH'}"
        + (f"   (answer lost: {len(unknown)}, stored: {len(unknown & set(stored))})" if unknown else "")
    )
    for name, keys in (("missing", missing), ("extra", extra), ("different", differ)):
        if keys:
            print(f"    {name}: {keys[:10]}")
    return ok


def main(manifest_path: str, results_path: str) -> int:
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    results = json.loads(Path(results_path).read_text(encoding="utf-8"))
    since = dt.datetime.fromisoformat(manifest["prepared_at"])
    checks = []

    period_reports = Report.objects.filter(period_id=manifest["filing_period"])
    # Submitted, whatever a head did with it since (the deadline rush's heads review as reports arrive).
    filed_reports = period_reports.filter(submitted_at__isnull=False)
    checks.append(
        compare(
            "reports filed (submitted)",
            {code: "submitted" for code in results["filed"]},
            {code: "submitted" for code in filed_reports.values_list("unit__code", flat=True)},
        )
    )
    checks.append(stored_once(period_reports, results))
    unsigned, doubled = signing_left(period_reports).count(), signed_twice(period_reports)
    print(
        f"{'filed reports signed as filed':34} unsigned {unsigned}   with two current files {doubled}   "
        f"{'OK' if not (unsigned or doubled) else 'MISMATCH'}"
    )
    checks.append(not (unsigned or doubled))
    value_counts = set(filed_reports.annotate(n=Count("values")).values_list("n", flat=True))
    whole = len(value_counts) <= 1
    print(
        f"{'filed reports with all their values':34} value rows per report {sorted(value_counts)}   "
        f"{'OK' if whole else 'HALF-WRITTEN'}"
    )
    checks.append(whole)

    unknown = frozenset(results.get("reviewed_unknown", []))
    checks.append(
        compare(
            "reports approved by heads",
            {pk: ReportStatus.APPROVED for pk in results["approved"]},
            dict(Report.objects.filter(approved_at__gte=since).values_list("pk", "status")),
            unknown,
        )
    )
    checks.append(
        compare(
            "reports returned by heads",
            {pk: ReportStatus.RETURNED for pk in results["returned"]},
            dict(
                Report.objects.filter(status=ReportStatus.RETURNED, updated_at__gte=since).values_list("pk", "status")
            ),
            unknown,
        )
    )
    checks.append(
        compare(
            "contest drafts (as last saved)",
            # As the portal stores text: NFC, without surrounding spaces.
            {
                key: (nfc(draft["title"]).strip(), nfc(draft["problem"]).strip())
                for key, draft in results["drafts"].items()
            },
            {
                str(key): (title, problem)
                for key, title, problem in Entry.objects.filter(created_at__gte=since).values_list(
                    "draft_key", "title", "problem"
                )
            },
        )
    )
    stored_scores: dict[str, dict] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(
        assignment__submitted_at__gte=since, assignment__state=AssignmentState.SUBMITTED
    ).values_list("assignment_id", "criterion_id", "value"):
        stored_scores.setdefault(str(assignment_id), {})[f"score_{criterion_id}"] = value
    submitted = {str(pk) for pk in Assignment.objects.filter(submitted_at__gte=since).values_list("pk", flat=True)}
    for pk in submitted - set(stored_scores):
        stored_scores[pk] = {}
    checks.append(
        compare(
            "judges' scores (every criterion)",
            {pk: {name: Decimal(v) for name, v in values.items()} for pk, values in results["scored"].items()},
            stored_scores,
        )
    )
    checks.append(summaries_match())
    return 0 if all(checks) else 1


def stored_once(period_reports, results: dict) -> bool:
    """One report per unit, and one stored submission per report: the key the officer's successful POST carried,
    however many times it was sent."""
    per_unit = period_reports.values("unit_id").annotate(n=Count("id")).filter(n__gt=1).count()
    per_report = (
        ReportSubmission.objects.filter(report__in=period_reports)
        .values("report_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    ok = per_unit == 0 and per_report == 0
    print(
        f"{'stored once':34} units with two reports {per_unit}   reports with two submissions {per_report}   "
        f"{'OK' if ok else 'DOUBLE'}"
    )
    keys = compare(
        "submission keys (one per filed unit)",
        results.get("submission_keys", {}),
        {
            code: str(key)
            for code, key in ReportSubmission.objects.filter(report__in=period_reports).values_list(
                "report__unit__code", "key"
            )
        },
    )
    return ok and keys


def signing_left(period_reports):
    """The reports still filed without a current signed file of their last submission (the catch-up's own rule,
    without its window)."""
    return unsigned_since(period_reports.filter(status__in=FILED_STATUSES), since_field="submitted_at")


def signed_twice(period_reports) -> int:
    """How many of these reports have two current signed files (a second signing that superseded nothing)."""
    keys = period_reports.annotate(key=subject_key_expression(Report, F("pk"))).values("key")
    return (
        SignedFile.objects.filter(kind=SignedFileKind.REPORT, superseded_by__isnull=True, subject_key__in=keys)
        .values("subject_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )


def wait_signed(manifest_path: str, seconds: float) -> int:
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    unsigned = signing_left(Report.objects.filter(period_id=manifest["filing_period"]))
    started = time.monotonic()
    backlog = left = unsigned.count()
    while left and time.monotonic() - started < seconds:
        time.sleep(2)
        left = unsigned.count()
    print(
        f"signing after the run: {backlog} filed reports waited for their signed copy; "
        f"{backlog - left} signed in {time.monotonic() - started:.0f} s, {left} still waiting"
    )
    return 0


def summaries_match() -> bool:
    """`manage.py portal_summaries`: every live summary row agrees with the raw rows after the run."""
    out = io.StringIO()
    try:
        call_command("portal_summaries", stdout=out)
        ok = True
    except CommandError as error:
        out.write(str(error))
        ok = False
    print(f"{'summaries (portal_summaries)':34} {' '.join(out.getvalue().split())}   {'OK' if ok else 'MISMATCH'}")
    return ok


if __name__ == "__main__":
    if sys.argv[1] == "--wait-signed":
        sys.exit(wait_signed(sys.argv[3], float(sys.argv[2])))
    sys.exit(main(*sys.argv[1:3]))
