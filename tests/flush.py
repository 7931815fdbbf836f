"""How a transactional test (live server, real workers, concurrency) leaves PostgreSQL: its rows deleted, fast.

Django ends such a test with `manage.py flush`: one TRUNCATE of all 66 tables, which costs about a second however
few rows the test wrote (PostgreSQL makes new files for every table and index), then post_migrate writes every
content type and permission again. Here only the tables that hold rows are emptied, with DELETE (milliseconds),
and the content types and permissions stay as migrate made them, ids included. The tables whose triggers refuse
DELETE (the append-only logs) are truncated, with the tables that refer to them. The database ends as Django's
flush leaves it; any other database, or a test that names its apps or asks for a serialized rollback, gets
Django's own flush.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.test import TransactionTestCase

# Written by migrate (post_migrate) and never by the application: what Django's flush would write again.
KEPT = frozenset({"django_migrations", "django_content_type", "auth_permission"})

_django_fixture_teardown = TransactionTestCase._fixture_teardown


def fixture_teardown(self: TransactionTestCase) -> None:
    """`TransactionTestCase._fixture_teardown`, emptying only what the test wrote."""
    if self.available_apps is not None or self.serialized_rollback:
        return _django_fixture_teardown(self)
    for alias in self._databases_names(include_mirrors=False):
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return _django_fixture_teardown(self)
        rows_delete(connection)
    return None


def rows_delete(connection) -> None:
    tables = [
        name
        for name in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if name not in KEPT
    ]
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"(SELECT %s::text FROM {quote(name)} LIMIT 1)" for name in tables),
            tables,
        )
        written = {name for (name,) in cursor.fetchall()}
        if not written:
            return
        truncated = _truncated(cursor, written)
        if truncated:
            cursor.execute("TRUNCATE " + ", ".join(quote(name) for name in sorted(truncated)))
        # Foreign keys are checked at commit (Django declares them DEFERRABLE INITIALLY DEFERRED), when every
        # referring row is gone too: the order of the deletes does not matter.
        for name in sorted(written - truncated):
            cursor.execute(f"DELETE FROM {quote(name)}")


def _truncated(cursor, written: set[str]) -> set[str]:
    """The written tables whose triggers refuse DELETE, and every table that refers to one of them (TRUNCATE
    refuses to empty a table another one refers to unless both are in the statement)."""
    cursor.execute(
        "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger"
        " WHERE NOT tgisinternal AND tgtype & 8 = 8"  # TRIGGER_TYPE_DELETE
    )
    truncated = {name for (name,) in cursor.fetchall()} & written
    if not truncated:
        return truncated
    cursor.execute("SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'")
    references = cursor.fetchall()
    while True:
        referring = {table for table, referred in references if referred in truncated} - truncated
        if not referring:
            return truncated
        truncated |= referring
