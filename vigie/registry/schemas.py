"""API schemas of the common database. The answer says which view it is: full or card."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from vigie.core.choices import THREAT_LEVEL_MEANINGS, ThreatLevel

from .models import Entity


class NameIn(Schema):
    full_name: str = Field(min_length=1, max_length=300)
    name_type: str = "primary"
    given_names: str = Field("", max_length=200)
    surname: str = Field("", max_length=200)


class AddressIn(Schema):
    municipality: str = Field(description="NIS code of the municipality", max_length=5)
    street: str = Field("", max_length=200)


class DocumentIn(Schema):
    document_type: str
    number: str = Field(max_length=40)
    country: str = Field(min_length=2, max_length=2)


class ProposalIn(Schema):
    kind: str = Field("person", description="person or organisation")
    names: list[NameIn] = Field(min_length=1, max_length=50)
    birth_date: str = Field("", description="YYYY, YYYY-MM or YYYY-MM-DD", max_length=10)
    birth_place: str = Field("", max_length=200)
    gender: str = Field("", max_length=1)
    nationalities: list[str] = Field(default_factory=list, max_length=10)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)
    recommended_action: str = Field("", max_length=5000)
    contribution: str = Field("", max_length=20000)
    reliability: str = "F"
    credibility: str = "6"
    restricted_diffusion: bool = False
    classification: int | str | None = Field(
        None, description="Must be empty: the database holds unclassified information only."
    )


class MembershipIn(Schema):
    category: str
    sub_status: str = ""
    criteria_met: list[str] = Field(default_factory=list)


class ValidateIn(Schema):
    memberships: list[MembershipIn] = Field(min_length=1)
    threat_level: int = Field(ge=1, le=4)


class RejectIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class ReviewIn(Schema):
    outcome: str = Field(description="maintain, change or propose_removal")
    reasons: str = Field(min_length=1, max_length=20000)
    threat_level: int | None = Field(None, ge=1, le=4)


class RemoveIn(Schema):
    reason: str = Field("", max_length=5000)


class EntityPatch(Schema):
    birth_date: str | None = Field(None, max_length=10)
    birth_place: str | None = Field(None, max_length=200)
    gender: str | None = Field(None, max_length=1)
    nationalities: list[str] | None = Field(None, max_length=10)
    recommended_action: str | None = Field(None, max_length=5000)


class ContributionIn(Schema):
    text: str = Field(min_length=1, max_length=20000)
    reliability: str = "F"
    credibility: str = "6"
    restricted_diffusion: bool = False
    classification: int | str | None = None


class DecisionIn(Schema):
    accept: bool
    reason: str = Field("", max_length=5000)


class RelationIn(Schema):
    target: UUID
    kind: str


class HitCheckIn(Schema):
    name: str = Field(min_length=2, max_length=300)
    birth_date: str = Field("", max_length=10)


class HitCheckOut(Schema):
    listed: bool
    contact: str


class LevelOut(Schema):
    value: int
    label: str
    meaning: str


class MembershipOut(Schema):
    category: str
    sub_status: str
    criteria_met: list[str] = []
    since: date | None = None


class EntityOut(Schema):
    """A list row or a card; full records add the fields of EntityFullOut."""

    view: str
    id: UUID
    reference: str
    kind: str
    status: str
    name: str
    birth_date: str
    nationalities: list[str]
    threat_level: LevelOut | None
    categories: list[MembershipOut]
    version: int


class NameOut(Schema):
    full_name: str
    name_type: str
    script: str


class AddressOut(Schema):
    municipality: str
    municipality_name: str
    arrondissement: str
    street: str


class ContributionOut(Schema):
    id: UUID
    organisation: str
    text: str
    reliability: str
    credibility: str
    restricted_diffusion: bool
    status: str
    created_at: datetime


class CardOut(EntityOut):
    names: list[NameOut]
    recommended_action: str
    contact_point: str


class EntityFullOut(CardOut):
    birth_place: str
    gender: str
    addresses: list[AddressOut]
    documents: list[DocumentIn]
    contributions: list[ContributionOut]
    review_due: date | None
    validated_at: datetime | None


def level_out(value: int | None) -> LevelOut | None:
    if value is None:
        return None
    level = ThreatLevel(value)
    return LevelOut(value=value, label=str(level.label), meaning=str(THREAT_LEVEL_MEANINGS[level]))


def entity_row(entity: Entity, view: str) -> dict:
    return {
        "view": view,
        "id": entity.id,
        "reference": entity.reference,
        "kind": entity.kind,
        "status": entity.status,
        "name": entity.display_name,
        "birth_date": entity.birth_date,
        "nationalities": entity.nationalities,
        "threat_level": level_out(entity.threat_level),
        "categories": [
            {"category": m.category, "sub_status": m.sub_status, "since": m.since}
            for m in entity.memberships.all()
        ],
        "version": entity.version,
    }
