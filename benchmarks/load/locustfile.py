"""The portal's working day under load: officers filing and reading, heads reviewing,
contestants writing drafts, judges scoring and the public browsing — at once.

Run through benchmarks/load/run.sh (which prepares the data, starts gunicorn, the worker
and beat, runs this headless and checks the database afterwards). Each person logs in
with a session made by prepare.py. The server runs with production settings behind an
imagined TLS proxy: every request says X-Forwarded-Proto: https, and the Secure cookies
(CSRF token, messages) go back over the loopback's plain HTTP, as a browser's would over TLS.

Every write that got a success answer is recorded (RESULTS_FILE, JSON), so that
verify.py can check the database holds exactly those writes: no more, no fewer.
"""

import itertools
import json
import os
import random
import threading
import uuid

from filing_values import FILING_VALUES
from locust import FastHttpUser, between, events, task
from page_patterns import (
    ASSIGNMENT_ROW,
    DRAFT_KEY,
    MAX_ATTR,
    NOT_SCORED,
    REPORT_LINK,
    SCORE_INPUT,
    SUBMISSION_KEY,
    VERSION,
)
from requests.cookies import create_cookie

MANIFEST = json.load(open(os.environ.get("MANIFEST", "var/load/manifest.json"), encoding="utf-8"))
RESULTS_FILE = os.environ.get("RESULTS_FILE", "var/load/results.json")
WAIT = between(float(os.environ.get("THINK_MIN", "2")), float(os.environ.get("THINK_MAX", "8")))

_lock = threading.Lock()
RESULTS = {
    "filed": [],
    "submission_keys": {},
    "approved": [],
    "returned": [],
    "reviewed_unknown": [],
    "drafts": {},
    "scored": {},
}
_filers = iter(MANIFEST["filers"])
_readers = itertools.cycle(MANIFEST["readers"])
_heads = itertools.cycle(MANIFEST["heads"])
_contestants = itertools.cycle(MANIFEST["contestants"])
_judges = itertools.cycle(MANIFEST["judges"])


def redirected_to(response, prefix: str) -> bool:
    """A success answers 302 to the page the form leads to (not to the login page)."""
    return response.status_code == 302 and response.headers.get("Location", "").startswith(prefix)


def record(kind: str, value, key=None) -> None:
    with _lock:
        if key is None:
            RESULTS[kind].append(value)
        else:
            RESULTS[kind][key] = value


@events.test_stop.add_listener
def write_results(**_kwargs):
    with _lock, open(RESULTS_FILE, "w", encoding="utf-8") as handle:
        json.dump(RESULTS, handle, ensure_ascii=False)


class Person(FastHttpUser):
    # FastHttpUser (geventhttpclient), not HttpUser (requests): the load generator shares the server's two cores, and
    # with requests it took 5.3 ms of CPU per request from them; with geventhttpclient 2.6 ms.
    abstract = True
    wait_time = WAIT
    default_headers = {"X-Forwarded-Proto": "https"}

    def login_as(self, session_key: str) -> None:
        self.client.cookiejar.clear()
        self.client.cookiejar.set_cookie(create_cookie("sessionid", session_key))

    def _cookie(self, name: str) -> str:
        return next((cookie.value for cookie in self.client.cookiejar if cookie.name == name), "")

    def _tls_cookies(self) -> None:
        # The cookie jar keeps Secure cookies off plain HTTP; the imagined proxy speaks TLS to the browser.
        for cookie in self.client.cookiejar:
            cookie.secure = False

    def get(self, url: str, name: str):
        self._tls_cookies()
        with self.client.get(url, name=name, catch_response=True) as response:
            if "/accounts/login/" in (response.url or ""):
                response.failure("sent to the login page: the session was refused")
        return response

    def post(self, url: str, data: dict, name: str, **kwargs):
        self._tls_cookies()
        data = {**data, "csrfmiddlewaretoken": self._cookie("csrftoken")}
        return self.client.post(
            url, data, name=name, headers={"Referer": f"https://{self.host_name}{url}"}, catch_response=True, **kwargs
        )

    @property
    def host_name(self) -> str:
        return self.host.split("://", 1)[1].rstrip("/")


def page(name: str, url):
    """A task that reads one page; `url` is a path, or a function of the person for a path of their own."""

    def read(person):
        person.get(url(person) if callable(url) else url, name)

    return read


class FilingOfficer(Person):
    """A grassroots officer opens the filing page and submits her report (each unit once)."""

    weight = 30

    @task
    def file_report(self):
        try:
            filer = next(_filers)
        except StopIteration:
            return
        self.login_as(filer["session"])
        self.get("/reports/", "officer: to-do list")
        submit_report(self, MANIFEST["filing_period"], filer["unit"])


def submit_report(person: Person, period: int, unit: str, *, resend: bool = False) -> bool:
    """Opens the unit's filing form and submits it, confirming unusual figures if the page asks; `resend`: the
    browser sends the same POST (same submission key) once more after the success, as after a double click or a
    lost answer, and that answer must be the same success. Records the unit filed (and its key) on success."""
    url = f"/reports/periods/{period}/units/{unit}/"
    page = person.get(url, "officer: filing form")
    version, key = VERSION.search(page.text), SUBMISSION_KEY.search(page.text)
    data = {
        **FILING_VALUES,
        "version": version.group(1) if version else "0",
        "submission_key": key.group(1) if key else "",
        "action": "submit",
    }
    with person.post(url, data, "officer: submit report", allow_redirects=False) as response:
        if not redirected_to(response, "/reports/"):
            if response.status_code == 200 and 'name="confirm_unusual"' in response.text:
                # Figures far above the unit's past quarters: the page asks her to confirm them.
                response.success()
            else:
                response.failure(f"submit answered {response.status_code} {response.headers.get('Location', '')}")
                return False
            data["confirm_unusual"] = "on"
            with person.post(url, data, "officer: confirm unusual figures", allow_redirects=False) as confirmed:
                if not redirected_to(confirmed, "/reports/"):
                    confirmed.failure(
                        f"submit answered {confirmed.status_code} {confirmed.headers.get('Location', '')}"
                    )
                    return False
                response = confirmed
    first_answer = response.headers["Location"]
    record("filed", unit)
    if data["submission_key"]:
        record("submission_keys", data["submission_key"], key=unit)
    if resend:
        with person.post(url, data, "officer: same submission again", allow_redirects=False) as again:
            if again.headers.get("Location") != first_answer:
                again.failure(f"the same submission answered {again.status_code} {again.headers.get('Location', '')}")
    return True


class ReadingOfficer(Person):
    """An officer looks around: her home page, to-do list, a past report, the directives, notifications."""

    weight = 20

    def on_start(self):
        self.me = next(_readers)
        self.login_as(self.me["session"])

    tasks = {
        page("officer: home", "/me/"): 3,
        page("officer: to-do list", "/reports/"): 2,
        page("officer: report detail", lambda person: f"/reports/{person.me['report']}/"): 3,
        page("officer: directives inbox", "/directives/inbox/"): 2,
        page("officer: notifications", "/notifications/"): 1,
    }


class ReviewingHead(Person):
    """A head opens her review queue, reads a waiting report and approves it (or returns it with a comment)."""

    weight = 12

    def on_start(self):
        self.me = next(_heads)
        self.login_as(self.me["session"])

    @task
    def review_one(self):
        queue = self.get("/reports/review/", "head: review queue")
        waiting = REPORT_LINK.findall(queue.text)
        if not waiting:
            return
        pk = random.choice(waiting[:10])
        self.get(f"/reports/{pk}/", "head: report detail")
        returning = random.random() < 0.2
        data = {
            "action": "return" if returning else "approve",
            "next": "queue",
            "comment": "Đề nghị bổ sung số liệu hội nghị tháng 3." if returning else "",
        }
        expected = "Đã trả lại báo cáo cho đơn vị." if returning else "Đã duyệt báo cáo."
        with self.post(f"/reports/{pk}/review/", data, "head: approve or return", allow_redirects=False) as response:
            if not redirected_to(response, "/reports/"):
                response.failure(f"review answered {response.status_code} {response.headers.get('Location', '')}")
                return
        # The outcome is the message on the page the head is sent to.
        page = self.get(response.headers["Location"], "head: review queue")
        if page.status_code != 200:
            record("reviewed_unknown", int(pk))  # the answer was lost (e.g. a 503): either outcome is right
        elif expected in page.text:
            record("returned" if returning else "approved", int(pk))
        # else: another tab of the same head got there first; the page says so, nothing is stored.


class Contestant(Person):
    """A contestant starts a new entry; the page autosaves as she types; she saves the draft."""

    weight = 12

    def on_start(self):
        self.login_as(next(_contestants)["session"])
        self.slug = MANIFEST["contest_slug"]

    @task
    def write_draft(self):
        self.get("/contest/my/", "contestant: my entries")
        page = self.get(f"/contest/{self.slug}/new/", "contestant: new entry form")
        match = DRAFT_KEY.search(page.text)
        if not match:
            return  # the GET itself failed (counted by locust)
        draft_key = match.group(1)
        title = f"Số hóa hồ sơ một cửa tại phường {uuid.uuid4().hex[:8]}"
        typed = ""
        for words in (
            "Người dân phải nộp bản giấy ",
            "nhiều lần cho cùng một thủ tục; ",
            "đề xuất liên thông dữ liệu.",
        ):
            typed += words
            with self.post(
                f"/contest/{self.slug}/autosave/",
                {"draft_key": draft_key, "title": title, "problem": typed},
                "contestant: autosave",
            ) as response:
                if response.status_code == 200 and "text-success" in response.text:
                    record("drafts", {"title": title, "problem": typed}, key=draft_key)
                else:
                    response.failure(f"autosave answered {response.status_code}")
                    return
        data = {
            "draft_key": draft_key,
            "title": title,
            "problem": typed,
            "solution": "Dùng Cổng dịch vụ công để tra cứu tiến độ.",
            "action": "save",
        }
        with self.post(f"/contest/{self.slug}/new/", data, "contestant: save draft", allow_redirects=False) as response:
            if redirected_to(response, "/contest/entries/"):
                record("drafts", {"title": title, "problem": typed}, key=draft_key)
            else:
                response.failure(f"save answered {response.status_code} {response.headers.get('Location', '')}")


class Judge(Person):
    """A judge opens her queue, reads an unscored entry and submits her scores."""

    weight = 6

    def on_start(self):
        self.login_as(next(_judges)["session"])
        self.done: set[str] = set()

    @task
    def score_one(self):
        queue = self.get("/contest/judge/", "judge: queue")
        todo = [
            row.group(1)
            for row in ASSIGNMENT_ROW.finditer(queue.text)
            if NOT_SCORED in row.group(0) and row.group(1) not in self.done
        ]
        if not todo:
            return
        pk = todo[0]
        self.done.add(pk)
        page = self.get(f"/contest/judge/{pk}/", "judge: entry")
        values = {}
        for match in SCORE_INPUT.finditer(page.text):
            criterion = match.group(1)
            top = float(MAX_ATTR.search(match.group(0)).group(1))
            values[f"score_{criterion}"] = str(random.randint(int(top // 2), int(top)))
        if not values:
            return  # already scored by this judge in another session: the page is read-only
        data = {**values, "comment": "Giải pháp khả thi, chi phí thấp.", "action": "submit"}
        with self.post(f"/contest/judge/{pk}/", data, "judge: submit scores", allow_redirects=False) as response:
            if redirected_to(response, f"/contest/judge/{pk}/"):
                record("scored", values, key=pk)
            else:
                response.failure(f"scores answered {response.status_code} {response.headers.get('Location', '')}")


class Visitor(Person):
    """Anyone: the public home page, news, the contest page."""

    weight = 20

    tasks = {
        page("public: home", "/"): 3,
        page("public: news list", "/tin-tuc/"): 2,
        page("public: contest page", f"/contest/{MANIFEST['contest_slug']}/"): 2,
        page("public: search", "/tim-kiem/?q=mot+cua"): 1,
    }
