"""GIN indexes for full-text search on PostgreSQL only (SQLite uses icontains).

The expression matches what SearchVector("search_text", config="simple") emits,
so the planner can use the index."""

from django.db import migrations

TABLES = ("public_newsitem", "public_honouredmodel", "public_feedback")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} "
            f"USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )
    # Per-unit news pages filter the copied lineage by prefix.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS public_newsitem_lineage_like ON public_newsitem (lineage text_pattern_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")
    schema_editor.execute("DROP INDEX IF EXISTS public_newsitem_lineage_like")


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
