from django.core.management.base import BaseCommand
from django.db import transaction

from campaign_portal.registry import DEMO_LOADERS
from organizations import demo as organizations_demo
from organizations.models import Membership


class Command(BaseCommand):
    help = (
        "Builds (or completes) the demo campaign: the 2019–2024 history on the tree of the time, the "
        "reorganisation of 1 July 2025, then today's work on today's tree. Safe to run again."
    )

    def handle(self, *args, **options):
        loaders = list(DEMO_LOADERS)
        with transaction.atomic():
            self.stdout.write("Đơn vị và người dùng (cơ cấu năm 2019)…")
            organizations_demo.load_demo(stdout=self.stdout)
            # History first, on the tree as it stood then; a module without one has only today's part.
            for loader in loaders:
                if loader.load_history is not None:
                    self.stdout.write(f"{loader.name} (lịch sử)…")
                    loader.load_history(stdout=self.stdout)
            self.stdout.write("Sắp xếp tổ chức công đoàn từ 01/07/2025…")
            organizations_demo.reorganise_2025(stdout=self.stdout)
            for loader in loaders:
                self.stdout.write(f"{loader.name} (hiện tại)…")
                loader.load_present(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo campaign ready."))
        self.stdout.write(f"Demo accounts today (password: {organizations_demo.DEMO_PASSWORD}):")
        emails = [row[0] for row in organizations_demo.DEMO_USERS]
        posts = {}
        for membership in (
            Membership.objects.filter(user__email__in=emails, is_active=True)
            .select_related("user", "unit")
            .order_by("unit__path")
        ):
            posts.setdefault(membership.user.email, []).append(f"{membership.role} {membership.unit.code}")
        for email in emails:
            self.stdout.write(f"  {email:34} {', '.join(posts.get(email, []))}")
        for loader in loaders:
            for line in loader.accounts_help:
                self.stdout.write(f"  {line}")
