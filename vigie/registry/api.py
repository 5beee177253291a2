"""API of the common database: thin over selectors and services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from vigie.core.api_common import check_page, if_match_version
from vigie.registry import selectors, services
from vigie.registry.schemas import (
    ContributionIn,
    DecisionIn,
    EntityPatch,
    HitCheckIn,
    HitCheckOut,
    ProposalIn,
    RejectIn,
    RelationIn,
    RemoveIn,
    ReviewIn,
    ValidateIn,
    entity_row,
    level_out,
)

router = Router(tags=["common database"])
PURPOSE_HEADER = "HTTP_X_VIGIE_PURPOSE"


class ListFilters(Schema):
    name: str = ""
    category: str = ""
    sub_status: str = ""
    status: str = ""
    threat_level: int | None = None
    province: str = ""
    arrondissement: str = ""
    municipality: str = ""
    limit: int = 50
    offset: int = 0


def _page(filters: ListFilters) -> tuple[int, int]:
    check_page(filters.limit, filters.offset)
    return filters.limit, filters.offset


def _list(request: HttpRequest, filters: ListFilters, kind: str) -> dict[str, Any]:
    limit, offset = _page(filters)
    page, count, view = selectors.entity_list(
        actor=request.auth,
        filters=selectors.EntityFilters(kind=kind, **filters.dict(exclude={"limit", "offset"})),
        limit=limit,
        offset=offset,
        purpose=request.META.get(PURPOSE_HEADER, "").strip(),
    )
    return {"items": [entity_row(e, view) for e in page], "count": count}


def _detail(request: HttpRequest, entity_id: UUID, response: HttpResponse) -> dict[str, Any]:
    purpose = request.META.get(PURPOSE_HEADER, "").strip()
    if selectors.purpose_required(request.auth) and not purpose:
        raise HttpError(428, "Opening a full record needs a purpose (X-Vigie-Purpose header).")
    entity, view = selectors.entity_get(actor=request.auth, entity_id=entity_id, purpose=purpose)
    response["ETag"] = f'"{entity.version}"'
    return selectors.entity_detail(entity, view, request.auth)


@router.get("/persons", summary="Persons the caller may see (need-to-know)")
def person_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    return _list(request, filters, "person")


@router.get("/organisations", summary="Listed groups and organisations the caller may see")
def organisation_list(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    return _list(request, filters, "organisation")


@router.post("/persons/hit-check", response=HitCheckOut, summary="Listed or not (hit/no-hit)")
def person_hit_check(request: HttpRequest, payload: HitCheckIn) -> HitCheckOut:
    result = selectors.hit_check(
        actor=request.auth, name=payload.name, birth_date=payload.birth_date
    )
    return HitCheckOut(listed=result.listed, contact=result.contact)


# Declared before /persons/{entity_id}: routes match in order.
@router.get("/persons/due-for-review", summary="Listed entries whose review is due (the body)")
def review_due(
    request: HttpRequest, arrondissement: str = "", limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.review_due_list(
        actor=request.auth, arrondissement=arrondissement, limit=limit, offset=offset
    )
    return {
        "items": [{**entity_row(e, "full"), "review_due": e.review_due} for e in page],
        "count": count,
    }


@router.get("/persons/{entity_id}", summary="A person: full record or card, by profile")
def person_detail(request: HttpRequest, entity_id: UUID, response: HttpResponse) -> dict:
    return _detail(request, entity_id, response)


@router.get("/organisations/{entity_id}", summary="A listed organisation")
def organisation_detail(request: HttpRequest, entity_id: UUID, response: HttpResponse) -> dict:
    return _detail(request, entity_id, response)


@router.post("/proposals", summary="Propose a new person or organisation", response={201: dict})
def proposal_create(request: HttpRequest, payload: ProposalIn) -> Status:
    data = services.EntityInput(
        kind=payload.kind,
        names=[services.NameInput(**n.dict()) for n in payload.names],
        birth_date=payload.birth_date,
        birth_place=payload.birth_place,
        gender=payload.gender,
        nationalities=payload.nationalities,
        addresses=[services.AddressInput(**a.dict()) for a in payload.addresses],
        documents=[services.DocumentInput(**d.dict()) for d in payload.documents],
        recommended_action=payload.recommended_action,
    )
    entity = services.entity_propose(
        actor=request.auth,
        data=data,
        contribution_text=payload.contribution,
        reliability=payload.reliability,
        credibility=payload.credibility,
        restricted_diffusion=payload.restricted_diffusion,
        classification=payload.classification,
    )
    from vigie.screening.selectors import proposal_duplicates

    duplicates = proposal_duplicates(actor=request.auth, entity_id=entity.id)
    return Status(
        201,
        {
            "id": str(entity.id),
            "reference": entity.reference,
            "status": entity.status,
            "duplicates": duplicates,
        },
    )


@router.get("/proposals", summary="Proposals: the body sees all, a service its own")
def proposal_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    check_page(limit, offset)
    rows, count = selectors.proposal_list(actor=request.auth, limit=limit, offset=offset)
    return {"items": rows, "count": count}


def _entity(request: HttpRequest, entity_id: UUID):  # type: ignore[no-untyped-def]
    return selectors.entity_for_change(actor=request.auth, entity_id=entity_id)


@router.post("/proposals/{entity_id}/validate", summary="Validate a proposal (validators)")
def proposal_validate(request: HttpRequest, entity_id: UUID, payload: ValidateIn) -> dict:
    entity = services.entity_validate(
        actor=request.auth,
        entity=_entity(request, entity_id),
        memberships=[services.MembershipInput(**m.dict()) for m in payload.memberships],
        threat_level=payload.threat_level,
        version=if_match_version(request),
    )
    return {
        "id": str(entity.id),
        "reference": entity.reference,
        "status": entity.status,
        "threat_level": level_out(entity.threat_level),
    }


@router.post("/proposals/{entity_id}/reject", summary="Reject a proposal with a reason")
def proposal_reject(request: HttpRequest, entity_id: UUID, payload: RejectIn) -> dict:
    entity = services.entity_reject(
        actor=request.auth,
        entity=_entity(request, entity_id),
        reason=payload.reason,
        version=if_match_version(request),
    )
    return {"id": str(entity.id), "reference": entity.reference, "status": entity.status}


@router.post("/persons/{entity_id}/review", summary="Record the periodic review")
def person_review(request: HttpRequest, entity_id: UUID, payload: ReviewIn) -> dict:
    review = services.entity_review(
        actor=request.auth,
        entity=_entity(request, entity_id),
        outcome=payload.outcome,
        reasons=payload.reasons,
        threat_level=payload.threat_level,
        version=if_match_version(request),
    )
    return {
        "id": str(review.entity_id),
        "outcome": review.outcome,
        "review_due": review.entity.review_due,
    }


@router.post("/persons/{entity_id}/remove", summary="Approve a proposed removal (four-eyes)")
def person_remove(request: HttpRequest, entity_id: UUID, payload: RemoveIn) -> dict:
    reference = services.entity_remove(
        actor=request.auth, entity=_entity(request, entity_id), reason=payload.reason
    )
    return {"reference": reference, "removed": True}


@router.post(
    "/persons/{entity_id}/contributions", response={201: dict}, summary="Add a contribution"
)
def contribution_create(request: HttpRequest, entity_id: UUID, payload: ContributionIn) -> Status:
    contribution = services.contribution_propose(
        actor=request.auth,
        entity=_entity(request, entity_id),
        text=payload.text,
        reliability=payload.reliability,
        credibility=payload.credibility,
        restricted_diffusion=payload.restricted_diffusion,
        classification=payload.classification,
    )
    return Status(201, {"id": str(contribution.id), "status": contribution.status})


@router.post("/contributions/{contribution_id}/decide", summary="Accept or reject (validators)")
def contribution_decide(request: HttpRequest, contribution_id: UUID, payload: DecisionIn) -> dict:
    contribution = services.contribution_decide(
        actor=request.auth,
        contribution=selectors.contribution_for_decision(
            actor=request.auth, contribution_id=contribution_id
        ),
        accept=payload.accept,
        reason=payload.reason,
    )
    return {"id": str(contribution.id), "status": contribution.status}


@router.post("/persons/{entity_id}/relations", response={201: dict}, summary="Link two entries")
def relation_create(request: HttpRequest, entity_id: UUID, payload: RelationIn) -> Status:
    relation = services.relation_add(
        actor=request.auth,
        source=_entity(request, entity_id),
        target=_entity(request, payload.target),
        kind=payload.kind,
    )
    return Status(201, {"id": str(relation.id), "kind": relation.kind})


@router.patch("/persons/{entity_id}", summary="Correct identity fields (the body; If-Match)")
def person_update(
    request: HttpRequest, entity_id: UUID, payload: EntityPatch, response: HttpResponse
) -> dict:
    entity = services.entity_update(
        actor=request.auth,
        entity=_entity(request, entity_id),
        changes=payload.dict(exclude_unset=True),
        version=if_match_version(request),
    )
    response["ETag"] = f'"{entity.version}"'
    return {"id": str(entity.id), "reference": entity.reference, "version": entity.version}


@router.get("/contributions", summary="Pending contributions (validators: all; a service: its own)")
def contribution_list(request: HttpRequest, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    check_page(limit, offset)
    page, count = selectors.pending_contributions(actor=request.auth, limit=limit, offset=offset)
    return {
        "items": [
            {
                "id": str(c.id),
                "entity_id": str(c.entity_id),
                "entity_reference": c.entity.reference,
                "organisation": c.organisation.code,
                "text": c.text,
                "reliability": c.reliability,
                "credibility": c.credibility,
                "restricted_diffusion": c.restricted_diffusion,
                "status": c.status,
                "rejection_reason": c.rejection_reason,
                "created_at": c.created_at,
            }
            for c in page
        ],
        "count": count,
    }
