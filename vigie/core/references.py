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


@transaction.atomic
def next_references(prefix: str, count: int, width: int = 6) -> list[str]:
    """A block of `count` consecutive references for `prefix`, reserved under one lock.

    Bulk loads take a block per batch instead of one locked round trip per row.
    """
    if count < 0:
        raise ValueError("count must be zero or more")
    if count == 0:
        return []
    year = timezone.localdate().year
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        prefix=prefix, year=year
    )
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"{prefix}-{year}-{n:0{width}d}" for n in range(first, counter.last + 1)]
