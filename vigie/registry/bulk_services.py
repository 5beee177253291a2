"""Bulk writes to the common database: the seeding path for demo and benchmark data.

`registry.services` writes one entity at a time with every check and a journal event per
entity; loading 100,000 fictitious persons that way would take hours. Here rows are built in
memory, checked with the same rules (sub-status per category, partial dates, ISO codes),
inserted with `bulk_create`, one transaction and one journal event per batch.
The system actor acts: nobody signs in to seed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from vigie.audit.services import record_event
from vigie.core import organisations as orgs
from vigie.core.choices import Role
from vigie.core.models import Municipality, Organisation, User
from vigie.core.references import next_references
from vigie.core.services import system_user

from .choices import SUB_STATUSES, EntryStatus, NameType
from .models import (
    PARTIAL_DATE,
    Address,
    CategoryMembership,
    Contribution,
    Entity,
    EntityName,
    IdentityDocument,
    NameToken,
    RecordChange,
    Relation,
    validate_partial_date,
)
from .services import DOMAIN, detect_script, normalise_name, review_due_from

ISO2 = re.compile(r"[A-Z]{2}")


@dataclass
class GeneratedName:
    full_name: str
    name_type: str = NameType.PRIMARY
    given_names: str = ""
    surname: str = ""


@dataclass
class GeneratedContribution:
    organisation: str  # organisation code
    text: str
    reliability: str = "C"
    credibility: str = "3"


@dataclass
class GeneratedEntity:
    """One entity as a generator describes it; `key` lets later entities point at it."""

    key: str
    kind: str
    names: list[GeneratedName]
    status: str = EntryStatus.VALIDATED
    birth_date: str = ""
    birth_place: str = ""
    gender: str = ""
    nationalities: list[str] = field(default_factory=list)
    # (category, sub_status)
    memberships: list[tuple[str, str]] = field(default_factory=list)
    threat_level: int | None = None
    validated_on: date | None = None
    last_reviewed_on: date | None = None
    # (NIS code, street)
    addresses: list[tuple[str, str]] = field(default_factory=list)
    # (document type, number, issuing country)
    documents: list[tuple[str, str, str]] = field(default_factory=list)
    contributions: list[GeneratedContribution] = field(default_factory=list)
    # (relation kind, key of an entity generated earlier)
    relations: list[tuple[str, str]] = field(default_factory=list)
    proposed_by_organisation: str = ""


Progress = Callable[[int], Any]


def _batches(records: Iterable[GeneratedEntity], size: int) -> Iterator[list[GeneratedEntity]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def _as_datetime(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _check(record: GeneratedEntity, municipalities: set[str]) -> None:
    """The rules the one-at-a-time services apply, without a query per row."""
    if record.kind not in Entity.Kind.values:
        raise ValidationError(f"{record.key}: unknown kind {record.kind!r}")
    if record.status not in (EntryStatus.VALIDATED, EntryStatus.PROPOSED):
        raise ValidationError(f"{record.key}: bulk loads validated entries or proposals only")
    if not record.names or not record.names[0].full_name.strip():
        raise ValidationError(f"{record.key}: no name")
    validate_partial_date(record.birth_date)
    if any(not ISO2.fullmatch(c) for c in record.nationalities):
        raise ValidationError(f"{record.key}: nationalities must be ISO 3166-1 alpha-2")
    for nis, _street in record.addresses:
        if nis not in municipalities:
            raise ValidationError(f"{record.key}: unknown municipality {nis}")
    if record.status == EntryStatus.VALIDATED:
        if not record.memberships:
            raise ValidationError(f"{record.key}: a validated entry needs a category")
        if record.threat_level not in (1, 2, 3, 4):
            raise ValidationError(f"{record.key}: threat level is 1 to 4")
        seen = set()
        for category, sub_status in record.memberships:
            allowed = SUB_STATUSES.get(category)
            if allowed is None or category in seen:
                raise ValidationError(f"{record.key}: bad or repeated category {category!r}")
            if (sub_status not in allowed) if allowed else sub_status:
                raise ValidationError(f"{record.key}: sub-status {sub_status!r} not in {category}")
            seen.add(category)


class _Context:
    """What every batch needs, looked up once."""

    def __init__(self) -> None:
        self.system = system_user()
        self.organisations = {o.code: o.pk for o in Organisation.objects.only("pk", "code")}
        self.validator = (
            User.objects.filter(organisation__code=orgs.OCAM, role=Role.VALIDATOR, is_active=True)
            .order_by("date_joined")
            .first()
        )
        self.municipalities = set(Municipality.objects.values_list("nis_code", flat=True))
        # Keys of entities loaded in this run, for relations that cross batches.
        self.ids: dict[str, Any] = {}


def _load_batch(batch: list[GeneratedEntity], ctx: _Context) -> tuple[str, str]:
    for record in batch:
        _check(record, ctx.municipalities)
    now = timezone.now()
    validator = ctx.validator
    persons = [r for r in batch if r.kind == Entity.Kind.PERSON]
    groups = [r for r in batch if r.kind != Entity.Kind.PERSON]
    # Same prefixes as entity_propose: P for persons, O for organisations.
    references = iter(next_references("P", len(persons)))
    group_references = iter(next_references("O", len(groups)))
    entities: list[Entity] = []
    names: list[EntityName] = []
    memberships: list[CategoryMembership] = []
    addresses: list[Address] = []
    documents: list[IdentityDocument] = []
    contributions: list[Contribution] = []
    relations: list[Relation] = []
    changes: list[RecordChange] = []
    for record in batch:
        validated = record.status == EntryStatus.VALIDATED
        validated_on = record.validated_on or now.date()
        validated_at = _as_datetime(validated_on) if validated else None
        match = PARTIAL_DATE.match(record.birth_date)
        proposer = record.proposed_by_organisation or (
            record.contributions[0].organisation if record.contributions else orgs.FEDERAL_POLICE
        )
        entity = Entity(
            reference=next(references if record.kind == Entity.Kind.PERSON else group_references),
            kind=record.kind,
            status=record.status,
            display_name=record.names[0].full_name.strip()[:300],
            birth_date=record.birth_date,
            birth_year=int(match.group(1)) if match else None,
            birth_place=record.birth_place,
            gender=record.gender,
            nationalities=list(record.nationalities),
            threat_level=record.threat_level if validated else None,
            proposed_by_organisation_id=ctx.organisations[proposer],
            validated_by=validator if validated else None,
            validated_at=validated_at,
            review_due=(
                review_due_from(record.last_reviewed_on or validated_on) if validated else None
            ),
            created_at=validated_at or now,
            updated_at=now,
        )
        ctx.ids[record.key] = entity.id
        entities.append(entity)
        for name in record.names:
            full = name.full_name.strip()[:300]
            names.append(
                EntityName(
                    entity=entity,
                    full_name=full,
                    given_names=name.given_names[:200],
                    surname=name.surname[:200],
                    name_type=name.name_type,
                    script=detect_script(full),
                    normalised=normalise_name(full),
                )
            )
        if validated:
            for category, sub_status in record.memberships:
                memberships.append(
                    CategoryMembership(
                        entity=entity,
                        category=category,
                        sub_status=sub_status,
                        since=validated_on,
                        validated_by=validator,
                        validated_at=validated_at,
                    )
                )
        for nis, street in record.addresses:
            addresses.append(
                Address(entity=entity, municipality_id=nis, street=street[:200], since=None)
            )
        for document_type, number, country in record.documents:
            documents.append(
                IdentityDocument(
                    entity=entity,
                    document_type=document_type,
                    number=number.upper()[:40],
                    country=country.upper(),
                )
            )
        for item in record.contributions:
            contributions.append(
                Contribution(
                    entity=entity,
                    organisation_id=ctx.organisations[item.organisation],
                    text=item.text,
                    reliability=item.reliability,
                    credibility=item.credibility,
                    status=EntryStatus.VALIDATED if validated else EntryStatus.PROPOSED,
                    validated_by=validator if validated else None,
                    created_at=validated_at or now,
                    updated_at=now,
                )
            )
        for kind, target_key in record.relations:
            target = ctx.ids.get(target_key)
            if target is None:
                raise ValidationError(f"{record.key}: relation to unknown {target_key!r}")
            relations.append(Relation(source_id=entity.id, target_id=target, kind=kind))
        changes.append(
            RecordChange(
                entity=entity,
                changed_at=now,
                changed_by=ctx.system,
                action="seed",
                after={"status": record.status, "threat_level": entity.threat_level},
                reason="fictitious data (vigie seed)",
            )
        )
    Entity.objects.bulk_create(entities)
    EntityName.objects.bulk_create(names)
    NameToken.objects.bulk_create(
        NameToken(entity_id=entity_id, token=token)
        for entity_id, token in {
            (name.entity_id, token)
            for name in names
            for token in NameToken.tokens_of(name.normalised)
        }
    )
    CategoryMembership.objects.bulk_create(memberships)
    Address.objects.bulk_create(addresses)
    IdentityDocument.objects.bulk_create(documents)
    Contribution.objects.bulk_create(contributions)
    Relation.objects.bulk_create(relations)
    RecordChange.objects.bulk_create(changes)
    return entities[0].reference, entities[-1].reference


def entity_bulk_load(
    *,
    records: Iterable[GeneratedEntity],
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> int:
    """Insert generated entities in batches; returns how many. Each batch is one transaction
    and one journal event (`entity.seed`) by the system actor, so a failure loses one batch
    at most and the journal says exactly which references were seeded."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    ctx = _Context()
    total = 0
    if connection.vendor == "sqlite":
        # SQLite's default page cache is 2 MB: random UUID keys make every index insert miss
        # it once the tables outgrow it. 256 MB for this connection keeps the load linear.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    for batch in _batches(records, batch_size):
        with transaction.atomic():
            first, last = _load_batch(batch, ctx)
            record_event(
                actor=ctx.system,
                action="entity.seed",
                target_type="entity",
                domain=DOMAIN,
                detail={"count": len(batch), "first_reference": first, "last_reference": last},
            )
        total += len(batch)
        if progress is not None:
            progress(len(batch))
    return total


def person_count() -> int:
    """How many persons the database holds, whatever their status (seeding decides on it)."""
    return Entity.objects.filter(kind=Entity.Kind.PERSON).count()


def entity_count() -> int:
    return Entity.objects.count()


def municipality_codes() -> list[str]:
    return list(Municipality.objects.order_by("nis_code").values_list("nis_code", flat=True))


def serial_start() -> int:
    """A number no earlier seed used: references only ever grow, so their sum does too."""
    from django.db.models import Sum

    from vigie.core.models import ReferenceCounter

    total = ReferenceCounter.objects.filter(prefix__in=("P", "O")).aggregate(n=Sum("last"))["n"]
    return int(total or 0)
