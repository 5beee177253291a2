"""API input (pydantic via django-ninja) and the plain-data views of a case per reader."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Schema

from vigie.access.policy import MeasureView

from . import rules
from .models import Advice, MeasureCase


class CaseIn(Schema):
    measure_type: str
    reasons: str
    entity_id: UUID | None = None
    entity_reference: str = ""
    consult: list[str] | None = None
    deadline: date | None = None


class ConsultIn(Schema):
    organisations: list[str]
    deadline: date | None = None
    question: str = ""


class AnswerIn(Schema):
    answer: str
    text: str


class AdviceIn(Schema):
    kind: str = "initial"
    language: str = "fr"
    classification: int = 1
    restricted_diffusion: bool = True


class AdvicePatch(Schema):
    facts: str | None = None
    criteria: str | None = None
    proportionality: str | None = None
    consultations_outcome: str | None = None
    recommendation: str | None = None
    recommendation_text: str | None = None
    classification: int | None = None
    restricted_diffusion: bool | None = None
    language: str | None = None


class ReasonIn(Schema):
    reason: str


class DecisionIn(Schema):
    outcome: str
    decided_on: date
    reference: str
    period_start: date | None = None
    period_end: date | None = None
    published_on: date | None = None


class ReviewIn(Schema):
    outcome: str
    reasons: str
    advice_id: UUID | None = None
    decided_on: date | None = None


class AppealIn(Schema):
    court: str
    lodged_on: date
    reference: str = ""


class AppealOutcomeIn(Schema):
    outcome: str
    outcome_on: date
    notes: str = ""


class ScreenIn(Schema):
    records: list[dict[str, Any]] | None = None
    threshold: float | None = None


def case_row(case: MeasureCase) -> dict[str, Any]:
    return {
        "id": case.id,
        "reference": case.reference,
        "measure_type": case.measure_type,
        "family": case.family,
        "status": case.status,
        "entity_reference": case.entity_reference,
        "entity_name": case.entity_name,
        "authority": case.authority.code,
        "origin": case.origin,
        "period_start": case.period_start,
        "period_end": case.period_end,
        "version": case.version,
    }


def advice_row(advice: Advice, full: bool = True) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": advice.id,
        "reference": advice.reference,
        "kind": advice.kind,
        "language": advice.language,
        "status": advice.status,
        "classification": advice.classification,
        "sent_at": advice.sent_at,
        "sha256": advice.document.sha256 if advice.document_id else None,
        "version": advice.version,
    }
    if full:
        row |= {
            name: getattr(advice, name)
            for name in (
                "facts",
                "criteria",
                "proportionality",
                "consultations_outcome",
                "recommendation",
                "recommendation_text",
                "returned_reason",
            )
        }
        row["author"] = advice.author.username
        row["validator"] = advice.validator.username if advice.validator_id else None
        row["recipients"] = [
            {
                "organisation": r.organisation.code,
                "delivered_at": r.delivered_at,
                "acknowledged_at": r.acknowledged_at,
                "acknowledged_by": r.acknowledged_by_username,
            }
            for r in advice.recipients.all()
        ]
    return row


def _decisions(case: MeasureCase) -> list[dict[str, Any]]:
    return [
        {
            "outcome": d.outcome,
            "decided_on": d.decided_on,
            "reference": d.reference,
            "period_start": d.period_start,
            "period_end": d.period_end,
            "published_on": d.published_on,
            "kind": d.advice.kind,
        }
        for d in case.decisions.all()
    ]


def case_detail(case: MeasureCase, view: str, actor: Any = None) -> dict[str, Any]:
    """The case as its reader may see it: the body everything; a consulted partner the summary
    and its consultation; the proposer its proposal and the outcome; the authority the advice
    sent to it and the decision."""
    competence = rules.competence_of(case.measure_type)
    data = case_row(case) | {
        "view": view,
        "legal_basis": str(competence.legal_basis),
        "decisions": _decisions(case),
    }
    org_id = getattr(actor, "organisation_id", None)
    if view == MeasureView.FULL:
        data |= {
            "reasons": case.reasons,
            "owner": case.owner.username if case.owner_id else None,
            "proposer_organisation": (
                case.proposer_organisation.code if case.proposer_organisation_id else None
            ),
            "renewals": case.renewals,
            "linked_to": case.linked_to.reference if case.linked_to_id else None,
            "linked_cases": [c.reference for c in case.linked_cases.all()],
            "ended_on": case.ended_on,
            "end_reason": case.end_reason,
            "consultations": [consultation_row(c) for c in case.consultations.all()],
            "advices": [advice_row(a) for a in case.advices.all()],
            "reviews": [
                {
                    "id": r.id,
                    "due_on": r.due_on,
                    "outcome": r.outcome,
                    "reasons": r.reasons,
                    "reminded_at": r.reminded_at,
                }
                for r in case.reviews.all()
            ],
            "appeals": [
                {
                    "id": a.id,
                    "court": a.court,
                    "lodged_on": a.lodged_on,
                    "reference": a.reference,
                    "outcome": a.outcome,
                    "outcome_on": a.outcome_on,
                }
                for a in case.appeals.all()
            ],
            "history": [
                {
                    "at": e.at,
                    "by": e.by_username,
                    "organisation": e.by_organisation,
                    "action": e.action,
                    "detail": e.detail,
                }
                for e in case.events.all()
            ],
        }
    elif view == MeasureView.CONSULTED:
        data["reasons"] = case.reasons
        data["consultations"] = [
            consultation_row(c) for c in case.consultations.all() if c.organisation_id == org_id
        ]
    elif view == MeasureView.PROPOSER:
        data["reasons"] = case.reasons
    elif view == MeasureView.AUTHORITY:
        data["advices"] = [
            advice_row(a, full=False)
            for a in case.advices.all()
            if any(r.organisation_id == org_id for r in a.recipients.all())
        ]
    return data


def consultation_row(c: Any) -> dict[str, Any]:
    return {
        "id": c.id,
        "organisation": c.organisation.code,
        "deadline": c.deadline,
        "question": c.question,
        "answer": c.answer,
        "answer_text": c.answer_text,
        "answered_at": c.answered_at,
        "answered_by": c.answered_by_username,
        "late": c.is_late(),
    }
