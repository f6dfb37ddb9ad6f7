"""Planner statistics after a bulk load: the one helper that ANALYZEs what a bulk load filled."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model


def tables_analyze(*, models: Iterable[type[Model]]) -> list[str]:
    """ANALYZE the tables of `models` on PostgreSQL; nothing on another database. Returns the tables analysed.

    A table filled in bulk has no statistics until autovacuum comes by, and meanwhile the planner picks nested
    loops over 10,000-row joins: right after `generate_scale` the city dashboard took 10 s, and 56 ms once
    analysed (issue 18). ANALYZE takes only a light lock and may run inside a transaction."""
    if connection.vendor != "postgresql":
        return []
    tables = sorted({model._meta.db_table for model in models if model._meta.managed and not model._meta.proxy})
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
    return tables
