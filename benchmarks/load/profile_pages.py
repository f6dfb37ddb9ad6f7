"""CPU per request of the load test's pages, in one process, with the production settings (DEBUG=0, the real
middleware, the sessions prepare.py makes): the figure `make load` divides the two cores by.

For each page: the median CPU time (time.process_time: this process only, so PostgreSQL's and Redis's work is not
counted), the median wall time and the query count of one request. SHOW_SQL=<page label fragment> lists that page's
queries with their times; PROFILE=<page label fragment> prints its cProfile over `repeat` more requests (PROFILE_LINES
by cumulative time, then by own time; PROFILE_OUT=<prefix> keeps each page's stats in <prefix>.<page>). Writes go to
the copy: reports are filed and approved, a draft autosaved.

    DATABASE_URL=postgres://…/<a copy of the scale world> REDIS_URL=redis://… \\
        .venv/bin/python benchmarks/load/profile_pages.py [repeat]
"""

import cProfile
import json
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import HttpsClient  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 20
os.environ.setdefault("LOAD_FILERS", "200")
os.environ.setdefault("LOAD_READERS", "5")
os.environ.setdefault("LOAD_HEADS", "5")
os.environ.setdefault("LOAD_CONTESTANTS", "5")
# Each request of "judge: submit scores" scores an entry of its own.
os.environ.setdefault("LOAD_PENDING_PER_JUDGE", str(2 * REPEAT + 4))
import prepare  # noqa: E402
from filing_values import FILING_VALUES  # noqa: E402
from page_patterns import ASSIGNMENT_ROW, DRAFT_KEY, MAX_ATTR, NOT_SCORED, SCORE_INPUT  # noqa: E402

PROFILE = os.environ.get("PROFILE", "")
HANDLER = HttpsClient().handler


def client_with(session_key: str | None) -> HttpsClient:
    client = HttpsClient()
    # One handler for every client, as one gunicorn worker loads its middleware once: a handler per client would
    # count WhiteNoise's scan of the static files (~50 ms) in every request of a new client (each submission's).
    client.handler = HANDLER
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def run(label: str, request) -> None:
    """`request(i)` makes the i-th request and checks its answer."""
    queries: list[tuple[float, str]] = []  # (ms, sql) of the request being made

    def timed(execute, sql, *args):
        started = time.perf_counter()
        try:
            return execute(sql, *args)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql))

    # Counted by a wrapper: the test client's request_started signal empties connection.queries. The first request
    # may read what the process then keeps (a frozen form's parts): its queries are listed apart from the usual ones.
    cpu, wall, counts = [], [], []
    with connection.execute_wrapper(timed):
        request(0)
        first = list(queries)
        for i in range(1, REPEAT + 1):
            queries.clear()
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            request(i)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
            counts.append(len(queries))
    print(
        f"{label:34} cpu {statistics.median(cpu):6.1f} ms   wall {statistics.median(wall):6.1f} ms   "
        f"{statistics.median(counts):3.0f} queries (first request {len(first)})"
    )
    if os.environ.get("SHOW_SQL") and os.environ["SHOW_SQL"] in label:
        print("\n".join(f"    {ms:7.1f} ms  {sql[:160]}" for ms, sql in first))
    if PROFILE and PROFILE in label:
        profiler = cProfile.Profile()
        for i in range(REPEAT):
            profiler.runcall(request, REPEAT + 1 + i)
        if os.environ.get("PROFILE_OUT"):
            profiler.dump_stats(f"{os.environ['PROFILE_OUT']}.{re.sub(r'[^a-z]+', '-', label).strip('-')}")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "40")))
        stats.sort_stats("tottime").print_stats(25)


def expect(response, status: int, location: str = "") -> None:
    assert response.status_code == status, (response.status_code, response.get("Location"), response.content[:300])
    if location:
        assert response["Location"].startswith(location), response["Location"]


def main() -> None:
    manifest_path = Path(tempfile.mkdtemp()) / "manifest.json"
    prepare.main(str(manifest_path))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    period = manifest["filing_period"]
    filers = manifest["filers"]
    officer = client_with(filers[0]["session"])
    filing_url = f"/reports/periods/{period}/units/{filers[0]['unit']}/"
    reader = client_with(manifest["readers"][0]["session"])
    report_url = f"/reports/{manifest['readers'][0]['report']}/"
    head = client_with(manifest["heads"][0]["session"])
    contestant = client_with(manifest["contestants"][0]["session"])
    slug = manifest["contest_slug"]
    anonymous = client_with(None)

    run("officer: to-do list", lambda i: expect(officer.get("/reports/"), 200))
    run("officer: filing form", lambda i: expect(officer.get(filing_url), 200))
    run("officer: home", lambda i: expect(reader.get("/me/"), 200))
    run("officer: report detail", lambda i: expect(reader.get(report_url), 200))
    run("officer: directives inbox", lambda i: expect(reader.get("/directives/inbox/"), 200))

    def submit(i):
        filer = filers[1 + i]
        url = f"/reports/periods/{period}/units/{filer['unit']}/"
        client = client_with(filer["session"])
        data = {**FILING_VALUES, "version": "0", "action": "submit", "confirm_unusual": "on"}
        expect(client.post(url, data), 302, "/reports/")

    run("officer: submit report", submit)
    run("head: review queue", lambda i: expect(head.get("/reports/review/"), 200))
    head_unit = prepare.Unit.objects.get(code=manifest["heads"][0]["unit"])
    waiting = list(  # her children's submitted reports: her queue
        prepare.Report.objects.filter(
            status=prepare.ReportStatus.SUBMITTED,
            unit__path__startswith=head_unit.path,
            unit__depth=head_unit.depth + 1,
        ).values_list("pk", flat=True)[: 4 * REPEAT + 4]
    )
    run("head: report detail", lambda i: expect(head.get(f"/reports/{waiting[i]}/"), 200))
    run(
        "head: approve",
        lambda i: expect(
            head.post(f"/reports/{waiting[REPEAT + 2 + i]}/review/", {"action": "approve", "next": "queue"}),
            302,
            "/reports/",
        ),
    )
    draft_key = DRAFT_KEY.search(contestant.get(f"/contest/{slug}/new/").content.decode()).group(1)
    run(
        "contestant: autosave",
        lambda i: expect(
            contestant.post(
                f"/contest/{slug}/autosave/", {"draft_key": draft_key, "title": "Một cửa", "problem": f"Bản {i}"}
            ),
            200,
        ),
    )
    run("contestant: my entries", lambda i: expect(contestant.get("/contest/my/"), 200))
    run("contestant: new entry form", lambda i: expect(contestant.get(f"/contest/{slug}/new/"), 200))
    run(
        "contestant: save draft",
        lambda i: expect(
            contestant.post(
                f"/contest/{slug}/new/",
                {"draft_key": str(uuid.uuid4()), "title": f"Một cửa {i}", "problem": "Nộp giấy", "action": "save"},
            ),
            302,
            "/contest/entries/",
        ),
    )
    judge = client_with(manifest["judges"][0]["session"])
    queue = judge.get("/contest/judge/").content.decode()
    assignments = [row.group(1) for row in ASSIGNMENT_ROW.finditer(queue) if NOT_SCORED in row.group(0)]
    run("judge: queue", lambda i: expect(judge.get("/contest/judge/"), 200))
    run("judge: entry", lambda i: expect(judge.get(f"/contest/judge/{assignments[0]}/"), 200))

    def score(i):
        pk = assignments[1 + i]
        page = judge.get(f"/contest/judge/{pk}/").content.decode()
        values = {
            f"score_{m.group(1)}": str(int(float(MAX_ATTR.search(m.group(0)).group(1))))
            for m in SCORE_INPUT.finditer(page)
        }
        expect(judge.post(f"/contest/judge/{pk}/", {**values, "action": "submit"}), 302, f"/contest/judge/{pk}/")

    if len(assignments) > 2 * REPEAT + 2:
        run("judge: submit scores (and its form)", score)
    else:  # LOAD_PENDING_PER_JUDGE set lower than the repeats need
        print(f"judge: submit scores: not measured, {len(assignments)} unscored entries for {2 * REPEAT + 2} requests")
    run("officer: notifications", lambda i: expect(reader.get("/notifications/"), 200))
    run("public: home", lambda i: expect(anonymous.get("/"), 200))
    run("public: news list", lambda i: expect(anonymous.get("/tin-tuc/"), 200))
    run("public: contest page", lambda i: expect(anonymous.get(f"/contest/{slug}/"), 200))
    run("public: search", lambda i: expect(anonymous.get("/tim-kiem/?q=mot+cua"), 200))


if __name__ == "__main__":
    main()
