"""Dumps the whole portal — every table's rows and the uploaded files — into one .tar.gz.

Restore with `manage.py portal_restore <file>` into a freshly migrated, empty database."""

import io
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

# Rebuilt by migrations or by the running portal; dumping them breaks a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class Command(BaseCommand):
    help = "Back up the database (all apps, as JSON) and MEDIA_ROOT into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="archive path (default: var/backups/portal-<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        target = Path(output or Path(settings.VAR_DIR) / "backups" / f"portal-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = io.StringIO()
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, indent=None, stdout=data)
        payload = data.getvalue().encode("utf-8")
        with tarfile.open(target, "w:gz") as archive:
            info = tarfile.TarInfo("database.json")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
        self.stdout.write(str(target))
