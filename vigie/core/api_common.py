"""Small pieces every versioned API module uses the same way: paging bounds and the
If-Match / ETag handshake of optimistic concurrency (docs/api.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError

from vigie.core.errors import PreconditionRequired

MAX_PAGE = 500


def check_page(limit: int, offset: int) -> None:
    """422 unless 1 <= limit <= MAX_PAGE and offset >= 0."""
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise HttpError(422, f"limit is 1 to {MAX_PAGE} and offset 0 or more.")


def if_match_version(request: HttpRequest) -> int:
    """The record version the caller last read (If-Match): 428 when missing, 422 when not a
    version number."""
    raw = request.META.get("HTTP_IF_MATCH", "").strip().strip('"')
    if not raw:
        raise PreconditionRequired("This change needs the If-Match header with the version.")
    if not raw.isdigit():
        raise HttpError(422, "If-Match must be the version number of the record.")
    return int(raw)


def set_etag(response: HttpResponse, obj: Any) -> None:
    """The version the caller sends back in If-Match to change the record."""
    response["ETag"] = f'"{obj.version}"'
