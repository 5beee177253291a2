"""The versioned REST API at /api/v1/: one NinjaAPI, one error format, the apps' routers.

Error format (ARCHITECTURE.md): {"error": {"code", "message", "fields"}}.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from vigie.core.api_auth import BearerToken
from vigie.core.errors import Conflict, PreconditionFailed, PreconditionRequired, RateLimited

api = NinjaAPI(
    title="Vigie API",
    version="1",
    description="Common database, screening, assessments, measures and oversight journal.",
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    422: "validation_error",
    428: "precondition_required",
    429: "rate_limited",
}


def error_response(
    request: HttpRequest,
    status: int,
    message: str,
    fields: dict[str, list[str]] | None = None,
    code: str | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "error": {
            "code": code or HTTP_CODES.get(status, "error"),
            "message": message,
            "fields": fields or {},
        }
    }
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ())]
        # Drop the parameter source ("body", "query", the payload's name) to name the field.
        while loc and loc[0] in {"body", "query", "path", "header", "payload", "data"}:
            loc = loc[1:]
        fields.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", "invalid"))
    return error_response(request, 422, "The request is not valid.", fields)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        message = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
    else:
        fields = {}
        message = " ".join(str(m) for m in exc.messages)
    return error_response(request, 422, message, fields)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, "Authentication required: a valid bearer token.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or "Forbidden.")


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return error_response(request, 409, str(exc))


@api.exception_handler(PreconditionFailed)
def on_precondition_failed(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
    return error_response(request, 412, str(exc))


@api.exception_handler(PreconditionRequired)
def on_precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
    return error_response(request, 428, str(exc))


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = error_response(request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


def _register_routers() -> None:
    from vigie.assessments.api import router as assessments_router
    from vigie.audit.api import router as audit_router
    from vigie.core.api import router as core_router
    from vigie.measures.api import list_router as national_list_router
    from vigie.measures.api import router as measures_router
    from vigie.registry.api import router as registry_router
    from vigie.screening.api import router as screening_router

    api.add_router("/", core_router)
    api.add_router("/audit", audit_router)
    api.add_router("/", registry_router)
    api.add_router("/", assessments_router)
    api.add_router("/", screening_router)
    api.add_router("/measures", measures_router)
    api.add_router("/national-list", national_list_router)


_register_routers()
