"""Reference data after every migrate (and test-database flush)."""

from __future__ import annotations

from typing import Any


def load_reference_data(sender: Any, **kwargs: Any) -> None:
    from vigie.core.reference import load_territory

    load_territory()
