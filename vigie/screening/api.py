"""API of screening: thin over services and selectors."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from vigie.core.api_common import check_page
from vigie.screening import selectors, services
from vigie.screening.schemas import JobIn, MatchIn, job_out, query_in

router = Router(tags=["screening"])
PURPOSE_HEADER = "HTTP_X_VIGIE_PURPOSE"


def _purpose(request: HttpRequest, given: str = "") -> str:
    return (request.META.get(PURPOSE_HEADER, "") or given).strip()[:500]


@router.post("/screening/match", summary="Screen up to 1,000 names now")
def match(request: HttpRequest, payload: MatchIn) -> dict[str, Any]:
    cap = settings.SCREENING_MATCH_MAX_QUERIES
    if len(payload.queries) > cap:
        raise HttpError(413, f"At most {cap} queries per call; send larger lists as a job.")
    queries = [query_in(q, n) for n, q in enumerate(payload.queries, 1)]
    _job, results = services.screen_now(
        actor=request.auth,
        queries=queries,
        purpose=_purpose(request, payload.purpose),
        threshold=payload.threshold,
        limit=payload.limit,
    )
    items = selectors.screening_results(actor=request.auth, queries=queries, results=results)
    return {"items": items, "count": len(items)}


@router.post("/screening/jobs", response={201: dict}, summary="Screen a list in the background")
def job_create(request: HttpRequest) -> Status:
    """A CSV or XLSX file (multipart field `file`, optional `purpose`, `threshold` and column
    mapping fields `column_name`, `column_id`, ...) or JSON `{"queries": [...]}`."""
    purpose = _purpose(request)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise HttpError(422, "Send the list as the multipart field 'file'.")
        if upload.size > settings.SCREENING_UPLOAD_MAX_BYTES:
            raise HttpError(413, "The file is larger than the upload limit.")
        mapping = {
            k.removeprefix("column_"): v for k, v in request.POST.items() if k.startswith("column_")
        }
        threshold = request.POST.get("threshold") or None
        job = services.job_create(
            actor=request.auth,
            data=upload.file,
            filename=upload.name or "",
            mapping=mapping,
            purpose=purpose or request.POST.get("purpose", ""),
            threshold=float(threshold) if threshold else None,
        )
    else:
        try:
            payload = JobIn.model_validate(json.loads(request.body or b"{}"))
        except (ValueError, TypeError) as error:
            raise HttpError(422, f"Send JSON {{'queries': [...]}} or a file: {error}") from None
        job = services.job_create(
            actor=request.auth,
            queries=[query_in(q, n) for n, q in enumerate(payload.queries, 1)],
            purpose=purpose or payload.purpose,
            threshold=payload.threshold,
        )
    return Status(201, job_out(job))


@router.get("/screening/jobs/{job_id}", summary="A screening job: status and progress")
def job_detail(request: HttpRequest, job_id: UUID) -> dict[str, Any]:
    return job_out(selectors.job_get(actor=request.auth, job_id=job_id))


@router.get("/screening/jobs/{job_id}/results", summary="Names with a hit (hit/no-hit: listed)")
def job_results(
    request: HttpRequest, job_id: UUID, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    check_page(limit, offset)
    job = selectors.job_get(actor=request.auth, job_id=job_id)
    items, count = selectors.job_results(actor=request.auth, job=job, limit=limit, offset=offset)
    for item in items:
        for match in item.get("matches", []):
            match.pop("record", None)
    return {"items": items, "count": count, "status": job.status}
