"""On PostgreSQL a trigger refuses UPDATE and DELETE of the personal-data logs.

The access log and the anonymisation log are evidence for 152-FZ checks: not even a bug
or a SQL console may rewrite them. SQLite relies on the models refusing changes.
"""

from django.db import migrations

TABLES = ("privacy_personaldataaccess", "privacy_anonymisationrun")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'personal data logs are append-only';
END;
$$ LANGUAGE plpgsql
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PG_FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION privacy_log_append_only()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS privacy_log_append_only()")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
