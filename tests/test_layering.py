"""Only selectors and services touch managers of personal data (STYLE.md, fail closed)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PERSONAL_MODELS = (
    "Entity",
    "Person",
    "Group",
    "EntityName",
    "Contribution",
    "Address",
    "IdentityDocument",
    "CategoryMembership",
    "Relation",
    "RecordChange",
    "Review",
    "AuditEvent",
)
MANAGER_USE = re.compile(r"\b(" + "|".join(PERSONAL_MODELS) + r")\.(objects|_default_manager)\b")
ALLOWED = {"services.py", "selectors.py", "models.py", "verify.py"}


def test_no_view_api_form_or_command_touches_personal_data_managers():
    offenders = []
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        allowed_name = path.name in ALLOWED or path.name.endswith(("_services.py", "_selectors.py"))
        if allowed_name or "migrations" in path.parts or "services" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MANAGER_USE.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert offenders == [], "use a selector or a service:\n" + "\n".join(offenders)


def test_the_guard_recognises_a_direct_use():
    assert MANAGER_USE.search("rows = Person.objects.filter(x=1)")
    assert not MANAGER_USE.search("rows = selectors.entity_list(actor=user)")
