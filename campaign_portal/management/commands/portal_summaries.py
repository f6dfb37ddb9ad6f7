"""Checks (or rebuilds) every app's live summary rows against the raw rows they summarise (registry.SUMMARIES).

The summaries are updated in the same transaction as each change, so a difference means a write path that forgot
its summary: the check exits 1 and names it; `--rebuild` repairs the rows from the raw data."""

from django.core.management.base import BaseCommand, CommandError

from campaign_portal import registry


class Command(BaseCommand):
    help = "Recompute every summary from the raw rows and report the differences (exit 1 if any); --rebuild repairs."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="rewrite the summaries from the raw rows")

    def handle(self, *args, rebuild=False, **options):
        total = 0
        for summary in registry.SUMMARIES:
            if rebuild:
                changed = summary.rebuild(stdout=self.stdout)
                self.stdout.write(f"{summary.name}: {changed} rows rewritten")
            else:
                differences = summary.differences(stdout=self.stdout)
                self.stdout.write(f"{summary.name}: {differences} differences")
                total += differences
        if total:
            raise CommandError(f"{total} summary rows differ from the raw rows")
