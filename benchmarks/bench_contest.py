"""Contest at scale (after `manage.py generate_scale`): automatic assignment, the judge queue,
the ranking page and the organisers' entry list — medians and query counts — and 1,000
certificates rendered through the Celery task, with the throughput.

    .venv/bin/python benchmarks/bench_contest.py [--runs 5] [--certificates 1000]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import admin_client, celery_eager, logged_in_client  # noqa: E402  (Django set up)
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from results import PAGE, record  # noqa: E402

from contest import judging  # noqa: E402
from contest.enums import EntryStatus, PrizeGroup, RoundKind  # noqa: E402
from contest.models import Assignment, Award, CertificateBatch, Contest, ContestStaff, PrizeTier  # noqa: E402
from contest.scale import SLUG  # noqa: E402


class Rollback(Exception):
    pass


def timed(fn, runs):
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        queries.append(len(ctx))
    return statistics.median(times), max(queries)


def bench_assignment(contest, runs):
    prelim = contest.rounds.get(kind=RoundKind.PRELIMINARY)
    results = []
    for _ in range(runs):
        try:
            with transaction.atomic():
                # Raw deletes: the ORM's delete would write one history row per assignment and score.
                from contest.models import Score

                Score.objects.filter(assignment__round=prelim)._raw_delete(connection.alias)
                Assignment.objects.filter(round=prelim)._raw_delete(connection.alias)
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    outcome = judging.assignment_auto(round_=prelim, k=3)
                    elapsed = time.perf_counter() - started
                results.append((elapsed, len(ctx), outcome.created, outcome.spread))
                raise Rollback
        except Rollback:
            pass
    median = statistics.median(r[0] for r in results)
    print(
        f"automatic assignment (2,000 entries × 3 of 15 judges): median {median * 1000:.0f} ms, "
        f"{results[0][1]} queries, {results[0][2]} assignments, load spread {results[0][3]}"
    )
    record("automatic assignment (2,000 entries × 3 of 15 judges)", median * 1000, queries=results[0][1])


def bench_pages(contest, runs):
    judge = ContestStaff.objects.filter(contest=contest, role="judge").select_related("user").first().user
    organiser = ContestStaff.objects.filter(contest=contest, role__in=["organiser", "secretary"]).first()
    judge_client = logged_in_client(judge)
    organiser_client = logged_in_client(organiser.user) if organiser else admin_client()
    pages = [
        ("judge queue (400 assignments)", judge_client, reverse("contest:judge_queue")),
        (
            "judge scoring page",
            judge_client,
            reverse("contest:judge_assignment", args=[Assignment.objects.filter(judge=judge).first().pk]),
        ),
        (
            "ranking page (2,000 entries, 6,000 sheets)",
            organiser_client,
            reverse("contest:round_ranking", args=[SLUG, "preliminary"]),
        ),
        (
            "ranking page, z-normalised order",
            organiser_client,
            reverse("contest:round_ranking", args=[SLUG, "preliminary"]) + "?order=z",
        ),
        ("organisers' entry list (page of 50)", organiser_client, reverse("contest:manage_entries", args=[SLUG])),
        ("progress per judge/entry", organiser_client, reverse("contest:round_progress", args=[SLUG, "preliminary"])),
        ("duplicates", organiser_client, reverse("contest:duplicates", args=[SLUG])),
    ]
    for label, client, url in pages:

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        get()  # warm-up
        median, queries = timed(get, runs)
        print(f"{label}: median {median * 1000:.0f} ms, {queries} queries")
        record(label, median * 1000, target=PAGE, queries=queries)


def bench_certificates(contest, count):
    from contest.background_documents import CHUNK, certificates_start

    with celery_eager():
        try:
            with transaction.atomic():
                tier = PrizeTier.objects.create(
                    contest=contest, name="Giải Khuyến khích (bench)", group=PrizeGroup.INDIVIDUAL, rank=99, quota=count
                )
                entries = list(
                    contest.entries.filter(status__in=[EntryStatus.ELIGIBLE, EntryStatus.IN_JUDGING]).values_list(
                        "pk", flat=True
                    )[:count]
                )
                contest.entries.filter(pk__in=entries).update(status=EntryStatus.ADVANCED)
                awards = Award.objects.bulk_create([Award(entry_id=pk, tier=tier) for pk in entries])
                started = time.perf_counter()
                with transaction.atomic():
                    batch = certificates_start(contest=contest, award_ids=[a.pk for a in awards])
                # on_commit of the inner block fires when the outer transaction commits: run the chunks here.
                from contest.tasks import certificates_render

                ids = [a.pk for a in awards]
                for i in range(0, len(ids), CHUNK):
                    certificates_render(batch_id=batch.pk, award_ids=ids[i : i + CHUNK])
                elapsed = time.perf_counter() - started
                batch = CertificateBatch.objects.get(pk=batch.pk)
                print(
                    f"certificates: {batch.done} rendered ({batch.failed} failed) in {elapsed:.1f} s — "
                    f"{batch.done / elapsed:.1f} per second on one worker process"
                )
                record(f"certificates rendered in one process ({batch.done:,})", batch.done / elapsed, unit="per s")
                raise Rollback
        except Rollback:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--certificates", type=int, default=1000)
    args = parser.parse_args()
    contest = Contest.objects.filter(slug=SLUG).first()
    if contest is None:
        sys.exit("Run `manage.py generate_scale` first.")
    print(
        f"database: {connection.vendor}; entries {contest.entries.count()}, "
        f"assignments {Assignment.objects.filter(round__contest=contest).count()}"
    )
    bench_assignment(contest, args.runs)
    bench_pages(contest, args.runs)
    if args.certificates:
        bench_certificates(contest, args.certificates)


if __name__ == "__main__":
    main()
