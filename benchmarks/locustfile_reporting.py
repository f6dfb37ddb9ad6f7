"""Filing round trip under load: GET the filing form, POST it (submit), 50 concurrent users.

Each iteration takes the next scale officer's ready-made session (password hashing is not
what we measure), opens the filing page of the open scale cycle and submits a valid
report, so that every successful POST stores exactly one report.

    # once: the scale world (tree + reporting data, including the open cycle; prints its period id)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python manage.py generate_scale --grassroots 10000
    # sessions for 10,000 officers
    DATABASE_URL=... .venv/bin/python benchmarks/bench_reporting.py --make-sessions 10000 var/reporting-sessions.txt
    # the server (DEBUG=1 only because DEBUG=0 makes the session cookie https-only)
    DATABASE_URL=... .venv/bin/gunicorn campaign_portal.wsgi -w 3 -k gthread --threads 4 -b 127.0.0.1:8765
    # the load (pip install locust==2.32.4)
    REPORTING_PERIOD=<id> SESSIONS_FILE=var/reporting-sessions.txt .venv/bin/locust \\
        -f benchmarks/locustfile_reporting.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8765
    # stored reports, to compare with the number of successful POSTs
    psql ... -c "select count(*) from reporting_report where period_id=<id> and status='submitted'"
"""

import itertools
import os
import re

from locust import HttpUser, between, task

PERIOD = os.environ.get("REPORTING_PERIOD", "1")
with open(os.environ.get("SESSIONS_FILE", "var/reporting-sessions.txt"), encoding="utf-8") as handle:
    SESSIONS = [line.split() for line in handle if line.strip()]
# Each session files once; start further down the list for a second run (SESSIONS_START).
_next = itertools.count(int(os.environ.get("SESSIONS_START", "0")))
VALUES = {
    "v_media_sessions": "1", "v_media_reached": "30", "v_meeting_sessions": "2", "v_meeting_reached": "40",
    "v_visual_items": "3", "v_visual_reached": "20", "v_interactive_sessions": "1", "v_interactive_reached": "15",
    "v_documents_disseminated": "2", "v_online_services_members": "5", "v_good_models": "1",
    "v_feedback_received": "4", "v_feedback_answered": "3", "v_contest_entries": "1", "v_coverage_percent": "80",
    "v_has_plan": "1", "v_main_channel": "Hội nghị, hội họp", "v_results_text": "Đã phổ biến Kế hoạch 33/KH-UBND.",
}
_VERSION = re.compile(r'name="version" value="(\d+)"')


class Officer(HttpUser):
    wait_time = between(0.5, 1.5)

    @task
    def file_report(self):
        code, session_key = SESSIONS[next(_next) % len(SESSIONS)]
        self.client.cookies.clear()
        self.client.cookies.set("sessionid", session_key)
        url = f"/reports/periods/{PERIOD}/units/{code}/"
        page = self.client.get(url, name="GET filing form")
        match = _VERSION.search(page.text)
        data = {**VALUES, "version": match.group(1) if match else "0", "action": "submit",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(url, data, name="POST filing form", allow_redirects=False,
                              catch_response=True, headers={"Referer": self.host + url}) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
