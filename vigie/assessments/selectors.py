"""Every read of assessments, analyses, intake and infrastructure: the access policy applied
(`vigie.access.policy`), each read journaled. What the reader may not open is "not found"
(404), and the attempt is journaled as denied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vigie.access.policy import (
    document_scope_filter,
    document_visible,
    infrastructure_scope_filter,
    intake_scope_filter,
    intake_visible,
    is_body_analyst,
)
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.models import User
from vigie.documents.models import Document

from .choices import NATIONAL, AssessmentKind, IntakeStatus, ReviewStatus
from .models import (
    CriticalInfrastructure,
    GeneralThreatLevel,
    IntakeItem,
    StrategicAnalysis,
    ThreatAssessment,
    Topic,
)
from .services.common import DOMAIN, target_type_of

# Fields a reader compares between two versions of an assessment.
DIFF_FIELDS = (
    "level",
    "proposed_level",
    "ratings",
    "level_justification",
    "rationale",
    "classification",
    "restricted_diffusion",
    "language",
    "valid_from",
    "valid_until",
    "review_date",
    "area_levels",
)


def _journal_list(actor: User, action: str, page: list[Any], count: int, **detail: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        domain=DOMAIN,
        detail={"ids": [str(o.id) for o in page], "count": count, **detail},
    )


def _denied(actor: User, action: str, target_type: str, target_id: Any) -> Http404:
    record_event(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        outcome=Outcome.DENIED,
        domain=DOMAIN,
    )
    return Http404("not found")


def _visible(actor: User, model: type[Model]) -> QuerySet:
    q = document_scope_filter(actor)
    if q is None:
        return model.objects.none()
    return model.objects.filter(q).distinct()


# --- Assessments ---------------------------------------------------------------------------


@dataclass
class AssessmentFilters:
    kind: str = ""
    status: str = ""
    level: int | None = None
    reference: str = ""
    event: str = ""
    entity_reference: str = ""
    requester: str = ""  # organisation code
    current: bool | None = None  # not superseded and not expired


def assessment_list(
    *, actor: User, filters: AssessmentFilters | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[ThreatAssessment], int]:
    """The assessments the actor may open (clearance and need-to-know), newest first."""
    filters = filters or AssessmentFilters()
    qs = _visible(actor, ThreatAssessment)
    for name, lookup in (
        ("kind", "kind"),
        ("status", "status"),
        ("level", "level"),
        ("reference", "reference"),
        ("event", "event_id"),
        ("entity_reference", "entity_reference"),
        ("requester", "requester_organisation__code"),
    ):
        value = getattr(filters, name)
        if value not in ("", None):
            qs = qs.filter(**{lookup: value})
    if filters.current is True:
        qs = qs.filter(superseded_by__isnull=True, expired_at__isnull=True)
    elif filters.current is False:
        qs = qs.filter(Q(superseded_by__isnull=False) | Q(expired_at__isnull=False))
    qs = qs.order_by("-created_at", "-revision")
    count = qs.count()
    page = list(
        qs.select_related("event", "requester_organisation", "author", "validator")[
            offset : offset + limit
        ]
    )
    _journal_list(actor, "assessment.list", page, count)
    return page, count


def _recipient_ids(obj: Any) -> list[Any]:
    return [r.organisation_id for r in obj.recipients.all()]


def _open(actor: User, model: type[Model], obj_id: Any, action: str) -> Any:
    obj = (
        model.objects.filter(pk=obj_id)
        .select_related("author", "validator", "document")
        .prefetch_related("recipients__organisation", "distribution")
        .first()
    )
    kind = "assessment" if model is ThreatAssessment else "analysis"
    if obj is None or not document_visible(actor, obj, _recipient_ids(obj)):
        raise _denied(actor, action, kind, obj_id)
    record_event(
        actor=actor,
        action=action,
        target_type=kind,
        target_id=obj.id,
        domain=DOMAIN,
        detail={"reference": obj.reference, "revision": obj.revision},
    )
    return obj


def assessment_get(*, actor: User, assessment_id: Any) -> ThreatAssessment:
    """One assessment, if the actor's clearance and need-to-know allow it (journaled)."""
    return _open(actor, ThreatAssessment, assessment_id, "assessment.open")


def assessment_for_change(*, actor: User, assessment_id: Any) -> ThreatAssessment:
    """The assessment a write is about, if the actor may see it (else 404); services decide."""
    obj = ThreatAssessment.objects.filter(pk=assessment_id).first()
    if obj is None or not document_visible(actor, obj, _recipient_ids(obj)):
        raise _denied(actor, "assessment.change", "assessment", assessment_id)
    return obj


def versions_of(*, actor: User, obj: Any) -> list[Any]:
    """Every revision of the same reference the actor may open, oldest first."""
    return list(_visible(actor, type(obj)).filter(reference=obj.reference).order_by("revision"))


def assessment_diff(*, actor: User, assessment: ThreatAssessment) -> list[dict[str, Any]]:
    """What changed from the previous version: [{field, before, after}]."""
    previous = assessment.previous
    if previous is None or not document_visible(actor, previous, _recipient_ids(previous)):
        return []
    return diff(previous, assessment, DIFF_FIELDS)


def diff(old: Any, new: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append({"field": name, "before": _plain(before), "after": _plain(after)})
    return changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def acknowledgements(*, actor: User, obj: Any) -> list[dict[str, Any]]:
    """Who has and who has not acknowledged: for the body (the author follows it up)."""
    if not is_body_analyst(actor):
        return []
    return [
        {
            "organisation": r.organisation.code,
            "organisation_name": r.organisation.name,
            "delivered_at": r.delivered_at,
            "acknowledged_at": r.acknowledged_at,
            "acknowledged_by": r.acknowledged_by_username,
        }
        for r in obj.recipients.all()
    ]


def document_for(*, actor: User, obj: Any) -> Document:
    """The issued PDF of an approved version the actor may open (journaled download)."""
    kind = target_type_of(obj)
    if not document_visible(actor, obj, _recipient_ids(obj)) or obj.document_id is None:
        raise _denied(actor, f"{kind}.download", kind, obj.id)
    record_event(
        actor=actor,
        action=f"{kind}.download",
        target_type=kind,
        target_id=obj.id,
        domain=DOMAIN,
        detail={"sha256": obj.document.sha256},
    )
    return obj.document


def inbox(*, actor: User, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """What was delivered to the actor's organisation (assessments and analyses it may open)."""
    rows = []
    for model, kind in ((ThreatAssessment, "assessment"), (StrategicAnalysis, "analysis")):
        qs = _visible(actor, model).filter(
            status=ReviewStatus.DELIVERED, recipients__organisation_id=actor.organisation_id
        )
        for obj in qs.prefetch_related("recipients"):
            mine = next(
                r for r in obj.recipients.all() if r.organisation_id == actor.organisation_id
            )
            rows.append(
                {
                    "type": kind,
                    "id": obj.id,
                    "reference": obj.reference,
                    "revision": obj.revision,
                    "classification": obj.classification,
                    "delivered_at": mine.delivered_at,
                    "acknowledged_at": mine.acknowledged_at,
                }
            )
    rows.sort(key=lambda r: r["delivered_at"], reverse=True)
    page = rows[offset : offset + limit]
    record_event(
        actor=actor,
        action="inbox.list",
        domain=DOMAIN,
        detail={"ids": [str(r["id"]) for r in page], "count": len(rows)},
    )
    return page, len(rows)


# --- Intake -------------------------------------------------------------------------------


@dataclass
class IntakeFilters:
    status: str = ""
    urgency: str = ""
    kind: str = ""
    owner: str = ""  # username
    open: bool | None = None


OPEN_STATUSES = [IntakeStatus.RECEIVED, IntakeStatus.ASSIGNED, IntakeStatus.IN_PROGRESS]


def _intake_qs(actor: User) -> QuerySet[IntakeItem]:
    q = intake_scope_filter(actor)
    if q is None:
        return IntakeItem.objects.none()
    return IntakeItem.objects.filter(q)


def intake_list(
    *, actor: User, filters: IntakeFilters | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[IntakeItem], int]:
    filters = filters or IntakeFilters()
    qs = _intake_qs(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.urgency:
        qs = qs.filter(urgency=filters.urgency)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.owner:
        qs = qs.filter(owner__username=filters.owner)
    if filters.open is True:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.open is False:
        qs = qs.exclude(status__in=OPEN_STATUSES)
    qs = qs.order_by("deadline", "reference")
    count = qs.count()
    page = list(
        qs.select_related("requester_organisation", "owner", "event")[offset : offset + limit]
    )
    _journal_list(actor, "intake.list", page, count)
    return page, count


def intake_board(*, actor: User, now: datetime | None = None) -> dict[str, list[IntakeItem]]:
    """Open items in three columns: overdue, due today, later (each by deadline)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    end_of_today = timezone.make_aware(
        datetime.combine(today + timedelta(days=1), time.min), timezone.get_default_timezone()
    )
    items = list(
        _intake_qs(actor)
        .filter(status__in=OPEN_STATUSES)
        .select_related("requester_organisation", "owner", "event")
        .order_by("deadline", "reference")
    )
    board: dict[str, list[IntakeItem]] = {"overdue": [], "due_today": [], "later": []}
    for item in items:
        if item.deadline < now:
            board["overdue"].append(item)
        elif item.deadline < end_of_today:
            board["due_today"].append(item)
        else:
            board["later"].append(item)
    _journal_list(actor, "intake.board", items, len(items))
    return board


def intake_get(*, actor: User, intake_id: Any) -> IntakeItem:
    item = (
        IntakeItem.objects.filter(pk=intake_id)
        .select_related("requester_organisation", "owner", "event", "submitted_by")
        .prefetch_related("attachments", "assessments")
        .first()
    )
    if item is None or not intake_visible(actor, item):
        raise _denied(actor, "intake.open", "intake", intake_id)
    record_event(
        actor=actor, action="intake.open", target_type="intake", target_id=item.id, domain=DOMAIN
    )
    return item


# --- General level, "as known on" --------------------------------------------------------------


def _end_of(day: date) -> datetime:
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), time.min), timezone.get_default_timezone()
    )


def general_level_current(*, on: date | None = None) -> list[dict[str, Any]]:
    """The public general level: national, and each area that differs. Level and date only."""
    cutoff = _end_of(on) if on else timezone.now()
    national = (
        GeneralThreatLevel.objects.filter(area=NATIONAL, effective_from__lt=cutoff)
        .order_by("-effective_from")
        .first()
    )
    if national is None:
        return []
    rows = GeneralThreatLevel.objects.filter(assessment_id=national.assessment_id)
    ordered = sorted(rows, key=lambda r: (r.area != NATIONAL, r.area))
    return [
        {"area": r.area, "level": r.level, "since": timezone.localdate(r.effective_from)}
        for r in ordered
    ]


def general_level_timeline(
    *, actor: User, area: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[GeneralThreatLevel], int]:
    """Every step of the general level (the body and the recipients see which document)."""
    qs = GeneralThreatLevel.objects.select_related("assessment").order_by("-effective_from", "area")
    if area:
        qs = qs.filter(area=area)
    count = qs.count()
    page = list(qs[offset : offset + limit])
    record_event(
        actor=actor, action="general_level.timeline", domain=DOMAIN, detail={"count": count}
    )
    return page, count


@dataclass
class KnownLevel:
    level: int
    reference: str
    revision: int
    approved_at: datetime
    valid_from: date | None
    valid_until: date | None


def level_as_known_on(*, actor: User, subject: str, on: date) -> KnownLevel | None:
    """What level applied on `on` to `subject`, and which document said so.

    `subject`: `event:<uuid>`, `entity:<reference>` (a person or group of the database),
    `person:<name>` (a threatened person), or `area:<code>` (BE, a province, 04000).
    Only what was approved by the end of that day counts: the answer is what was known then.
    """
    cutoff = _end_of(on)
    if subject.startswith("area:"):
        area = subject.split(":", 1)[1] or NATIONAL
        national = (
            GeneralThreatLevel.objects.filter(area=NATIONAL, effective_from__lt=cutoff)
            .select_related("assessment")
            .order_by("-effective_from")
            .first()
        )
        if national is None:
            return None
        row = (
            GeneralThreatLevel.objects.filter(assessment_id=national.assessment_id, area=area)
            .select_related("assessment")
            .first()
            or national
        )
        found = row.assessment
        level = row.level
    else:
        from .services.assessments import _fold

        if subject.startswith("person:"):
            subject = "person:" + _fold(subject.split(":", 1)[1])
        qs = _visible(actor, ThreatAssessment).filter(
            subject_key=subject[:80],
            approved_at__lt=cutoff,
            status__in=[ReviewStatus.APPROVED, ReviewStatus.DELIVERED],
        )
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
        found = qs.order_by("-approved_at").first()
        if found is None:
            record_event(
                actor=actor, action="assessment.as_known_on", domain=DOMAIN, detail={"found": False}
            )
            return None
        level = found.level
    record_event(
        actor=actor,
        action="assessment.as_known_on",
        target_type="assessment",
        target_id=found.id,
        domain=DOMAIN,
        detail={"on": on.isoformat(), "found": True},
    )
    return KnownLevel(
        level=level,
        reference=found.reference,
        revision=found.revision,
        approved_at=found.approved_at,
        valid_from=found.valid_from,
        valid_until=found.valid_until,
    )


# --- Strategic analyses, topics, infrastructure -------------------------------------------------


def analysis_list(
    *, actor: User, topic: str = "", status: str = "", limit: int = 50, offset: int = 0
) -> tuple[list[StrategicAnalysis], int]:
    qs = _visible(actor, StrategicAnalysis)
    if topic:
        qs = qs.filter(topic_id=topic)
    if status:
        qs = qs.filter(status=status)
    qs = qs.order_by("-created_at", "-revision")
    count = qs.count()
    page = list(qs.select_related("topic")[offset : offset + limit])
    _journal_list(actor, "analysis.list", page, count)
    return page, count


def analysis_get(*, actor: User, analysis_id: Any) -> StrategicAnalysis:
    return _open(actor, StrategicAnalysis, analysis_id, "analysis.open")


def analysis_for_change(*, actor: User, analysis_id: Any) -> StrategicAnalysis:
    obj = StrategicAnalysis.objects.filter(pk=analysis_id).first()
    if obj is None or not document_visible(actor, obj, _recipient_ids(obj)):
        raise _denied(actor, "analysis.change", "analysis", analysis_id)
    return obj


def topic_list() -> list[Topic]:
    return list(Topic.objects.filter(is_active=True))


def _infra_qs(actor: User) -> QuerySet[CriticalInfrastructure]:
    q = infrastructure_scope_filter(actor)
    if q is None:
        return CriticalInfrastructure.objects.none()
    return CriticalInfrastructure.objects.filter(q)


def infrastructure_list(
    *,
    actor: User,
    sector: str = "",
    scope: str = "",
    municipality: str = "",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[CriticalInfrastructure], int]:
    qs = _infra_qs(actor)
    if sector:
        qs = qs.filter(sector=sector)
    if scope:
        qs = qs.filter(scope=scope)
    if municipality:
        qs = qs.filter(municipality_id=municipality)
    qs = qs.order_by("name", "id")
    count = qs.count()
    page = list(qs.select_related("municipality")[offset : offset + limit])
    _journal_list(actor, "infrastructure.list", page, count)
    return page, count


def infrastructure_get(*, actor: User, infrastructure_id: Any) -> CriticalInfrastructure:
    infra = _infra_qs(actor).filter(pk=infrastructure_id).first()
    if infra is None:
        raise _denied(actor, "infrastructure.open", "infrastructure", infrastructure_id)
    record_event(
        actor=actor,
        action="infrastructure.open",
        target_type="infrastructure",
        target_id=infra.id,
        domain=DOMAIN,
    )
    return infra


def analyses_of_infrastructure(*, actor: User, infra: CriticalInfrastructure) -> list[Any]:
    """The analyses concerning an infrastructure that the actor may open."""
    return list(_visible(actor, StrategicAnalysis).filter(infrastructures=infra))


def subject_of(assessment: ThreatAssessment) -> dict[str, Any]:
    """The subject as plain data, by kind."""
    if assessment.kind == AssessmentKind.EVENT and assessment.event:
        e = assessment.event
        return {
            "event": {
                "id": e.id,
                "reference": e.reference,
                "name": e.name,
                "start_date": e.start_date,
                "end_date": e.end_date,
                "municipality": e.municipality_id,
            }
        }
    if assessment.kind == AssessmentKind.THREATENED_PERSON:
        return {"threatened_person": assessment.threatened_person}
    if assessment.kind == AssessmentKind.THREAT_SOURCE:
        return {"entity_id": assessment.entity_id, "entity_reference": assessment.entity_reference}
    return {"area": assessment.area, "area_levels": assessment.area_levels}
