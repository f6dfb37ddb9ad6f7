"""Settings have no side effects: importing them creates no directory, and every value,
PORTAL_VAR_DIR included, may come from the .env file beside manage.py."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
PRINT_VAR_DIR = "import runpy, sys; print(runpy.run_path(sys.argv[1])['VAR_DIR'])"


def _clean_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_VAR_DIR", "DATABASE_URL", "REDIS_URL")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def test_importing_settings_creates_no_directory(tmp_path):
    var = tmp_path / "not-yet" / "var"
    result = subprocess.run(
        [sys.executable, "-c", "import campaign_portal.settings"],
        cwd=ROOT,
        env=_clean_env(PORTAL_VAR_DIR=str(var)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "not-yet").exists()


def test_portal_var_dir_comes_from_the_env_file(tmp_path):
    # A copy of settings.py in a project of its own, so that its .env is the one beside it.
    project = tmp_path / "project"
    (project / "campaign_portal").mkdir(parents=True)
    shutil.copy(ROOT / "campaign_portal" / "settings.py", project / "campaign_portal" / "settings.py")
    var = tmp_path / "from-dotenv"
    (project / ".env").write_text(f"PORTAL_VAR_DIR={var}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_VAR_DIR, str(project / "campaign_portal" / "settings.py")],
        cwd=ROOT,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(var)
    assert not var.exists()


def test_portal_dirs_creates_the_working_folders(settings, tmp_path):
    var = tmp_path / "var"
    settings.VAR_DIR = var
    settings.STATIC_ROOT = var / "staticfiles"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(var / "celery" / "queue"),
        "data_folder_out": str(var / "celery" / "queue"),
        "processed_folder": str(var / "celery" / "processed"),
        "control_folder": str(var / "celery" / "control"),
        "store_processed": False,
    }
    call_command("portal_dirs")
    made = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert made == [
        "var",
        "var/celery",
        "var/celery/control",
        "var/celery/processed",
        "var/celery/queue",
        "var/staticfiles",
    ]
    call_command("portal_dirs")  # again: nothing changes, nothing fails
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == made


PRINT_SESSION_ENGINE = "import runpy, sys; print(runpy.run_path(sys.argv[1])['SESSION_ENGINE'])"


def _session_engine(**env) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SESSION_ENGINE, str(ROOT / "campaign_portal" / "settings.py")],
        cwd=ROOT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_sessions_live_in_redis_and_the_database_only_with_redis():
    assert _session_engine(REDIS_URL="redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
    # Without Redis the cache is per process: a session another process ended could live on in it.
    assert _session_engine() == "django.contrib.sessions.backends.db"


def test_documents_have_their_own_queue_and_every_worker_takes_both(settings):
    """A backlog of signatures after a rush of approvals must not hold back a deadline day's reminders: the
    tasks that make documents go to their own queue, and a worker started without -Q consumes both, in turn."""
    from campaign_portal.celery import app

    app.loader.import_default_modules()  # the apps' tasks, as a worker registers them
    route = app.amqp.router.route
    documents = sorted(settings.DOCUMENT_TASKS)
    assert set(documents) <= set(app.tasks), "a document task was renamed: route it again"
    assert {name: route({}, name)["queue"].name for name in documents} == dict.fromkeys(documents, "documents")
    for name in ("notifications.send_urgent_batch", "notifications.send_digest_batch", "notifications.sweep"):
        assert route({}, name)["queue"].name == "celery"
    assert {name: queue.routing_key for name, queue in app.amqp.queues.items()} == {
        "celery": "celery",
        "documents": "documents",
    }
    # Every task of the apps that make documents is one: a new one must be routed too.
    makers = {n for n in app.tasks if n.startswith(("reporting.", "contest.", "organizations."))}
    assert makers == set(documents)
