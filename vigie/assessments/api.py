"""API of assessments, intake, strategic analyses and critical infrastructure: thin over
selectors and services. Lists: {"items", "count"}, limit/offset; changes need If-Match."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.errors import HttpError

from vigie.core.api_common import check_page, if_match_version, set_etag
from vigie.core.selectors import user_by_username

from . import selectors, services
from .schemas import (
    AnalysisIn,
    AssessmentIn,
    AssessmentPatch,
    AssignIn,
    EventIn,
    InfrastructureIn,
    IntakeIn,
    PublicLevelOut,
    ReasonIn,
    StatusIn,
    TopicIn,
    analysis_detail,
    analysis_row,
    assessment_detail,
    assessment_row,
    infrastructure_row,
    intake_detail,
    intake_row,
)

router = Router(tags=["assessments"])


# --- Public general level -------------------------------------------------------------------


@router.get(
    "/threat-level",
    auth=None,
    response=list[PublicLevelOut],
    summary="The current general threat level (public): national and areas that differ",
)
def threat_level(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.general_level_current()


# --- Assessments ----------------------------------------------------------------------------


@router.get("/assessments", summary="Assessments the caller may open")
def assessment_list(
    request: HttpRequest,
    kind: str = "",
    status: str = "",
    level: int | None = None,
    reference: str = "",
    event: str = "",
    entity_reference: str = "",
    requester: str = "",
    current: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    check_page(limit, offset)
    filters = selectors.AssessmentFilters(
        kind=kind,
        status=status,
        level=level,
        reference=reference,
        event=event,
        entity_reference=entity_reference,
        requester=requester,
        current=current,
    )
    page, count = selectors.assessment_list(
        actor=request.auth, filters=filters, limit=limit, offset=offset
    )
    return {"items": [assessment_row(a) for a in page], "count": count}


@router.post("/assessments", response={201: dict}, summary="Draft an assessment (the body)")
def assessment_create(request: HttpRequest, payload: AssessmentIn) -> Status:
    assessment = services.assessment_create(
        actor=request.auth, data=services.AssessmentInput(**payload.dict())
    )
    return Status(201, assessment_detail(assessment))


@router.get("/assessments/as-known-on", summary="Which level applied on a date, and which text")
def as_known_on(request: HttpRequest, subject: str, on: date) -> dict[str, Any]:
    known = selectors.level_as_known_on(actor=request.auth, subject=subject, on=on)
    if known is None:
        return {"subject": subject, "on": on, "known": None}
    return {"subject": subject, "on": on, "known": known.__dict__}


@router.get("/assessments/general-level", summary="The general level's timeline")
def general_level(
    request: HttpRequest, area: str = "", limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.general_level_timeline(
        actor=request.auth, area=area, limit=limit, offset=offset
    )
    return {
        "items": [
            {
                "area": r.area,
                "level": r.level,
                "effective_from": r.effective_from,
                "assessment": r.assessment.reference,
                "revision": r.assessment.revision,
            }
            for r in page
        ],
        "count": count,
    }


@router.get("/assessments/{assessment_id}", summary="An assessment (clearance, need-to-know)")
def assessment_get(request: HttpRequest, assessment_id: UUID, response: HttpResponse) -> dict:
    assessment = selectors.assessment_get(actor=request.auth, assessment_id=assessment_id)
    set_etag(response, assessment)
    return {
        **assessment_detail(assessment),
        "changes": selectors.assessment_diff(actor=request.auth, assessment=assessment),
        "versions": [
            {"id": v.id, "revision": v.revision, "status": v.status}
            for v in selectors.versions_of(actor=request.auth, obj=assessment)
        ],
        "acknowledgements": selectors.acknowledgements(actor=request.auth, obj=assessment),
    }


def _assessment(request: HttpRequest, assessment_id: UUID):  # type: ignore[no-untyped-def]
    return selectors.assessment_for_change(actor=request.auth, assessment_id=assessment_id)


@router.patch("/assessments/{assessment_id}", summary="Edit a draft (If-Match)")
def assessment_update(
    request: HttpRequest, assessment_id: UUID, payload: AssessmentPatch, response: HttpResponse
) -> dict:
    assessment = services.assessment_update(
        actor=request.auth,
        assessment=_assessment(request, assessment_id),
        changes=payload.dict(exclude_unset=True),
        version=if_match_version(request),
    )
    set_etag(response, assessment)
    return assessment_detail(assessment)


def _transition(name: str):  # type: ignore[no-untyped-def]
    service = getattr(services, f"assessment_{name}")

    def view(request: HttpRequest, assessment_id: UUID, response: HttpResponse) -> dict:
        assessment = service(
            actor=request.auth,
            assessment=_assessment(request, assessment_id),
            version=if_match_version(request),
        )
        set_etag(response, assessment)
        return assessment_row(assessment)

    view.__name__ = f"assessment_{name}"
    return view


router.post("/assessments/{assessment_id}/submit", summary="Submit a draft for approval")(
    _transition("submit")
)
router.post(
    "/assessments/{assessment_id}/approve", summary="Approve (a validator who is not the author)"
)(_transition("approve"))
router.post("/assessments/{assessment_id}/deliver", summary="Deliver to the recipients")(
    _transition("deliver")
)


@router.post("/assessments/{assessment_id}/return", summary="Return a submitted text to draft")
def assessment_return(
    request: HttpRequest, assessment_id: UUID, payload: ReasonIn, response: HttpResponse
) -> dict:
    assessment = services.assessment_return(
        actor=request.auth,
        assessment=_assessment(request, assessment_id),
        reason=payload.reason,
        version=if_match_version(request),
    )
    set_etag(response, assessment)
    return assessment_row(assessment)


@router.post(
    "/assessments/{assessment_id}/correct",
    response={201: dict},
    summary="Correct an approved version: a new draft version",
)
def assessment_correct(request: HttpRequest, assessment_id: UUID) -> Status:
    new = services.assessment_correct(
        actor=request.auth, assessment=_assessment(request, assessment_id)
    )
    return Status(201, assessment_detail(new))


@router.post("/assessments/{assessment_id}/acknowledge", summary="Acknowledge receipt")
def assessment_acknowledge(request: HttpRequest, assessment_id: UUID) -> dict:
    row = services.assessment_acknowledge(
        actor=request.auth, assessment=_assessment(request, assessment_id)
    )
    return {"organisation": row.organisation.code, "acknowledged_at": row.acknowledged_at}


def _pdf(document: Any) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-SHA256"] = document.sha256
    return response


@router.get("/assessments/{assessment_id}/document", summary="The issued PDF")
def assessment_document(request: HttpRequest, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    return _pdf(selectors.document_for(actor=request.auth, obj=assessment))


@router.get("/inbox", summary="What was delivered to the caller's organisation")
def inbox(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    check_page(limit, offset)
    rows, count = selectors.inbox(actor=request.auth, limit=limit, offset=offset)
    return {"items": rows, "count": count}


# --- Intake -------------------------------------------------------------------------------


def _attachments(payload: IntakeIn) -> list[services.AttachmentInput]:
    items = []
    for a in payload.attachments:
        try:
            content = base64.b64decode(a.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise HttpError(422, f"{a.name}: the content is not valid base64.") from None
        items.append(services.AttachmentInput(name=a.name, content=content))
    return items


@router.post("/events", response={201: dict}, summary="Record an event to assess")
def event_create(request: HttpRequest, payload: EventIn) -> Status:
    event = services.event_create(actor=request.auth, data=services.EventInput(**payload.dict()))
    return Status(201, {"id": event.id, "reference": event.reference, "version": event.version})


@router.post("/intake", response={201: dict}, summary="Send a request or information report")
def intake_create(request: HttpRequest, payload: IntakeIn) -> Status:
    data = payload.dict(exclude={"attachments", "event"})
    item = services.intake_submit(
        actor=request.auth,
        data=services.IntakeInput(
            **data,
            event=services.EventInput(**payload.event.dict()) if payload.event else None,
            attachments=_attachments(payload),
        ),
    )
    return Status(201, intake_row(item))


@router.get("/intake", summary="Intake items the caller may see")
def intake_list(
    request: HttpRequest,
    status: str = "",
    urgency: str = "",
    kind: str = "",
    owner: str = "",
    open: bool | None = None,  # noqa: A002 — the filter's name
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.intake_list(
        actor=request.auth,
        filters=selectors.IntakeFilters(
            status=status, urgency=urgency, kind=kind, owner=owner, open=open
        ),
        limit=limit,
        offset=offset,
    )
    return {"items": [intake_row(i) for i in page], "count": count}


@router.get("/intake/board", summary="Open items: overdue, due today, later")
def intake_board(request: HttpRequest) -> dict[str, Any]:
    board = selectors.intake_board(actor=request.auth)
    return {column: [intake_row(i) for i in items] for column, items in board.items()}


@router.get("/intake/{intake_id}", summary="An intake item")
def intake_get(request: HttpRequest, intake_id: UUID, response: HttpResponse) -> dict:
    item = selectors.intake_get(actor=request.auth, intake_id=intake_id)
    set_etag(response, item)
    return intake_detail(item)


@router.post("/intake/{intake_id}/assign", summary="Give an item an owner (If-Match)")
def intake_assign(
    request: HttpRequest, intake_id: UUID, payload: AssignIn, response: HttpResponse
) -> dict:
    owner = user_by_username(payload.owner)
    if owner is None:
        raise HttpError(422, "Unknown owner.")
    item = services.intake_assign(
        actor=request.auth,
        item=selectors.intake_get(actor=request.auth, intake_id=intake_id),
        owner=owner,
        version=if_match_version(request),
    )
    set_etag(response, item)
    return intake_row(item)


@router.post("/intake/{intake_id}/status", summary="Move an item (If-Match)")
def intake_status(
    request: HttpRequest, intake_id: UUID, payload: StatusIn, response: HttpResponse
) -> dict:
    item = services.intake_set_status(
        actor=request.auth,
        item=selectors.intake_get(actor=request.auth, intake_id=intake_id),
        status=payload.status,
        version=if_match_version(request),
    )
    set_etag(response, item)
    return intake_row(item)


# --- Strategic analyses ---------------------------------------------------------------------


@router.get("/analyses/topics", summary="Topics of strategic analysis")
def topic_list(request: HttpRequest) -> dict[str, Any]:
    topics = selectors.topic_list()
    items = [{"code": t.code, "fr": t.name_fr, "nl": t.name_nl, "en": t.name_en} for t in topics]
    return {"items": items, "count": len(items)}


@router.post("/analyses/topics", response={201: dict}, summary="Add a topic (the body)")
def topic_create(request: HttpRequest, payload: TopicIn) -> Status:
    topic = services.topic_add(actor=request.auth, **payload.dict())
    return Status(201, {"code": topic.code})


@router.get("/analyses", summary="Strategic analyses the caller may open")
def analysis_list(
    request: HttpRequest, topic: str = "", status: str = "", limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.analysis_list(
        actor=request.auth, topic=topic, status=status, limit=limit, offset=offset
    )
    return {"items": [analysis_row(a) for a in page], "count": count}


@router.post("/analyses", response={201: dict}, summary="Draft a strategic analysis")
def analysis_create(request: HttpRequest, payload: AnalysisIn) -> Status:
    analysis = services.analysis_create(
        actor=request.auth, data=services.AnalysisInput(**payload.dict())
    )
    return Status(201, analysis_detail(analysis))


@router.get("/analyses/{analysis_id}", summary="A strategic analysis")
def analysis_get(request: HttpRequest, analysis_id: UUID, response: HttpResponse) -> dict:
    analysis = selectors.analysis_get(actor=request.auth, analysis_id=analysis_id)
    set_etag(response, analysis)
    return {
        **analysis_detail(analysis),
        "acknowledgements": selectors.acknowledgements(actor=request.auth, obj=analysis),
    }


def _analysis(request: HttpRequest, analysis_id: UUID):  # type: ignore[no-untyped-def]
    return selectors.analysis_for_change(actor=request.auth, analysis_id=analysis_id)


@router.put("/analyses/{analysis_id}", summary="Replace a draft's content (If-Match)")
def analysis_update(
    request: HttpRequest, analysis_id: UUID, payload: AnalysisIn, response: HttpResponse
) -> dict:
    analysis = services.analysis_update(
        actor=request.auth,
        analysis=_analysis(request, analysis_id),
        data=services.AnalysisInput(**payload.dict()),
        version=if_match_version(request),
    )
    set_etag(response, analysis)
    return analysis_detail(analysis)


@router.post("/analyses/{analysis_id}/return", summary="Return a submitted analysis to draft")
def analysis_return(
    request: HttpRequest, analysis_id: UUID, payload: ReasonIn, response: HttpResponse
) -> dict:
    analysis = services.analysis_return(
        actor=request.auth,
        analysis=_analysis(request, analysis_id),
        reason=payload.reason,
        version=if_match_version(request),
    )
    set_etag(response, analysis)
    return analysis_row(analysis)


@router.post("/analyses/{analysis_id}/{step}", summary="submit, approve or deliver (If-Match)")
def analysis_step(
    request: HttpRequest, analysis_id: UUID, step: str, response: HttpResponse
) -> dict:
    steps = {
        "submit": services.analysis_submit,
        "approve": services.analysis_approve,
        "deliver": services.analysis_deliver,
    }
    analysis = _analysis(request, analysis_id)
    if step == "acknowledge":
        row = services.analysis_acknowledge(actor=request.auth, analysis=analysis)
        return {"organisation": row.organisation.code, "acknowledged_at": row.acknowledged_at}
    if step == "correct":
        new = services.analysis_correct(actor=request.auth, analysis=analysis)
        set_etag(response, new)
        return analysis_detail(new)
    if step not in steps:
        raise HttpError(404, "Not found.")
    analysis = steps[step](actor=request.auth, analysis=analysis, version=if_match_version(request))
    set_etag(response, analysis)
    return analysis_row(analysis)


@router.get("/analyses/{analysis_id}/document", summary="The issued PDF")
def analysis_document(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    return _pdf(selectors.document_for(actor=request.auth, obj=_analysis(request, analysis_id)))


# --- Critical infrastructure ----------------------------------------------------------------


@router.get("/infrastructures", summary="The register of critical infrastructure")
def infrastructure_list(
    request: HttpRequest,
    sector: str = "",
    scope: str = "",
    municipality: str = "",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.infrastructure_list(
        actor=request.auth,
        sector=sector,
        scope=scope,
        municipality=municipality,
        limit=limit,
        offset=offset,
    )
    return {"items": [infrastructure_row(i) for i in page], "count": count}


@router.post("/infrastructures", response={201: dict}, summary="Register an infrastructure")
def infrastructure_create(request: HttpRequest, payload: InfrastructureIn) -> Status:
    infra = services.infrastructure_create(
        actor=request.auth, data=services.InfrastructureInput(**payload.dict())
    )
    return Status(201, infrastructure_row(infra))


@router.get("/infrastructures/{infrastructure_id}", summary="An infrastructure and its analyses")
def infrastructure_get(
    request: HttpRequest, infrastructure_id: UUID, response: HttpResponse
) -> dict:
    infra = selectors.infrastructure_get(actor=request.auth, infrastructure_id=infrastructure_id)
    set_etag(response, infra)
    analyses = selectors.analyses_of_infrastructure(actor=request.auth, infra=infra)
    return {**infrastructure_row(infra), "analyses": [analysis_row(a) for a in analyses]}


@router.put("/infrastructures/{infrastructure_id}", summary="Update an infrastructure (If-Match)")
def infrastructure_update(
    request: HttpRequest, infrastructure_id: UUID, payload: InfrastructureIn, response: HttpResponse
) -> dict:
    infra = services.infrastructure_update(
        actor=request.auth,
        infrastructure=selectors.infrastructure_get(
            actor=request.auth, infrastructure_id=infrastructure_id
        ),
        data=services.InfrastructureInput(**payload.dict()),
        version=if_match_version(request),
    )
    set_etag(response, infra)
    return infrastructure_row(infra)
