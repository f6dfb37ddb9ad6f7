import time

from django.apps import apps
from django.core.management.base import BaseCommand

from campaign_portal.db_statistics import tables_analyze
from campaign_portal.registry import SCALE_GENERATORS, SUMMARIES
from organizations import scale


class Command(BaseCommand):
    help = "Builds the benchmark world: the tree with N grassroots unions, then each app's data at that scale."

    def add_arguments(self, parser):
        parser.add_argument("--grassroots", type=int, default=10000)
        parser.add_argument("--tree-only", action="store_true", help="only the unit tree and its officers")
        parser.add_argument("--years", type=int, default=1, help="years of quarterly reports, from 2019")

    def handle(self, *args, grassroots, tree_only, years, **options):
        started = time.perf_counter()
        scale.generate(grassroots=grassroots, stdout=self.stdout)
        self.stdout.write(f"tree built in {time.perf_counter() - started:.1f}s")
        if not tree_only:
            for generate in SCALE_GENERATORS:
                step = time.perf_counter()
                generate(stdout=self.stdout, years=years)
                self.stdout.write(f"{generate.__module__} in {time.perf_counter() - step:.1f}s")
            # The generators write in bulk, past the services that keep the summaries: rebuilt from the raw rows.
            for summary in SUMMARIES:
                step = time.perf_counter()
                changed = summary.rebuild(stdout=self.stdout)
                self.stdout.write(f"{summary.name} summaries: {changed} rows in {time.perf_counter() - step:.1f}s")
        # Every app's generator fills its own tables (and their history and link tables): all are analysed, or the
        # first measurements would be of the plans the planner makes without statistics.
        step = time.perf_counter()
        analysed = tables_analyze(models=apps.get_models(include_auto_created=True))
        if analysed:
            self.stdout.write(f"ANALYZE of {len(analysed)} tables in {time.perf_counter() - step:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Scale data ready in {time.perf_counter() - started:.1f}s"))
