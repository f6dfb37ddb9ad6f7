"""A fresh web or Celery process loads the URLconf, the catalogues and the page templates before its first request or
task (issue 18, item 3), so that nobody's request pays ~2 s for it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter: how many modules the first request still imports, and whether the URLconf was loaded.
FIRST_REQUEST = """
import sys
{load}
from django.test import Client
from django.urls import get_resolver
print("urlconf loaded before the request:", "url_patterns" in get_resolver().__dict__)
before = set(sys.modules)
assert Client().get("/accounts/login/", secure=True).status_code == 200
print("imported by the first request:", len(set(sys.modules) - before))
"""
WSGI = "import campaign_portal.wsgi"
SETUP_ONLY = "import django; django.setup()"


def in_fresh_process(script: str) -> str:
    """The script's standard output, run in a new interpreter with the test settings."""
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "campaign_portal.settings_test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def first_request(load: str) -> list[str]:
    stdout = in_fresh_process(FIRST_REQUEST.format(load=load))
    return [line for line in stdout.splitlines() if line.startswith(("urlconf", "imported"))]


def test_wsgi_application_loads_the_urlconf_before_the_first_request():
    assert first_request(WSGI) == ["urlconf loaded before the request: True", "imported by the first request: 0"]


def test_first_request_without_warm_up_imports_the_views():
    """The measure above can fail: without the warm-up, the first request imports the views itself."""
    urlconf, imported = first_request(SETUP_ONLY)
    assert urlconf == "urlconf loaded before the request: False"
    assert int(imported.rsplit(" ", 1)[1]) > 100


def test_reverse_in_a_warmed_process_builds_no_lookup_table():
    """The first page or sweep of a fresh worker finds every namespace's reverse() tables built, in both languages."""
    script = """
import django; django.setup()
from django.urls import resolvers, reverse
from django.utils import translation
from campaign_portal.warmup import process_warm_up
process_warm_up()
built = []
populate = resolvers.URLResolver._populate
resolvers.URLResolver._populate = lambda self: built.append(self) or populate(self)
for code in ("vi", "en"):
    with translation.override(code):
        urls = [reverse("home"), reverse("reporting:review_queue"), reverse("organizations:unit_tree")]
        print(code, len(built), urls)
"""
    stdout = in_fresh_process(script)
    urls = "['/me/', '/reports/review/', '/units/']"
    assert stdout.splitlines() == [f"vi 0 {urls}", f"en 0 {urls}"]


def test_warmed_process_full_collection_leaves_the_loaded_code_alone():
    """After the warm-up the loaded code is frozen: a full collection in a request walks only what that request made."""
    script = """
import gc
import campaign_portal.wsgi
print(gc.get_freeze_count() > 100_000, len(gc.get_objects()) < 5_000)
"""
    stdout = in_fresh_process(script)
    assert stdout.split() == ["True", "True"]
