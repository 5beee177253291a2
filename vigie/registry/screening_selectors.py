"""Reads the screening index needs: listed persons as plain records, and what changed.

No access policy here: the index holds every validated person once per process, and the
screening selectors (`vigie.screening.selectors`) narrow each answer to the reader's view.
Nothing is journaled here either: building an index is not a read by a person; each screening
is journaled where it happens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max, Prefetch

from .choices import EntryStatus, NameType
from .models import Entity, EntityName, IdentityDocument

CHUNK = 2000


def _record(entity: Entity) -> dict[str, Any]:
    names = sorted(entity.names.all(), key=lambda n: (n.name_type != NameType.PRIMARY, n.full_name))
    primary = names[0].full_name if names else entity.display_name
    gender = {"M": "m", "F": "f"}.get(entity.gender or "", "")
    return {
        "id": str(entity.id),
        "name": primary,
        "aliases": [n.full_name for n in names[1:]],
        "birth_date": entity.birth_date or None,
        "nationality": list(entity.nationalities or []),
        "gender": gender or None,
        "identifiers": [d.number for d in entity.documents.all()],
    }


def _listed():  # type: ignore[no-untyped-def]
    return (
        Entity.objects.filter(status=EntryStatus.VALIDATED, kind=Entity.Kind.PERSON)
        .only("id", "display_name", "birth_date", "gender", "nationalities")
        .prefetch_related(
            Prefetch(
                "names", queryset=EntityName.objects.only("entity_id", "full_name", "name_type")
            ),
            Prefetch("documents", queryset=IdentityDocument.objects.only("entity_id", "number")),
        )
    )


def screening_records(ids: Iterable[Any] | None = None) -> Iterator[dict[str, Any]]:
    """Every validated person (or those of `ids`) as an engine record, streamed in chunks."""
    qs = _listed().order_by("id")
    if ids is not None:
        wanted = [str(i) for i in ids]
        for start in range(0, len(wanted), CHUNK):
            for entity in qs.filter(pk__in=wanted[start : start + CHUNK]):
                yield _record(entity)
        return
    last = None
    while True:
        page = qs.filter(pk__gt=last) if last is not None else qs
        batch = list(page[:CHUNK])
        if not batch:
            return
        for entity in batch:
            yield _record(entity)
        last = batch[-1].pk


@dataclass
class Changes:
    records: list[dict[str, Any]] = field(default_factory=list)  # to add or replace
    removed: list[str] = field(default_factory=list)  # ids no longer listed (or deleted)
    stamp: datetime | None = None  # the newest updated_at seen: pass it next time


def change_stamp() -> datetime | None:
    """The newest `Entity.updated_at`: a cheap way to see that something changed."""
    return Entity.objects.aggregate(newest=Max("updated_at"))["newest"]


def changed_since(stamp: datetime | None, touched: Iterable[Any] = ()) -> Changes:
    """What the index must apply: entities updated after `stamp` and the `touched` ids (names,
    documents or deletions the screening app was told about). Listed persons come back as
    records; any other touched or updated id (rejected, removed, deleted) as removed."""
    touched_ids = {str(i) for i in touched}
    updated = Entity.objects.filter(updated_at__gt=stamp) if stamp else Entity.objects.none()
    candidates = touched_ids | {str(i) for i in updated.values_list("id", flat=True)}
    records = list(screening_records(candidates)) if candidates else []
    listed = {r["id"] for r in records}
    return Changes(
        records=records,
        removed=sorted(candidates - listed),
        stamp=change_stamp() or stamp,
    )


def records_by_id(ids: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The records of these listed persons (for side-by-side review)."""
    return {r["id"]: r for r in screening_records(ids)}


def references(ids: Iterable[Any]) -> dict[str, tuple[str, str]]:
    """id -> (reference, display name) of these entities."""
    return {
        str(pk): (ref, name)
        for pk, ref, name in Entity.objects.filter(pk__in=[str(i) for i in ids]).values_list(
            "id", "reference", "display_name"
        )
    }


def proposal_as_record(entity_id: Any) -> dict[str, Any] | None:
    """Any entity (a proposal too) as an engine record: the validator's duplicate check."""
    entity = (
        Entity.objects.filter(pk=entity_id, kind=Entity.Kind.PERSON)
        .prefetch_related("names", "documents")
        .first()
    )
    return _record(entity) if entity else None
