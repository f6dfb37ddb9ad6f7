"""Filing round trip under load: GET the filing form, POST it (submit), 50 concurrent users.

Each iteration takes the next scale officer (officer.s-00001@scale.cchc.vn …), logs in,
opens the filing page of the open scale cycle and submits a valid report, so that every
successful POST stores exactly one report.

    # once: the scale world (tree + reporting data, including the open cycle)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python manage.py generate_scale --grassroots 10000
    # the server
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/gunicorn campaign_portal.wsgi -w 8 -b 127.0.0.1:8000
    # the load (pip install locust==2.32.4)
    REPORTING_PERIOD=<open period id> .venv/bin/locust -f benchmarks/locustfile_reporting.py --headless \\
        -u 50 -r 10 -t 60s --host http://127.0.0.1:8000 --csv var/locust-reporting
    # then compare the POST successes with
    .venv/bin/python manage.py shell -c "from reporting.models import Report; \\
        print(Report.objects.filter(period_id=<id>, status='submitted').count())"

The period id is printed by `generate_scale` ("open scale period …").
"""

import itertools
import os
import re

from locust import HttpUser, between, task

PERIOD = os.environ.get("REPORTING_PERIOD", "1")
PASSWORD = os.environ.get("SCALE_PASSWORD", "demo12345")
_numbers = itertools.count(int(os.environ.get("FIRST_OFFICER", "1")))
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

    def _login(self, email):
        self.client.cookies.clear()
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post("/accounts/login/", {"username": email, "password": PASSWORD,
                                              "csrfmiddlewaretoken": token}, name="login")

    @task
    def file_report(self):
        number = next(_numbers)
        code = f"S-{number:05d}"
        self._login(f"officer.{code.lower()}@scale.cchc.vn")
        url = f"/reports/periods/{PERIOD}/units/{code}/"
        page = self.client.get(url, name="GET filing form")
        match = _VERSION.search(page.text)
        data = {**VALUES, "version": match.group(1) if match else "0", "action": "submit",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(url, data, name="POST filing form", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
