from django.core.management.base import BaseCommand
from django.db import transaction

from campaign_portal.apps_registry import app_modules
from organizations import demo as organizations_demo


class Command(BaseCommand):
    help = "Builds (or completes) the demo campaign from the 2019 seed documents. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.stdout.write("Đơn vị và người dùng…")
            organizations_demo.load_demo(stdout=self.stdout)
            for module in app_modules("demo"):
                self.stdout.write(f"{module.__name__}…")
                module.load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo campaign ready."))
        self.stdout.write(f"Demo accounts (password: {organizations_demo.DEMO_PASSWORD}):")
        for email, _full_name, unit_code, role, _position in organizations_demo.DEMO_USERS:
            self.stdout.write(f"  {email:34} {role:14} {unit_code}")
        for module in app_modules("demo"):
            for line in getattr(module, "DEMO_ACCOUNTS_HELP", []):
                self.stdout.write(f"  {line}")
