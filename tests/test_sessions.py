"""Sessions on the cached database backend (production, with Redis): a page reads its session from the cache, and
a cache that lost everything (Redis restarted) logs nobody out; logging out ends the session in both."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _session_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_page_reads_the_session_from_the_cache(client, tree):
    client.force_login(tree.gl1_officer)
    response, session_queries = _session_queries(client, reverse("notifications:list"))
    assert response.status_code == 200
    assert response.context["user"] == tree.gl1_officer
    assert session_queries == []


def test_a_session_survives_the_cache_losing_it(client, tree):
    client.force_login(tree.gl1_officer)
    cache.clear()
    response, session_queries = _session_queries(client, reverse("notifications:list"))
    assert response.status_code == 200
    assert response.context["user"] == tree.gl1_officer
    assert len(session_queries) == 1  # read back from the database once, then from the cache again
    response, session_queries = _session_queries(client, reverse("notifications:list"))
    assert (response.status_code, session_queries) == (200, [])


def test_logging_out_ends_the_session_in_the_cache_and_the_database(client, tree):
    client.force_login(tree.gl1_officer)
    key = client.session.session_key
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None
    client.cookies["sessionid"] = key  # the old cookie, sent again
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
