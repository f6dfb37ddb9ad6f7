"""The portal when its services fail: a database that drops mid-request, a Redis that is down.

The live versions (PostgreSQL restarted and Redis stopped under 100 users) are in
benchmarks/load/run.sh; these pin the behaviour those runs rely on."""

from django.core import mail
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


class DatabaseGoesAway:
    """An execute wrapper: the first `allow` queries pass, then every query fails as a
    PostgreSQL restart makes them fail (server closed the connection)."""

    def __init__(self, allow: int = 0, only: str = ""):
        self.allow, self.only, self.seen = allow, only, 0

    def __call__(self, execute, sql, params, many, context):
        if not self.only or sql.lstrip().upper().startswith(self.only):
            self.seen += 1
            if self.seen > self.allow:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


def test_database_outage_in_a_view_answers_503_in_vietnamese(tree, login, settings):
    settings.ADMINS = [("Quản trị", "quantri@example.vn")]
    client = login(tree.gl1_officer)
    client.raise_request_exception = False
    with connection.execute_wrapper(DatabaseGoesAway()):
        response = client.get(reverse("reporting:todo"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page
    assert "Traceback" not in page
    assert [m.subject for m in mail.outbox] == []  # a restart must not mail the admins once per request


def test_database_outage_in_a_middleware_still_answers_503(tree):
    # An anonymous request: the session lookup fails inside the middleware chain, before any view.
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    with connection.execute_wrapper(DatabaseGoesAway()):
        response = client.get(reverse("reporting:todo"))
    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()


@override_settings(CACHES=DEAD_REDIS)
def test_pages_keep_working_while_redis_is_down(tree, login, client):
    # The public pages use the cache (charts, sitemap, rate limits); with Redis away they miss it.
    for name in ("public:index", "public:indicators", "public:sitemap", "public:feedback_submit"):
        assert client.get(reverse(name)).status_code == 200, name
    assert login(tree.gl1_officer).get(reverse("home")).status_code == 200


def test_server_error_page_is_vietnamese_and_quiet(tree, login, settings):
    client = login(tree.gl1_officer)
    client.raise_request_exception = False
    settings.DEBUG = False
    settings.ADMINS = [("Quản trị", "quantri@example.vn")]

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    from reporting import views

    original = views.selectors.todo_for
    views.selectors.todo_for = broken
    try:
        response = client.get(reverse("reporting:todo"))
    finally:
        views.selectors.todo_for = original
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống gặp lỗi" in page
    assert "a bug" not in page
    assert len(mail.outbox) == 1  # a real bug does reach the admins


def test_missing_page_is_vietnamese(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_csrf_failure_is_explained_in_vietnamese(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.gl1_officer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 403
    assert "Biểu mẫu chưa được gửi" in response.content.decode()
