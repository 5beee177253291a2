"""API of administrative measures (/api/v1/measures) and the national list
(/api/v1/national-list): thin over selectors and services. Lists: {"items", "count"},
limit/offset; changes of a case or an advice need If-Match."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.errors import HttpError

from vigie.core.api_common import check_page, if_match_version, set_etag

from . import national_list, selectors, services
from .schemas import (
    AdviceIn,
    AdvicePatch,
    AnswerIn,
    AppealIn,
    AppealOutcomeIn,
    CaseIn,
    ConsultIn,
    DecisionIn,
    ReasonIn,
    ReviewIn,
    ScreenIn,
    advice_row,
    case_detail,
    case_row,
    consultation_row,
)

router = Router(tags=["measures"])
list_router = Router(tags=["national list"])


def _case(request: HttpRequest, case_id: UUID):  # type: ignore[no-untyped-def]
    return selectors.case_for_change(actor=request.auth, case_id=case_id)


def _detail(request: HttpRequest, case_id: UUID, response: HttpResponse) -> dict[str, Any]:
    case, view = selectors.case_get(actor=request.auth, case_id=case_id)
    set_etag(response, case)
    return case_detail(case, view, request.auth)


# --- Cases ---------------------------------------------------------------------------------------


@router.get("", summary="Cases the caller may see")
def case_list(
    request: HttpRequest,
    measure_type: str = "",
    family: str = "",
    status: str = "",
    entity_reference: str = "",
    owner: str = "",
    reference: str = "",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    check_page(limit, offset)
    filters = selectors.CaseFilters(
        measure_type=measure_type,
        family=family,
        status=status,
        entity_reference=entity_reference,
        owner=owner,
        reference=reference,
    )
    page, count = selectors.case_list(
        actor=request.auth, filters=filters, limit=limit, offset=offset
    )
    return {"items": [case_row(c) for c in page], "count": count}


@router.post("", response={201: dict}, summary="Open a case on the body's own initiative")
def case_open(request: HttpRequest, payload: CaseIn) -> Status:
    case = services.case_open(actor=request.auth, data=services.CaseInput(**payload.dict()))
    case, view = selectors.case_get(actor=request.auth, case_id=case.id)
    return Status(201, case_detail(case, view, request.auth))


@router.post("/proposals", response={201: dict}, summary="A partner proposes a measure")
def case_propose(request: HttpRequest, payload: CaseIn) -> Status:
    data = payload.dict(exclude={"consult", "deadline"})
    case = services.case_propose(actor=request.auth, data=services.CaseInput(**data))
    return Status(201, case_row(case))


@router.get("/inbox", summary="Advice sent to the caller's authority")
def inbox(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.inbox(actor=request.auth, limit=limit, offset=offset)
    return {
        "items": [
            {
                "id": r.advice_id,
                "reference": r.advice.reference,
                "case": r.advice.case.reference,
                "case_id": r.advice.case_id,
                "measure_type": r.advice.case.measure_type,
                "delivered_at": r.delivered_at,
                "acknowledged_at": r.acknowledged_at,
            }
            for r in page
        ],
        "count": count,
    }


@router.get("/statistics", summary="Per year and measure type (counts only)")
def statistics(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.statistics(actor=request.auth)
    if rows is None:
        raise HttpError(403, "Only the coordination body reads the statistics.")
    return {"items": rows, "count": len(rows)}


@router.get("/reviews/due", summary="Open reviews of asset freezes, by due date")
def reviews_due(request: HttpRequest) -> dict[str, Any]:
    rows = selectors.reviews_due(actor=request.auth)
    items = [
        {"id": r.id, "case": r.case.reference, "case_id": r.case_id, "due_on": r.due_on}
        for r in rows
    ]
    return {"items": items, "count": len(items)}


@router.get("/{case_id}", summary="A case, as the caller may see it")
def case_get(request: HttpRequest, case_id: UUID, response: HttpResponse) -> dict[str, Any]:
    return _detail(request, case_id, response)


@router.post("/{case_id}/take", summary="Become the case's owner (If-Match)")
def case_take(request: HttpRequest, case_id: UUID, response: HttpResponse) -> dict[str, Any]:
    case = services.case_take(
        actor=request.auth, case=_case(request, case_id), version=if_match_version(request)
    )
    set_etag(response, case)
    return case_row(case)


@router.post("/{case_id}/consultations", response={201: dict}, summary="Consult partners")
def consult(request: HttpRequest, case_id: UUID, payload: ConsultIn) -> Status:
    made = services.consultation_request(
        actor=request.auth, case=_case(request, case_id), **payload.dict()
    )
    return Status(201, {"items": [consultation_row(c) for c in made], "count": len(made)})


@router.post(
    "/consultations/{consultation_id}/answer", summary="A consulted partner answers (once)"
)
def consultation_answer(request: HttpRequest, consultation_id: UUID, payload: AnswerIn) -> dict:
    consultation = selectors.consultation_for_answer(
        actor=request.auth, consultation_id=consultation_id
    )
    done = services.consultation_answer(
        actor=request.auth, consultation=consultation, answer=payload.answer, text=payload.text
    )
    return consultation_row(done)


@router.post("/{case_id}/advices", response={201: dict}, summary="Draft an advice (template)")
def advice_create(request: HttpRequest, case_id: UUID, payload: AdviceIn) -> Status:
    advice = services.advice_create(
        actor=request.auth,
        case=_case(request, case_id),
        data=services.AdviceInput(**payload.dict()),
    )
    return Status(201, advice_row(advice))


@router.post("/{case_id}/decisions", response={201: dict}, summary="Record the decision")
def decision_record(request: HttpRequest, case_id: UUID, payload: DecisionIn) -> Status:
    decision = services.decision_record(
        actor=request.auth,
        case=_case(request, case_id),
        data=services.DecisionInput(**payload.dict()),
        version=if_match_version(request),
    )
    case, view = selectors.case_get(actor=request.auth, case_id=decision.case_id)
    return Status(201, case_detail(case, view, request.auth))


@router.post("/{case_id}/reviews/{review_id}", summary="Record a freeze review's outcome")
def review_record(
    request: HttpRequest, case_id: UUID, review_id: UUID, payload: ReviewIn
) -> dict[str, Any]:
    case = _case(request, case_id)
    review = next((r for r in case.reviews.all() if r.id == review_id), None)
    if review is None:
        raise HttpError(404, "Not found.")
    advice = None
    if payload.advice_id:
        advice = next((a for a in case.advices.all() if a.id == payload.advice_id), None)
        if advice is None:
            raise HttpError(422, "Unknown advice for this case.")
    services.review_record(
        actor=request.auth,
        review=review,
        outcome=payload.outcome,
        reasons=payload.reasons,
        advice=advice,
        decided_on=payload.decided_on,
    )
    case, view = selectors.case_get(actor=request.auth, case_id=case_id)
    return case_detail(case, view, request.auth)


@router.post("/{case_id}/appeals", response={201: dict}, summary="Record an appeal")
def appeal_record(request: HttpRequest, case_id: UUID, payload: AppealIn) -> Status:
    appeal = services.appeal_record(
        actor=request.auth, case=_case(request, case_id), **payload.dict()
    )
    return Status(201, {"id": appeal.id, "court": appeal.court, "outcome": appeal.outcome})


@router.post("/{case_id}/appeals/{appeal_id}/outcome", summary="Record an appeal's outcome")
def appeal_outcome(
    request: HttpRequest, case_id: UUID, appeal_id: UUID, payload: AppealOutcomeIn
) -> dict[str, Any]:
    case = _case(request, case_id)
    appeal = next((a for a in case.appeals.all() if a.id == appeal_id), None)
    if appeal is None:
        raise HttpError(404, "Not found.")
    appeal = services.appeal_outcome(actor=request.auth, appeal=appeal, **payload.dict())
    return {"id": appeal.id, "outcome": appeal.outcome, "outcome_on": appeal.outcome_on}


# --- Advice --------------------------------------------------------------------------------------


def _advice(request: HttpRequest, advice_id: UUID):  # type: ignore[no-untyped-def]
    return selectors.advice_for_change(actor=request.auth, advice_id=advice_id)


@router.get("/advices/{advice_id}", summary="An advice (the body; the authority it was sent to)")
def advice_get(request: HttpRequest, advice_id: UUID, response: HttpResponse) -> dict:
    advice = selectors.advice_get(actor=request.auth, advice_id=advice_id)
    set_etag(response, advice)
    return advice_row(advice)


@router.patch("/advices/{advice_id}", summary="Edit a draft advice (If-Match)")
def advice_update(
    request: HttpRequest, advice_id: UUID, payload: AdvicePatch, response: HttpResponse
) -> dict:
    advice = services.advice_update(
        actor=request.auth,
        advice=_advice(request, advice_id),
        changes=payload.dict(exclude_unset=True),
        version=if_match_version(request),
    )
    set_etag(response, advice)
    return advice_row(advice)


def _advice_step(name: str):  # type: ignore[no-untyped-def]
    service = getattr(services, f"advice_{name}")

    def view(request: HttpRequest, advice_id: UUID, response: HttpResponse) -> dict:
        advice = service(
            actor=request.auth,
            advice=_advice(request, advice_id),
            version=if_match_version(request),
        )
        set_etag(response, advice)
        return advice_row(advice)

    view.__name__ = f"advice_{name}"
    return view


router.post("/advices/{advice_id}/submit", summary="Submit for approval")(_advice_step("submit"))
router.post("/advices/{advice_id}/approve", summary="Approve (four-eyes); issues the PDF")(
    _advice_step("approve")
)
router.post("/advices/{advice_id}/send", summary="Send to the authority's inbox")(
    _advice_step("send")
)


@router.post("/advices/{advice_id}/return", summary="Return to draft with a reason")
def advice_return(
    request: HttpRequest, advice_id: UUID, payload: ReasonIn, response: HttpResponse
) -> dict:
    advice = services.advice_return(
        actor=request.auth,
        advice=_advice(request, advice_id),
        reason=payload.reason,
        version=if_match_version(request),
    )
    set_etag(response, advice)
    return advice_row(advice)


@router.post("/advices/{advice_id}/acknowledge", summary="The authority acknowledges receipt")
def advice_acknowledge(request: HttpRequest, advice_id: UUID) -> dict[str, Any]:
    row = services.advice_acknowledge(actor=request.auth, advice=_advice(request, advice_id))
    return {"acknowledged_at": row.acknowledged_at, "acknowledged_by": row.acknowledged_by_username}


@router.get("/advices/{advice_id}/document", summary="The advice as issued (PDF)")
def advice_document(request: HttpRequest, advice_id: UUID) -> HttpResponse:
    advice = _advice(request, advice_id)
    document = selectors.advice_document(actor=request.auth, advice=advice)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Vigie-SHA256"] = document.sha256
    return response


# --- The national list ---------------------------------------------------------------------------


def _publication_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.id,
        "reference": p.reference,
        "created_at": p.created_at,
        "count": p.count,
        "content_hash": p.content_hash,
        "previous": p.previous.reference if p.previous_id else None,
    }


@list_router.get("", summary="The national list as it stands (entries)")
def national_list_current(request: HttpRequest) -> dict[str, Any]:
    entries = selectors.national_list_entries(actor=request.auth)
    return {"items": entries, "count": len(entries)}


@list_router.get("/publications", summary="Publications of the national list")
def publication_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.publication_list(actor=request.auth, limit=limit, offset=offset)
    return {"items": [_publication_out(p) for p in page], "count": count}


@list_router.post("/publications", response={200: dict, 201: dict}, summary="Publish now")
def publication_create(request: HttpRequest) -> Status:
    publication, new = services.publication_create(actor=request.auth)
    return Status(201 if new else 200, _publication_out(publication))


@list_router.get("/publications/{publication_id}", summary="A publication and its changes")
def publication_get(request: HttpRequest, publication_id: UUID) -> dict[str, Any]:
    publication = selectors.publication_get(actor=request.auth, publication_id=publication_id)
    return {
        **_publication_out(publication),
        "entries": publication.entries,
        "changes": selectors.publication_diff(publication),
    }


@list_router.get("/publications/{publication_id}/export", summary="csv, xlsx or ftm")
def publication_export(request: HttpRequest, publication_id: UUID, format: str = "csv") -> Any:
    if format not in national_list.FORMATS:
        raise HttpError(422, "format is csv, xlsx or ftm.")
    publication = selectors.publication_get(actor=request.auth, publication_id=publication_id)
    content = services.publication_export(actor=request.auth, publication=publication, fmt=format)
    _, content_type, extension = national_list.FORMATS[format]
    response = HttpResponse(content, content_type=content_type)
    filename = f"{publication.reference}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@list_router.post("/screen", summary="Screen the list against the database or given records")
def screen(request: HttpRequest, payload: ScreenIn) -> dict[str, Any]:
    try:
        hits = services.national_list_screen(
            actor=request.auth, against=payload.records, threshold=payload.threshold
        )
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    return {"items": hits, "count": len(hits)}
