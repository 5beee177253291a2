"""Reference data and the system actor, after every migrate (and test-database flush)."""

from __future__ import annotations

from typing import Any


def load_reference_data(sender: Any, **kwargs: Any) -> None:
    from vigie.core.organisations import load_organisations
    from vigie.core.reference import load_territory

    load_territory()
    # Create missing services only: a migrate must not undo the operator's profile changes.
    load_organisations(update_profiles=False)


def create_system_actor(sender: Any, **kwargs: Any) -> None:
    from vigie.core.services import system_user

    system_user()
