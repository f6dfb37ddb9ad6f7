import time

from django.core.management.base import BaseCommand
from django.db import connection

from campaign_portal.registry import SCALE_GENERATORS
from organizations import scale


class Command(BaseCommand):
    help = "Builds the benchmark world: the tree with N grassroots unions, then each app's data at that scale."

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=10000)
        parser.add_argument("--tree-only", action="store_true", help="only the unit tree and its officers")

    def handle(self, *args, grassroots, tree_only, **options):
        started = time.perf_counter()
        scale.generate(grassroots=grassroots, stdout=self.stdout)
        self.stdout.write(f"tree built in {time.perf_counter() - started:.1f}s")
        if tree_only:
            return
        for generate in SCALE_GENERATORS:
            step = time.perf_counter()
            generate(stdout=self.stdout)
            self.stdout.write(f"{generate.__module__} in {time.perf_counter() - step:.1f}s")
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics until autovacuum comes by: the planner would pick nested loops
            # over 10,000-row joins and every measurement would be of a bad plan.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Scale data ready in {time.perf_counter() - started:.1f}s"))
