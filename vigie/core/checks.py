"""Deploy checks: `vigie check --deploy` refuses settings fit only for the demo and tests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

# The defaults settings.py falls back to when the environment sets no key.
INSECURE_AUDIT_KEY = "vigie-insecure-demo-audit-key"


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    if settings.DEMO:
        errors.append(
            Error(
                "Demo mode is on (VIGIE_DEMO).",
                hint="Unset VIGIE_DEMO in production: it prints codes and seeds fictitious data.",
                id="vigie.E001",
            )
        )
    if getattr(settings, "INSECURE_KEY", None) == settings.SECRET_KEY:
        errors.append(
            Error(
                "SECRET_KEY is the public demo key.",
                hint="Set VIGIE_SECRET_KEY to a long random value.",
                id="vigie.E002",
            )
        )
    if settings.AUDIT_CHECKPOINT_KEY == INSECURE_AUDIT_KEY:
        errors.append(
            Error(
                "AUDIT_CHECKPOINT_KEY is the public demo key.",
                hint="Set VIGIE_AUDIT_KEY to a long random value, distinct from the secret key.",
                id="vigie.E003",
            )
        )
    engines = {db.get("ENGINE", "") for db in settings.DATABASES.values()}
    if any(engine.endswith("sqlite3") for engine in engines):
        errors.append(
            Error(
                "The database is SQLite.",
                hint="Production runs on PostgreSQL: set DATABASE_URL.",
                id="vigie.E004",
            )
        )
    return errors
