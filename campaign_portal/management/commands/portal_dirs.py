"""Makes the folders the portal writes to outside the database, as the settings name them.

Settings only name folders (importing them has no side effects); this command, run by
scripts/bootstrap.sh before anything starts, creates them. Safe to re-run."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


def portal_dirs() -> list[Path]:
    """VAR_DIR (the SQLite file lives there), STATIC_ROOT (WhiteNoise warns when it is missing)
    and, on the filesystem broker, kombu's queue folders (kombu lists them, it does not make them)."""
    folders = [Path(settings.VAR_DIR)]
    if settings.STATIC_ROOT:
        folders.append(Path(settings.STATIC_ROOT))
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS  # empty on Redis
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            folders.append(Path(options[key]))
    return list(dict.fromkeys(folders))


class Command(BaseCommand):
    help = "Create the portal's working folders (VAR_DIR, STATIC_ROOT, the filesystem broker's queues)."
    requires_system_checks = []

    def handle(self, *args, **options):
        for folder in portal_dirs():
            folder.mkdir(parents=True, exist_ok=True)
            if options["verbosity"] > 1:
                self.stdout.write(str(folder))
