"""`manage.py generate_scale` ends with ANALYZE of what it filled (issue 18): without statistics the planner picks
plans that take seconds over the fresh 10,000-row tables."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from organizations.models import Unit


def _analyze_count(table: str) -> int:
    """Manual ANALYZEs of `table` so far (autovacuum's are counted apart, in autoanalyze_count)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the statistics view is a snapshot per transaction
        cursor.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_generate_scale_ends_with_analyze_of_the_tables_it_filled(db):
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and pg_stat_user_tables are PostgreSQL's")
    tables = ("organizations_unit", "organizations_unitplacement", "organizations_membership")
    before = {table: _analyze_count(table) for table in tables}
    out = io.StringIO()
    call_command("generate_scale", "--grassroots", "80", "--tree-only", stdout=out)
    assert Unit.objects.filter(kind="grassroots_union").count() == 80
    assert {table: _analyze_count(table) for table in tables} == {table: count + 1 for table, count in before.items()}
    assert "ANALYZE of " in out.getvalue()
