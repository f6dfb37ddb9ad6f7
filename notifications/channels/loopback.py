"""Loopback stand-ins for the providers, implementing their documented requests, answers and error codes
(see zalo.py and sms.py): the test suite, the benchmark and `manage.py fake_providers` run them.
Not a mock: the portal's clients speak real HTTP to them.

One server, three paths:
    POST /message/template        ZNS: header access_token; -124 for a wrong or expired token, -108 for a
                                  malformed phone, -118 for a number in no_zalo, else error 0 with a msg_id
    POST /v4/oa/access_token      Zalo OAuth refresh: header secret_key, form app_id, refresh_token,
                                  grant_type=refresh_token; the refresh token works once
    POST /sms                     the SMS adapter: Bearer token, E.164 "to", request_id de-duplicated
Both send paths answer HTTP 503 while fail_next > 0 (counted down), like a provider that is down."""

import json
import re
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

E164_VN = re.compile(r"^\+84\d{9}$")
ZNS_PHONE = re.compile(r"^84\d{9}$")


@dataclass
class LoopbackState:
    access_token: str = "oa-token-1"
    refresh_token: str = "refresh-1"
    app_id: str = "app-1"
    app_secret: str = "secret-1"
    sms_token: str = "sms-token-1"
    no_zalo: set[str] = field(default_factory=set)  # ZNS phones (84…) without a Zalo account
    fail_next: int = 0
    delay: float = 0.0  # seconds each send waits before answering (concurrency tests)
    stall_on: int = 0  # the n-th send waits 3 s and answers 503 (a worker killed meanwhile never hears back)
    stalled: threading.Event = field(default_factory=threading.Event)
    sends: int = 0
    zns: list[dict] = field(default_factory=list)  # accepted template messages
    sms: list[dict] = field(default_factory=list)  # accepted SMS (one per request_id)
    refreshes: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server_version = "PortalLoopback/1"

    def log_message(self, *args):  # quiet
        pass

    @property
    def state(self) -> LoopbackState:
        return self.server.state

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urllib.parse.urlsplit(self.path).path
        with self.state.lock:
            self.state.requests += 1
            if path == "/v4/oa/access_token":
                return self._refresh(raw)
            if self.state.fail_next > 0 and path in ("/message/template", "/sms"):
                self.state.fail_next -= 1
                return self._answer(503, {"error": "unavailable"})
            if path in ("/message/template", "/sms"):
                self.state.sends += 1
                if self.state.sends == self.state.stall_on:
                    self.state.stalled.set()
                    time.sleep(3)
                    return self._answer(503, {"error": "client went away"})
            if self.state.delay:
                time.sleep(self.state.delay)
            if path == "/message/template":
                return self._zns(raw)
            if path == "/sms":
                return self._sms(raw)
        return self._answer(404, {"error": "not found"})

    def _zns(self, raw: bytes):
        if self.headers.get("access_token") != self.state.access_token:
            return self._answer(200, {"error": -124, "message": "Access token invalid"})
        body = json.loads(raw or b"{}")
        if not body.get("template_id") or not isinstance(body.get("template_data"), dict):
            return self._answer(200, {"error": -109, "message": "Template ID invalid"})
        phone = str(body.get("phone", ""))
        if not ZNS_PHONE.match(phone):
            return self._answer(200, {"error": -108, "message": "Phone number invalid"})
        if phone in self.state.no_zalo:
            return self._answer(200, {"error": -118, "message": "Zalo account not existed"})
        msg_id = uuid.uuid4().hex
        self.state.zns.append({**body, "msg_id": msg_id})
        return self._answer(200, {"error": 0, "message": "Success", "data": {"msg_id": msg_id, "sent_time": "0"}})

    def _refresh(self, raw: bytes):
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        if (
            self.headers.get("secret_key") != self.state.app_secret
            or form.get("app_id") != self.state.app_id
            or form.get("grant_type") != "refresh_token"
            or form.get("refresh_token") != self.state.refresh_token
        ):
            return self._answer(
                200, {"error": -14014, "error_name": "Invalid refresh token", "error_description": "refused"}
            )
        self.state.refreshes += 1
        n = self.state.refreshes + 1
        self.state.access_token, self.state.refresh_token = f"oa-token-{n}", f"refresh-{n}"
        return self._answer(
            200,
            {"access_token": self.state.access_token, "refresh_token": self.state.refresh_token, "expires_in": "90000"},
        )

    def _sms(self, raw: bytes):
        if self.headers.get("Authorization") != f"Bearer {self.state.sms_token}":
            return self._answer(401, {"error": {"code": "unauthorized", "message": "bad token"}})
        body = json.loads(raw or b"{}")
        if not E164_VN.match(str(body.get("to", ""))):
            return self._answer(400, {"error": {"code": "invalid_number", "message": "to must be +84…"}})
        if not body.get("text") or not body.get("brandname") or not body.get("request_id"):
            return self._answer(400, {"error": {"code": "invalid_request", "message": "missing field"}})
        for taken in self.state.sms:
            if taken["request_id"] == body["request_id"]:  # de-duplicated, as the contract says
                return self._answer(200, {"id": taken["id"], "status": "queued"})
        sms_id = uuid.uuid4().hex
        self.state.sms.append({**body, "id": sms_id})
        return self._answer(202, {"id": sms_id, "status": "queued"})


class LoopbackProviders:
    """Starts on 127.0.0.1 (port 0: a free one) in a daemon thread; stop() shuts it down."""

    def __init__(self, *, port: int = 0, state: LoopbackState | None = None):
        self.state = state or LoopbackState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.state = self.state
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict:
        """The settings that point the portal at this server."""
        return {
            "ZALO_ZNS_URL": f"{self.base_url}/message/template",
            "ZALO_OA_ACCESS_TOKEN": self.state.access_token,
            "ZALO_ZNS_TEMPLATE_ID": "100001",
            "ZALO_OA_REFRESH_TOKEN": self.state.refresh_token,
            "ZALO_APP_ID": self.state.app_id,
            "ZALO_APP_SECRET": self.state.app_secret,
            "ZALO_OAUTH_URL": f"{self.base_url}/v4/oa/access_token",
            "SMS_GATEWAY_URL": f"{self.base_url}/sms",
            "SMS_GATEWAY_TOKEN": self.state.sms_token,
            "SMS_BRANDNAME": "CONGDOANHN",
        }

    def start(self) -> "LoopbackProviders":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
