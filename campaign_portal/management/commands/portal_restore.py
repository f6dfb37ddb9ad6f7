import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations.models import AdministrativeArea, Unit


class Command(BaseCommand):
    help = "Restore a portal_backup archive into a migrated, empty database (and MEDIA_ROOT)."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        if Unit.objects.exists():
            raise CommandError("The database is not empty: restore into a freshly migrated database.")
        with tempfile.TemporaryDirectory() as folder, tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")
            dump = Path(folder) / "database.json"
            if not dump.exists():
                raise CommandError("Not a portal backup: database.json is missing.")
            with transaction.atomic():
                # The communes and wards a migration loaded come back from the backup, with the keys
                # the backup's coverage and documents refer to (and any list an admin imported since).
                AdministrativeArea.objects.all().delete()
                call_command("loaddata", str(dump), verbosity=0)
            media = Path(folder) / "media"
            if media.exists():
                target = Path(settings.MEDIA_ROOT)
                for path in media.rglob("*"):
                    if path.is_file():
                        destination = target / path.relative_to(media)
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        destination.write_bytes(path.read_bytes())
        self.stdout.write(self.style.SUCCESS("Restored."))
