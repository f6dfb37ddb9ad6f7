"""Project-level guarantees: the demo loads twice without change, production settings pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from organizations.models import Membership, Unit, User

ROOT = Path(__file__).resolve().parents[2]


def test_load_demo_campaign_is_idempotent(db):
    call_command("load_demo_campaign", stdout=open(os.devnull, "w"))
    counts = (Unit.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo_campaign", stdout=open(os.devnull, "w"))
    assert (Unit.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert Unit.objects.filter(kind="district_federation").count() == 30
    assert Unit.objects.get(code="HN-LDLD-GIALAM").name == "Liên đoàn Lao động huyện Gia Lâm"


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "campaign_portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 30 + "-production-secret-" + "y" * 30,
        "ALLOWED_HOSTS": "cchc.example.vn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own process only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
