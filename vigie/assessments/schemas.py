"""API input and output of assessments, intake, analyses and infrastructure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from vigie.core.choices import THREAT_LEVEL_MEANINGS, ThreatLevel

from . import method
from .choices import OFFICIAL_LEVELS
from .models import CriticalInfrastructure, IntakeItem, StrategicAnalysis, ThreatAssessment


class EventIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    kind: str
    start_date: date
    end_date: date
    municipality: str = Field(max_length=5, description="NIS code")
    venue: str = Field("", max_length=300)
    expected_attendance: int | None = Field(None, ge=0)
    organiser: str = Field("", max_length=300)
    description: str = Field("", max_length=20000)


class AttachmentIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(description="the file, base64-encoded")


class IntakeIn(Schema):
    kind: str = Field(description="request or report")
    urgency: str = Field(description="flash, urgent or routine")
    summary: str = Field(min_length=1, max_length=20000)
    subject_kind: str = ""
    event: EventIn | None = None
    event_id: UUID | None = None
    threatened_person: str = Field("", max_length=300)
    threat_source_id: UUID | None = None
    requested_deadline: datetime | None = None
    classification: int = 0
    restricted_diffusion: bool = False
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=10)


class AssignIn(Schema):
    owner: str = Field(description="username of an analyst of the body")


class StatusIn(Schema):
    status: str


class AssessmentIn(Schema):
    kind: str
    rationale: str = Field("", max_length=50000)
    ratings: dict[str, int] = Field(default_factory=dict)
    level: int | None = Field(None, ge=1, le=4)
    level_justification: str = Field("", max_length=20000)
    classification: int = Field(1, ge=1, le=4)
    restricted_diffusion: bool = False
    language: str = "fr"
    review_date: date | None = None
    event_id: UUID | None = None
    threatened_person: str = Field("", max_length=300)
    entity_id: UUID | None = None
    area_levels: dict[str, int] = Field(default_factory=dict)
    intake_id: UUID | None = None
    distribution: list[str] = Field(default_factory=list, description="organisation codes")


class AssessmentPatch(Schema):
    rationale: str | None = Field(None, max_length=50000)
    ratings: dict[str, int] | None = None
    level: int | None = Field(None, ge=1, le=4)
    level_justification: str | None = Field(None, max_length=20000)
    classification: int | None = Field(None, ge=1, le=4)
    restricted_diffusion: bool | None = None
    language: str | None = None
    review_date: date | None = None
    area_levels: dict[str, int] | None = None
    distribution: list[str] | None = None


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=5000)


class AnalysisIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    topic: str
    period_start: date
    period_end: date
    text: str = Field(min_length=1, max_length=200000)
    classification: int = Field(1, ge=1, le=4)
    restricted_diffusion: bool = False
    language: str = "fr"
    review_date: date | None = None
    entity_ids: list[UUID] = Field(default_factory=list)
    event_ids: list[UUID] = Field(default_factory=list)
    assessment_ids: list[UUID] = Field(default_factory=list)
    infrastructure_ids: list[UUID] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)


class TopicIn(Schema):
    name_en: str = Field(min_length=1, max_length=200)
    name_fr: str = Field(min_length=1, max_length=200)
    name_nl: str = Field(min_length=1, max_length=200)


class InfrastructureIn(Schema):
    name: str = Field(min_length=1, max_length=300)
    sector: str
    operator: str = Field(min_length=1, max_length=300)
    municipality: str = Field(max_length=5)
    designation_reference: str = Field(min_length=1, max_length=100)
    designation_date: date
    scope: str = "national"
    classification: int = Field(1, ge=0, le=4)


class PublicLevelOut(Schema):
    area: str
    level: int
    since: date


def level_out(value: int | None) -> dict[str, Any] | None:
    """The level with its label (interface language) and the official FR/NL wording."""
    if value is None:
        return None
    level = ThreatLevel(value)
    return {
        "value": value,
        "label": str(level.label),
        "meaning": str(THREAT_LEVEL_MEANINGS[level]),
        "official": {
            lang: {"label": label, "meaning": meaning}
            for lang, (label, meaning) in OFFICIAL_LEVELS[value].items()
        },
    }


def _review(obj: Any) -> dict[str, Any]:
    return {
        "id": obj.id,
        "reference": obj.reference,
        "revision": obj.revision,
        "version": obj.version,
        "status": obj.status,
        "classification": obj.classification,
        "classification_label": str(obj.get_classification_display()),
        "restricted_diffusion": obj.restricted_diffusion,
        "language": obj.language,
        "author": obj.author.username if obj.author_id else "",
        "validator": obj.validator.username if obj.validator_id else "",
        "submitted_at": obj.submitted_at,
        "approved_at": obj.approved_at,
        "delivered_at": obj.delivered_at,
        "returned_reason": obj.returned_reason,
        "review_date": obj.review_date,
        "document_sha256": obj.document.sha256 if obj.document_id else None,
        "created_at": obj.created_at,
    }


def assessment_row(a: ThreatAssessment) -> dict[str, Any]:
    from .selectors import subject_of

    return {
        **_review(a),
        "kind": a.kind,
        "subject": subject_of(a),
        "level": level_out(a.level),
        "valid_from": a.valid_from,
        "valid_until": a.valid_until,
        "expired": a.expired_at is not None,
        "superseded_by": a.superseded_by_id,
        "requester": a.requester_organisation.code if a.requester_organisation_id else None,
        "own_initiative": a.own_initiative,
    }


def assessment_detail(a: ThreatAssessment) -> dict[str, Any]:
    return {
        **assessment_row(a),
        "rationale": a.rationale,
        "ratings": a.ratings,
        "factors": {f: str(method.FACTOR_LABELS.get(f, f)) for f in method.factors_for(a.kind)},
        "proposed_level": a.proposed_level,
        "level_justification": a.level_justification,
        "intake": a.intake_id,
        "previous": a.previous_id,
        "distribution": [o.code for o in a.distribution.all()],
        "recipients": [r.organisation.code for r in a.recipients.all()],
    }


def intake_row(item: IntakeItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "reference": item.reference,
        "version": item.version,
        "kind": item.kind,
        "subject_kind": item.subject_kind,
        "requester": item.requester_organisation.code,
        "urgency": item.urgency,
        "deadline": item.deadline,
        "overdue": item.is_overdue,
        "status": item.status,
        "owner": item.owner.username if item.owner_id else None,
        "event": item.event.reference if item.event_id else None,
        "classification": item.classification,
    }


def intake_detail(item: IntakeItem) -> dict[str, Any]:
    return {
        **intake_row(item),
        "summary": item.summary,
        "threatened_person": item.threatened_person,
        "threat_source_reference": item.threat_source_reference,
        "restricted_diffusion": item.restricted_diffusion,
        "attachments": [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in item.attachments.all()
        ],
        "assessments": [f"{a.reference} v{a.revision}" for a in item.assessments.all()],
    }


def analysis_row(a: StrategicAnalysis) -> dict[str, Any]:
    return {
        **_review(a),
        "title": a.title,
        "topic": a.topic_id,
        "period_start": a.period_start,
        "period_end": a.period_end,
    }


def analysis_detail(a: StrategicAnalysis) -> dict[str, Any]:
    return {
        **analysis_row(a),
        "text": a.text,
        "previous": a.previous_id,
        "entities": [e.reference for e in a.entities.all()],
        "events": [e.reference for e in a.events.all()],
        "assessments": [f"{t.reference} v{t.revision}" for t in a.assessments.all()],
        "infrastructures": [i.reference for i in a.infrastructures.all()],
        "distribution": [o.code for o in a.distribution.all()],
        "recipients": [r.organisation.code for r in a.recipients.all()],
    }


def infrastructure_row(i: CriticalInfrastructure) -> dict[str, Any]:
    return {
        "id": i.id,
        "reference": i.reference,
        "version": i.version,
        "name": i.name,
        "sector": i.sector,
        "operator": i.operator,
        "municipality": i.municipality_id,
        "designation_reference": i.designation_reference,
        "designation_date": i.designation_date,
        "scope": i.scope,
        "classification": i.classification,
    }
