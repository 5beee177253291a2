"""Threat assessments: draft, method, four-eyes, issue, delivery, correction, expiry."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.access.policy import AssessmentAction
from vigie.audit.services import record_event
from vigie.core.choices import Classification
from vigie.core.models import Organisation, Province, User
from vigie.core.references import next_reference
from vigie.registry import assessment_services as registry_levels
from vigie.registry import selectors as registry_selectors

from .. import method
from ..choices import (
    BRUSSELS_REGION,
    NATIONAL,
    OFFICIAL_LEVELS,
    AssessmentKind,
    IntakeStatus,
    Language,
    ReviewStatus,
)
from ..models import Event, GeneralThreatLevel, IntakeItem, Recipient, ThreatAssessment
from . import workflow
from .common import DOMAIN, check_version, clean_text, require

EDITABLE = (
    "rationale",
    "ratings",
    "level",
    "level_justification",
    "classification",
    "restricted_diffusion",
    "language",
    "review_date",
    "area_levels",
    "distribution",
)


@dataclass
class AssessmentInput:
    kind: str
    rationale: str = ""
    ratings: dict[str, int] = field(default_factory=dict)
    level: int | None = None
    level_justification: str = ""
    classification: int = Classification.RESTREINT
    restricted_diffusion: bool = False
    language: str = Language.FR
    review_date: date | None = None
    event_id: Any = None
    threatened_person: str = ""
    entity_id: Any = None
    area_levels: dict[str, int] = field(default_factory=dict)
    intake_id: Any = None
    distribution: list[str] = field(default_factory=list)  # organisation codes


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def subject_key(assessment: ThreatAssessment) -> str:
    """Same subject, same key: the newer approved assessment supersedes the older."""
    kind = assessment.kind
    if kind == AssessmentKind.EVENT:
        return f"event:{assessment.event_id}"
    if kind == AssessmentKind.THREATENED_PERSON:
        return f"person:{_fold(assessment.threatened_person)}"[:80]
    if kind == AssessmentKind.THREAT_SOURCE:
        return f"entity:{assessment.entity_reference}"
    return f"area:{NATIONAL}"


def valid_area(code: str) -> bool:
    return code == BRUSSELS_REGION or Province.objects.filter(pk=code).exists()


def _clean_area_levels(values: dict[str, Any], national: int | None) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for code, level in (values or {}).items():
        if not valid_area(str(code)):
            raise ValidationError(
                {
                    "area_levels": _("Unknown area %s: give a province or the Brussels region.")
                    % code
                }
            )
        if level not in (1, 2, 3, 4):
            raise ValidationError({"area_levels": _("The threat level is 1, 2, 3 or 4.")})
        if national is not None and level == national:
            raise ValidationError(
                {
                    "area_levels": _(
                        "Give a level per area only where it differs from the national one."
                    )
                }
            )
        cleaned[str(code)] = level
    return cleaned


def _organisations(codes: list[str]) -> list[Organisation]:
    found = list(Organisation.objects.filter(code__in=codes, is_active=True))
    missing = sorted(set(codes) - {o.code for o in found})
    if missing:
        raise ValidationError(
            {"distribution": _("Unknown organisation: %s.") % ", ".join(missing[:5])}
        )
    return found


def _apply_method(assessment: ThreatAssessment, *, complete: bool) -> None:
    """Ratings checked; the proposal computed; a level that departs from it justified."""
    if assessment.ratings or complete:
        if complete:
            assessment.ratings = method.clean_ratings(assessment.kind, assessment.ratings)
        else:
            partial = {k: v for k, v in assessment.ratings.items()}
            expected = method.factors_for(assessment.kind)
            method.clean_ratings(
                assessment.kind, {**{f: 0 for f in expected}, **partial}
            )  # values and names only
        if all(f in assessment.ratings for f in method.factors_for(assessment.kind)):
            assessment.proposed_level = method.propose_level(assessment.kind, assessment.ratings)
        else:
            assessment.proposed_level = None
    if assessment.level is not None and assessment.level not in (1, 2, 3, 4):
        raise ValidationError({"level": _("The threat level is 1, 2, 3 or 4.")})
    if (
        assessment.level is not None
        and assessment.proposed_level is not None
        and assessment.level != assessment.proposed_level
        and not assessment.level_justification.strip()
    ):
        raise ValidationError(
            {
                "level_justification": _(
                    "The level %(level)d differs from the method's proposal (%(proposed)d): "
                    "justify it in writing."
                )
                % {"level": assessment.level, "proposed": assessment.proposed_level}
            }
        )


def _check_common(assessment: ThreatAssessment) -> None:
    if assessment.classification not in Classification.values or assessment.classification < 1:
        raise ValidationError(
            {"classification": _("An assessment is classified: RESTREINT to TRÈS SECRET.")}
        )
    if assessment.language not in Language.values:
        raise ValidationError({"language": _("The document is issued in French or Dutch.")})


def assessment_create(*, actor: User, data: AssessmentInput) -> ThreatAssessment:
    """A draft, answering an intake item or on the body's own initiative."""
    require(actor, AssessmentAction.WRITE)
    if data.kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Unknown kind of assessment.")})
    entity = None
    if data.kind == AssessmentKind.THREAT_SOURCE:
        if not data.entity_id:
            raise ValidationError({"entity_id": _("Choose the person or group in the database.")})
        entity = registry_selectors.entity_for_change(actor=actor, entity_id=data.entity_id)
    with transaction.atomic():
        intake = None
        if data.intake_id:
            intake = IntakeItem.objects.select_for_update().filter(pk=data.intake_id).first()
            if intake is None:
                raise ValidationError({"intake_id": _("Unknown request.")})
        assessment = ThreatAssessment(
            reference=next_reference("TA", width=4),
            kind=data.kind,
            author=actor,
            intake=intake,
            requester_organisation=intake.requester_organisation if intake else None,
            rationale=clean_text(data.rationale, "rationale"),
            ratings=dict(data.ratings or {}),
            level=data.level,
            level_justification=clean_text(data.level_justification, "level_justification"),
            classification=data.classification,
            restricted_diffusion=data.restricted_diffusion,
            language=data.language,
            review_date=data.review_date,
        )
        if data.kind == AssessmentKind.EVENT:
            event = Event.objects.filter(pk=data.event_id).first() if data.event_id else None
            if event is None:
                raise ValidationError({"event_id": _("Choose the event.")})
            assessment.event = event
            assessment.valid_from, assessment.valid_until = event.start_date, event.end_date
        elif data.kind == AssessmentKind.THREATENED_PERSON:
            assessment.threatened_person = clean_text(
                data.threatened_person, "threatened_person", 300
            )
            if not assessment.threatened_person:
                raise ValidationError(
                    {"threatened_person": _("Name the threatened person and their office.")}
                )
        elif data.kind == AssessmentKind.THREAT_SOURCE:
            assessment.entity = entity
            assessment.entity_reference = entity.reference
        else:
            assessment.area = NATIONAL
            assessment.area_levels = _clean_area_levels(data.area_levels, data.level)
        assessment.subject_key = subject_key(assessment)
        _check_common(assessment)
        _apply_method(assessment, complete=False)
        assessment.full_clean(exclude=["document", "author"])
        assessment.save()
        if data.distribution:
            assessment.distribution.set(_organisations(data.distribution))
        if intake is not None and intake.status in {IntakeStatus.RECEIVED, IntakeStatus.ASSIGNED}:
            intake.status = IntakeStatus.IN_PROGRESS
            if intake.owner_id is None:
                intake.owner = actor
            intake.version += 1
            intake.save()
        record_event(
            actor=actor,
            action="assessment.create",
            target_type="assessment",
            target_id=assessment.id,
            domain=DOMAIN,
            detail={
                "reference": assessment.reference,
                "kind": assessment.kind,
                "intake": intake.reference if intake else "",
            },
        )
        return assessment


def assessment_update(
    *, actor: User, assessment: ThreatAssessment, changes: dict[str, Any], version: int | None
) -> ThreatAssessment:
    """Edit a draft. An approved version is immutable (409): correct it instead."""
    require(actor, AssessmentAction.WRITE, assessment)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError({k: [_("This field cannot be changed.")] for k in unknown})
    with transaction.atomic():
        assessment = workflow.locked(assessment, version)
        workflow.refuse_frozen(actor, assessment)
        distribution = changes.pop("distribution", None)
        for name, value in changes.items():
            if name in {"rationale", "level_justification"}:
                value = clean_text(value or "", name)
            setattr(assessment, name, value)
        if assessment.kind == AssessmentKind.GENERAL:
            assessment.area_levels = _clean_area_levels(assessment.area_levels, assessment.level)
        _check_common(assessment)
        _apply_method(assessment, complete=False)
        assessment.full_clean(exclude=["document", "author"])
        workflow.bump(assessment)
        assessment.save()
        if distribution is not None:
            assessment.distribution.set(_organisations(distribution))
        record_event(
            actor=actor,
            action="assessment.update",
            target_type="assessment",
            target_id=assessment.id,
            domain=DOMAIN,
            detail={"fields": sorted(changes) + (["distribution"] if distribution else [])},
        )
        return assessment


def _ready_for_review(assessment: ThreatAssessment) -> None:
    _apply_method(assessment, complete=True)
    if assessment.level is None:
        raise ValidationError({"level": _("Set the level.")})
    if not assessment.rationale.strip():
        raise ValidationError({"rationale": _("Write the rationale.")})
    today = timezone.localdate()
    if assessment.kind == AssessmentKind.EVENT:
        if assessment.event.end_date < today:
            raise ValidationError({"event_id": _("The event is over.")})
    elif assessment.review_date is None or assessment.review_date <= today:
        raise ValidationError(
            {"review_date": _("Give a review date in the future: it ends the validity.")}
        )
    else:
        assessment.valid_until = assessment.review_date


def assessment_submit(
    *, actor: User, assessment: ThreatAssessment, version: int | None
) -> ThreatAssessment:
    return workflow.submit(actor=actor, obj=assessment, version=version, check=_ready_for_review)


def assessment_return(
    *, actor: User, assessment: ThreatAssessment, reason: str, version: int | None
) -> ThreatAssessment:
    return workflow.return_to_draft(actor=actor, obj=assessment, reason=reason, version=version)


def document_context(assessment: ThreatAssessment) -> tuple[str, dict[str, Any]]:
    from vigie.documents.rendering import marking_text

    language = assessment.language
    label, meaning = OFFICIAL_LEVELS[assessment.level][language]
    areas = []
    for code, level in sorted(assessment.area_levels.items()):
        province = Province.objects.filter(pk=code).first()
        name = (
            (province.name_nl if language == "nl" else province.name_fr)
            if province
            else (
                "Brussels Hoofdstedelijk Gewest"
                if language == "nl"
                else "Région de Bruxelles-Capitale"
            )
        )
        areas.append({"name": name, "level": level, "label": OFFICIAL_LEVELS[level][language][0]})
    return "assessments/pdf/assessment_{language}.html", {
        "language": language,
        "a": assessment,
        "reference": assessment.reference,
        "revision": assessment.revision,
        "marking": marking_text(
            assessment.classification, assessment.restricted_diffusion, language
        ),
        "level_label": label,
        "level_meaning": meaning,
        "areas": areas,
        "factors": [
            {"name": factor, "rating": assessment.ratings.get(factor)}
            for factor in method.factors_for(assessment.kind)
        ],
        "distribution": [
            o.name_nl if language == "nl" else o.name_fr for o in workflow.recipients_of(assessment)
        ],
        "date": timezone.localdate(),
    }


def _on_approve(assessment: ThreatAssessment, actor: User) -> dict[str, Any]:
    """Supersede older assessments of the subject; carry the level where it applies."""
    older = ThreatAssessment.objects.filter(
        subject_key=assessment.subject_key,
        status__in=[ReviewStatus.APPROVED, ReviewStatus.DELIVERED],
        superseded_by__isnull=True,
    ).exclude(pk=assessment.pk)
    superseded = [f"{a.reference} v{a.revision}" for a in older]
    older.update(superseded_by=assessment)
    detail: dict[str, Any] = {"level": assessment.level, "supersedes": superseded}
    if assessment.kind == AssessmentKind.THREAT_SOURCE and assessment.entity_id:
        entity = registry_levels.threat_level_set_by_assessment(
            entity_id=assessment.entity_id,
            level=assessment.level,
            assessment_reference=assessment.reference,
            actor=actor,
        )
        detail["entity_level_set"] = entity is not None
    if assessment.kind == AssessmentKind.GENERAL:
        now = assessment.approved_at
        GeneralThreatLevel.objects.create(
            assessment=assessment, area=NATIONAL, level=assessment.level, effective_from=now
        )
        for code, level in assessment.area_levels.items():
            GeneralThreatLevel.objects.create(
                assessment=assessment, area=code, level=level, effective_from=now
            )
    return detail


def assessment_approve(
    *, actor: User, assessment: ThreatAssessment, version: int | None
) -> ThreatAssessment:
    return workflow.approve(
        actor=actor,
        obj=assessment,
        version=version,
        document_context=document_context,
        on_approve=_on_approve,
    )


def assessment_deliver(
    *, actor: User, assessment: ThreatAssessment, version: int | None
) -> ThreatAssessment:
    with transaction.atomic():
        delivered = workflow.deliver(
            actor=actor, obj=assessment, version=version, delivery_model=Recipient
        )
        intake = delivered.intake
        if intake is not None and intake.status not in {
            IntakeStatus.ANSWERED,
            IntakeStatus.CLOSED,
        }:
            intake.status = IntakeStatus.ANSWERED
            intake.answered_at = timezone.now()
            intake.version += 1
            intake.save()
        return delivered


def assessment_acknowledge(*, actor: User, assessment: ThreatAssessment) -> Recipient:
    return workflow.acknowledge(actor=actor, obj=assessment)


COPIED = [
    f.name
    for f in fields(AssessmentInput)
    if f.name not in {"event_id", "entity_id", "intake_id", "distribution"}
] + [
    "event_id",
    "entity_id",
    "entity_reference",
    "intake_id",
    "requester_organisation_id",
    "subject_key",
    "area",
    "proposed_level",
    "valid_from",
    "valid_until",
]


def _copy(source: ThreatAssessment, actor: User) -> ThreatAssessment:
    new = ThreatAssessment(
        reference=source.reference,
        revision=source.revision + 1,
        previous=source,
        author=actor,
        **{name: getattr(source, name) for name in COPIED},
    )
    new.save(force_insert=True)
    new.distribution.set(source.distribution.all())
    return new


def assessment_correct(*, actor: User, assessment: ThreatAssessment) -> ThreatAssessment:
    """A correction of an approved assessment: a new draft version; the old stays readable."""
    return workflow.correct(actor=actor, obj=assessment, copy=_copy)


def assessments_expire(*, today: date | None = None) -> list[ThreatAssessment]:
    """Mark approved assessments past their validity as expired; e-mail each author."""
    today = today or timezone.localdate()
    expired = []
    with transaction.atomic():
        due = (
            ThreatAssessment.objects.select_for_update()
            .filter(
                status__in=[ReviewStatus.APPROVED, ReviewStatus.DELIVERED],
                expired_at__isnull=True,
                valid_until__lt=today,
            )
            .select_related("author")
        )
        now = timezone.now()
        for assessment in due:
            assessment.expired_at = now
            assessment.save(update_fields=["expired_at"])
            expired.append(assessment)
            record_event(
                actor=None,
                action="assessment.expire",
                target_type="assessment",
                target_id=assessment.id,
                domain=DOMAIN,
                detail={"reference": assessment.reference, "revision": assessment.revision},
            )
            if assessment.author.email:
                send_mail(
                    _("Vigie: %(reference)s has expired") % {"reference": assessment.reference},
                    _(
                        "The assessment %(reference)s (version %(revision)d) is past its "
                        "validity (%(until)s). Review it or make a new assessment."
                    )
                    % {
                        "reference": assessment.reference,
                        "revision": assessment.revision,
                        "until": assessment.valid_until.isoformat(),
                    },
                    None,
                    [assessment.author.email],
                    fail_silently=True,
                )
    return expired


__all__ = [
    "AssessmentInput",
    "assessment_acknowledge",
    "assessment_approve",
    "assessment_correct",
    "assessment_create",
    "assessment_deliver",
    "assessment_return",
    "assessment_submit",
    "assessment_update",
    "assessments_expire",
    "check_version",
]
