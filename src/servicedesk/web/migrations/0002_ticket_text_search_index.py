"""Trigram indexes for the queue's text search on PostgreSQL (subject and description).

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER('%…%')`; GIN trigram
indexes on exactly those expressions let the search use an index at 100,000 tickets
instead of reading every row. SQLite has no such index; there the search stays a scan.
Without the right to create the pg_trgm extension the indexes are skipped (search works,
only slower), so a restricted database role never blocks `migrate`.
"""

from django.db import migrations, transaction

INDEXES = {
    "ticket_subject_trgm": "subject",
    "ticket_description_trgm": "description",
}


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001  (no privilege: keep the plain scan)
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_ticket "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("web", "0001_initial"),
        ("tickets", "0002_number_source_and_immutable_events"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
