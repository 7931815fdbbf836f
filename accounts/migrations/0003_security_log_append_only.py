"""On PostgreSQL, the security log refuses UPDATE and DELETE at the database, whoever connects."""

from django.db import migrations

TABLES = ("accounts_securityevent", "accounts_securityeventorganization")
CREATE = """
CREATE OR REPLACE FUNCTION accounts_security_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION accounts_security_log_append_only();
"""
    for table in TABLES
)
DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS accounts_security_log_append_only();\n"
)


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)  # No params: the "%" in RAISE is literal.

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_security_log")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
