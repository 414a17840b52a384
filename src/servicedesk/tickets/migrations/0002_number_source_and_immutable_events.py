"""Ticket numbers come from a sequence (PostgreSQL) or a counter row (SQLite).

On PostgreSQL a trigger also refuses UPDATE and DELETE of history events, so the audit
log stays immutable even for a bug or a SQL console; only anonymisation, which sets
`servicedesk.rewrite_events` for its transaction, may rewrite them. SQLite relies on the
model refusing changes (its flush between tests deletes rows, which a trigger would block).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE SEQUENCE IF NOT EXISTS tickets_ticket_number_seq START 1",
    """
    CREATE OR REPLACE FUNCTION tickets_event_immutable() RETURNS trigger AS $$
    BEGIN
        -- Only personal-data anonymisation may rewrite events, and it says so explicitly.
        IF current_setting('servicedesk.rewrite_events', true) = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'ticket events are immutable';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER tickets_event_no_update BEFORE UPDATE OR DELETE ON tickets_ticketevent
    FOR EACH ROW EXECUTE FUNCTION tickets_event_immutable()
    """,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_event_no_update ON tickets_ticketevent",
    "DROP FUNCTION IF EXISTS tickets_event_immutable()",
    "DROP SEQUENCE IF EXISTS tickets_ticket_number_seq",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)
    else:
        apps.get_model("tickets", "TicketNumberCounter").objects.get_or_create(
            pk=1, defaults={"value": 0}
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
