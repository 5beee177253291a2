"""Human references (`P-2026-000042`, `TA-2026-0007`): a counter per prefix and year."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from vigie.core.models import ReferenceCounter


@transaction.atomic
def next_reference(prefix: str, width: int = 6) -> str:
    """The next reference for `prefix` this year; the counter row is locked while it moves."""
    year = timezone.localdate().year
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:0{width}d}"
