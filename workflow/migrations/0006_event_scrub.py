"""The event log's one exception: a redaction may rewrite an event's ``data`` (workflow/redactions.py).

The trigger still refuses every DELETE, and every UPDATE unless the transaction has turned ``jmhcp.event_scrub`` on
(only ``workflow.redactions.event_data_scrub`` does, and turns it off again); even then only ``data`` may change.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflow_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND current_setting('jmhcp.event_scrub', true) = 'on'
        AND NEW.id = OLD.id
        AND NEW.case_id = OLD.case_id
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.verb = OLD.verb
        AND NEW.audience = OLD.audience
        AND NEW.created_at = OLD.created_at
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'workflow_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
RESTORE = """
CREATE OR REPLACE FUNCTION workflow_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'workflow_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # No params: the "%" in RAISE is literal.

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0005_document_withdrawal")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(RESTORE))]
