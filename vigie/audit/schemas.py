"""API schemas of the journal search."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema
from pydantic import model_validator

from vigie.audit.models import AuditEvent
from vigie.audit.selectors import EventFilters


class EventQuery(Schema):
    """Filters (named after the fields) and pagination of `GET /api/v1/audit/events`."""

    actor: str | None = Field(None, max_length=150, description="Actor's username")
    organisation: str | None = Field(None, max_length=40, description="Organisation code")
    action: str | None = Field(None, max_length=60)
    outcome: Literal["done", "denied"] | None = None
    target_type: str | None = Field(None, max_length=60)
    target_id: str | None = Field(None, max_length=64)
    since: date | None = Field(None, description="From this date (Europe/Brussels), inclusive")
    until: date | None = Field(None, description="To this date (Europe/Brussels), inclusive")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)

    @model_validator(mode="after")
    def period_in_order(self) -> EventQuery:
        if self.since and self.until and self.since > self.until:
            raise ValueError("until must not be before since")
        return self

    def to_filters(self) -> EventFilters:
        return EventFilters.from_values(self.model_dump())


class EventOut(Schema):
    id: UUID
    reference: str
    seq: int
    occurred_at: datetime
    actor_id: UUID | None
    actor_username: str
    organisation: str
    actor_sector: str
    action: str
    domain: str
    target_type: str
    target_id: str
    purpose: str
    request_id: str
    outcome: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def from_event(cls, event: AuditEvent) -> EventOut:
        return cls(
            id=event.id,
            reference=event.reference,
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_username=event.actor_username,
            organisation=event.organisation_code,
            actor_sector=event.actor_sector,
            action=event.action,
            domain=event.domain,
            target_type=event.target_type,
            target_id=event.target_id,
            purpose=event.purpose,
            request_id=event.request_id,
            outcome=event.outcome,
            detail=event.detail,
            prev_hash=event.prev_hash,
            hash=event.hash,
        )


class EventPage(Schema):
    items: list[EventOut]
    count: int
