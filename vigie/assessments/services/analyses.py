"""Strategic analyses (same review, marking, PDF and delivery as assessments), their topics,
and the register of critical infrastructure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from vigie.access.policy import AssessmentAction
from vigie.audit.services import record_event
from vigie.core.choices import Classification
from vigie.core.models import Municipality, User
from vigie.core.references import next_reference
from vigie.registry import selectors as registry_selectors

from ..choices import InfrastructureScope, InfrastructureSector, Language
from ..models import (
    AnalysisRecipient,
    CriticalInfrastructure,
    Event,
    StrategicAnalysis,
    ThreatAssessment,
    Topic,
)
from . import workflow
from .assessments import _organisations
from .common import DOMAIN, check_version, clean_text, require


@dataclass
class AnalysisInput:
    title: str
    topic: str
    period_start: date
    period_end: date
    text: str
    classification: int = Classification.RESTREINT
    restricted_diffusion: bool = False
    language: str = Language.FR
    review_date: date | None = None
    entity_ids: list[Any] = field(default_factory=list)
    event_ids: list[Any] = field(default_factory=list)
    assessment_ids: list[Any] = field(default_factory=list)
    infrastructure_ids: list[Any] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)


def _links(actor: User, analysis: StrategicAnalysis, data: AnalysisInput) -> None:
    entities = [
        registry_selectors.entity_for_change(actor=actor, entity_id=i) for i in data.entity_ids
    ]
    for ids, model, name in (
        (data.event_ids, Event, "event_ids"),
        (data.assessment_ids, ThreatAssessment, "assessment_ids"),
        (data.infrastructure_ids, CriticalInfrastructure, "infrastructure_ids"),
    ):
        found = list(model.objects.filter(pk__in=ids))
        if len(found) != len(set(map(str, ids))):
            raise ValidationError({name: _("Unknown linked record.")})
        getattr(analysis, name.replace("_ids", "s")).set(found)
    analysis.entities.set(entities)


def _check(analysis: StrategicAnalysis) -> None:
    if analysis.period_end < analysis.period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if analysis.classification not in Classification.values or analysis.classification < 1:
        raise ValidationError(
            {"classification": _("An analysis is classified: RESTREINT to TRÈS SECRET.")}
        )
    if analysis.language not in Language.values:
        raise ValidationError({"language": _("The document is issued in French or Dutch.")})
    if not Topic.objects.filter(pk=analysis.topic_id, is_active=True).exists():
        raise ValidationError({"topic": _("Unknown topic.")})


def analysis_create(*, actor: User, data: AnalysisInput) -> StrategicAnalysis:
    require(actor, AssessmentAction.WRITE)
    with transaction.atomic():
        analysis = StrategicAnalysis(
            reference=next_reference("SA", width=4),
            title=clean_text(data.title, "title", 300),
            topic_id=data.topic,
            period_start=data.period_start,
            period_end=data.period_end,
            text=clean_text(data.text, "text", 200_000),
            classification=data.classification,
            restricted_diffusion=data.restricted_diffusion,
            language=data.language,
            review_date=data.review_date,
            author=actor,
        )
        if not analysis.title:
            raise ValidationError({"title": _("Give a title.")})
        _check(analysis)
        analysis.full_clean(exclude=["document", "author", "topic"])
        analysis.save()
        _links(actor, analysis, data)
        if data.distribution:
            analysis.distribution.set(_organisations(data.distribution))
        record_event(
            actor=actor,
            action="analysis.create",
            target_type="analysis",
            target_id=analysis.id,
            domain=DOMAIN,
            detail={"reference": analysis.reference, "topic": analysis.topic_id},
        )
        return analysis


def analysis_update(
    *, actor: User, analysis: StrategicAnalysis, data: AnalysisInput, version: int | None
) -> StrategicAnalysis:
    """Replace a draft's content (every field given). Approved versions are immutable."""
    require(actor, AssessmentAction.WRITE, analysis)
    with transaction.atomic():
        analysis = workflow.locked(analysis, version)
        workflow.refuse_frozen(actor, analysis)
        analysis.title = clean_text(data.title, "title", 300)
        analysis.topic_id = data.topic
        analysis.period_start, analysis.period_end = data.period_start, data.period_end
        analysis.text = clean_text(data.text, "text", 200_000)
        analysis.classification = data.classification
        analysis.restricted_diffusion = data.restricted_diffusion
        analysis.language = data.language
        analysis.review_date = data.review_date
        _check(analysis)
        workflow.bump(analysis)
        analysis.save()
        _links(actor, analysis, data)
        analysis.distribution.set(_organisations(data.distribution))
        record_event(
            actor=actor,
            action="analysis.update",
            target_type="analysis",
            target_id=analysis.id,
            domain=DOMAIN,
        )
        return analysis


def _ready(analysis: StrategicAnalysis) -> None:
    if not analysis.text.strip():
        raise ValidationError({"text": _("Write the analysis.")})


def analysis_submit(*, actor: User, analysis: StrategicAnalysis, version: int | None):  # type: ignore[no-untyped-def]
    return workflow.submit(actor=actor, obj=analysis, version=version, check=_ready)


def analysis_return(*, actor: User, analysis: StrategicAnalysis, reason: str, version: int | None):  # type: ignore[no-untyped-def]
    return workflow.return_to_draft(actor=actor, obj=analysis, reason=reason, version=version)


def analysis_document_context(analysis: StrategicAnalysis) -> tuple[str, dict[str, Any]]:
    from vigie.documents.rendering import marking_text

    language = analysis.language
    return "assessments/pdf/analysis_{language}.html", {
        "language": language,
        "a": analysis,
        "reference": analysis.reference,
        "revision": analysis.revision,
        "marking": marking_text(analysis.classification, analysis.restricted_diffusion, language),
        "topic": analysis.topic.name_nl if language == "nl" else analysis.topic.name_fr,
        "distribution": [
            o.name_nl if language == "nl" else o.name_fr for o in workflow.recipients_of(analysis)
        ],
        "infrastructures": list(analysis.infrastructures.all()),
        "assessments": list(analysis.assessments.all()),
        "date": timezone.localdate(),
    }


def analysis_approve(*, actor: User, analysis: StrategicAnalysis, version: int | None):  # type: ignore[no-untyped-def]
    return workflow.approve(
        actor=actor, obj=analysis, version=version, document_context=analysis_document_context
    )


def analysis_deliver(*, actor: User, analysis: StrategicAnalysis, version: int | None):  # type: ignore[no-untyped-def]
    return workflow.deliver(
        actor=actor, obj=analysis, version=version, delivery_model=AnalysisRecipient
    )


def analysis_acknowledge(*, actor: User, analysis: StrategicAnalysis) -> AnalysisRecipient:
    return workflow.acknowledge(actor=actor, obj=analysis)


def _copy(source: StrategicAnalysis, actor: User) -> StrategicAnalysis:
    names = [
        "title", "topic_id", "period_start", "period_end", "text", "classification",
        "restricted_diffusion", "language", "review_date",
    ]  # fmt: skip
    new = StrategicAnalysis(
        reference=source.reference,
        revision=source.revision + 1,
        previous=source,
        author=actor,
        **{n: getattr(source, n) for n in names},
    )
    new.save(force_insert=True)
    for relation in ("entities", "events", "assessments", "infrastructures", "distribution"):
        getattr(new, relation).set(getattr(source, relation).all())
    return new


def analysis_correct(*, actor: User, analysis: StrategicAnalysis) -> StrategicAnalysis:
    return workflow.correct(actor=actor, obj=analysis, copy=_copy)


def topic_add(*, actor: User, name_en: str, name_fr: str, name_nl: str) -> Topic:
    """The body adds a topic of analysis (jihadism, far right, ... are there from the start)."""
    require(actor, AssessmentAction.WRITE)
    code = slugify(name_en)[:40]
    if not code or not name_fr.strip() or not name_nl.strip():
        raise ValidationError({"name_en": _("Name the topic in English, French and Dutch.")})
    with transaction.atomic():
        if Topic.objects.filter(pk=code).exists():
            raise ValidationError({"name_en": _("This topic exists already.")})
        topic = Topic.objects.create(
            code=code, name_en=name_en.strip(), name_fr=name_fr.strip(), name_nl=name_nl.strip()
        )
        record_event(
            actor=actor, action="topic.add", target_type="topic", target_id=code, domain=DOMAIN
        )
        return topic


# --- Critical infrastructure --------------------------------------------------------------


@dataclass
class InfrastructureInput:
    name: str
    sector: str
    operator: str
    municipality: str
    designation_reference: str
    designation_date: date
    scope: str = InfrastructureScope.NATIONAL
    classification: int = Classification.RESTREINT


def _fill(infra: CriticalInfrastructure, data: InfrastructureInput) -> None:
    if data.sector not in InfrastructureSector.values:
        raise ValidationError({"sector": _("Unknown sector.")})
    if data.scope not in InfrastructureScope.values:
        raise ValidationError({"scope": _("The scope is national or european.")})
    if not Municipality.objects.filter(pk=data.municipality).exists():
        raise ValidationError(
            {"municipality": _("Unknown municipality (NIS code %s).") % str(data.municipality)[:10]}
        )
    if data.designation_date > timezone.localdate():
        raise ValidationError({"designation_date": _("The designation date is in the future.")})
    infra.name = clean_text(data.name, "name", 300)
    infra.sector = data.sector
    infra.operator = clean_text(data.operator, "operator", 300)
    infra.municipality_id = data.municipality
    infra.designation_reference = clean_text(
        data.designation_reference, "designation_reference", 100
    )
    infra.designation_date = data.designation_date
    infra.scope = data.scope
    infra.classification = data.classification
    infra.full_clean()


def infrastructure_create(*, actor: User, data: InfrastructureInput) -> CriticalInfrastructure:
    require(actor, AssessmentAction.INFRASTRUCTURE_MANAGE)
    with transaction.atomic():
        infra = CriticalInfrastructure(reference=next_reference("CI", width=4), created_by=actor)
        _fill(infra, data)
        infra.save()
        record_event(
            actor=actor,
            action="infrastructure.create",
            target_type="infrastructure",
            target_id=infra.id,
            domain=DOMAIN,
            detail={"reference": infra.reference},
        )
        return infra


def infrastructure_update(
    *,
    actor: User,
    infrastructure: CriticalInfrastructure,
    data: InfrastructureInput,
    version: int | None,
) -> CriticalInfrastructure:
    require(actor, AssessmentAction.INFRASTRUCTURE_MANAGE, infrastructure)
    with transaction.atomic():
        infra = CriticalInfrastructure.objects.select_for_update().get(pk=infrastructure.pk)
        check_version(infra, version)
        _fill(infra, data)
        infra.version += 1
        infra.updated_at = timezone.now()
        infra.save()
        record_event(
            actor=actor,
            action="infrastructure.update",
            target_type="infrastructure",
            target_id=infra.id,
            domain=DOMAIN,
        )
        return infra
