from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give the DELETE trigger its function: always "no", so the refusal is an IntegrityError."""
    if connection.vendor == "sqlite":
        from vigie.audit.db_triggers import SQLITE_FLUSH_FUNCTION

        connection.connection.create_function(SQLITE_FLUSH_FUNCTION, 0, lambda: 0)


class AuditConfig(AppConfig):
    name = "vigie.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_functions, dispatch_uid="vigie.audit.sqlite")
