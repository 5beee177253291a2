"""Database triggers that make the journal append-only, per vendor.

Kept here (not inlined in one migration) because SQLite drops a table's triggers whenever a
migration rebuilds it (any AlterField): such a migration must run `InstallJournalTriggers()`
again. A test reads sqlite_master / pg_trigger to catch a forgotten one.

The triggers stop accidents. They do not stop the table's owner, who can drop them: the hash
chain and the keyed checkpoints are what detect an attacker (docs/audit.md).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

PROTECTED_TABLES = ("audit_auditevent", "audit_checkpoint")

# SQLite: DELETE is refused unless `vigie_audit_flush_allowed()` says otherwise. The app
# registers that function returning 0 on every connection (vigie.audit.apps), so a refused
# DELETE raises IntegrityError as on PostgreSQL; only the test harness replaces it, around
# Django's flush. A connection that never registered it (the sqlite3 shell) gets
# "no such function" and cannot delete either.
SQLITE_FLUSH_FUNCTION = "vigie_audit_flush_allowed"


def sqlite_install_sql() -> list[str]:
    statements = []
    for table in PROTECTED_TABLES:
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'the journal is append-only: UPDATE refused'); END;",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {SQLITE_FLUSH_FUNCTION}() "
            f"BEGIN SELECT RAISE(ABORT, 'the journal is append-only: DELETE refused'); END;",
        ]
    return statements


def sqlite_drop_sql() -> list[str]:
    statements = []
    for table in PROTECTED_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;",
        ]
    return statements


# PostgreSQL: one function for every protected table. TRUNCATE is let through only when the
# transaction set `audit.allow_truncate` (the test harness does, around Django's flush); row
# UPDATE and DELETE have no way through. restrict_violation maps to IntegrityError in Django.
POSTGRES_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION vigie_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('audit.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the journal is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def postgres_install_sql() -> list[str]:
    statements = [POSTGRES_FUNCTION_SQL]
    for table in PROTECTED_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};",
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION vigie_audit_refuse_change();",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION vigie_audit_refuse_change();",
        ]
    return statements


def postgres_drop_sql() -> list[str]:
    statements = []
    for table in PROTECTED_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        ]
    return [*statements, "DROP FUNCTION IF EXISTS vigie_audit_refuse_change();"]


def install_sql(vendor: str) -> list[str]:
    return {"sqlite": sqlite_install_sql, "postgresql": postgres_install_sql}[vendor]()


def drop_sql(vendor: str) -> list[str]:
    return {"sqlite": sqlite_drop_sql, "postgresql": postgres_drop_sql}[vendor]()


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only on one database vendor (a no-op on the others)."""

    def __init__(self, vendor: str, sql: list[str], reverse_sql: list[str]) -> None:
        self.vendor = vendor
        super().__init__(sql=sql, reverse_sql=reverse_sql)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        name, args, kwargs = super().deconstruct()
        kwargs["vendor"] = self.vendor
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Raw SQL operation on {self.vendor}"


def journal_trigger_operations() -> list[VendorRunSQL]:
    """The operations a migration uses to (re)install the triggers on every vendor."""
    return [
        VendorRunSQL("sqlite", sqlite_install_sql(), sqlite_drop_sql()),
        VendorRunSQL("postgresql", postgres_install_sql(), postgres_drop_sql()),
    ]
