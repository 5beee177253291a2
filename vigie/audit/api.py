"""API of the journal: the oversight search, read-only. Thin: the rules live in services."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from vigie.audit.schemas import EventOut, EventPage, EventQuery
from vigie.audit.services import journal_search

router = Router(tags=["audit"])


@router.get(
    "/events",
    response=EventPage,
    summary="Search the journal (oversight bodies only, within their scope)",
)
def list_events(request: HttpRequest, query: Query[EventQuery]) -> EventPage:
    page = journal_search(
        actor=request.auth,
        filters=query.to_filters(),
        limit=query.limit,
        offset=query.offset,
    )
    return EventPage(items=[EventOut.from_event(e) for e in page.items], count=page.count)
