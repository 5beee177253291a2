"""Reads of the journal: only oversight users, only within their scope (vigie.access)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from vigie.access.policy import journal_scope
from vigie.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilters:
    """What an oversight user may search by. Empty values filter nothing."""

    actor: str = ""
    organisation: str = ""
    action: str = ""
    outcome: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> EventFilters:
        text = {name: values.get(name) or "" for name in cls.__dataclass_fields__}
        dates = {name: values.get(name) or None for name in ("since", "until")}
        return cls(**(text | dates))

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


def _start_of_day(day: date) -> datetime:
    # Dates are Brussels dates (the users' day), compared with UTC timestamps.
    return timezone.make_aware(datetime.combine(day, time.min))


def event_search(*, actor: Any, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The events `actor` may see that match `filters`, newest first. Fails closed."""
    scope = journal_scope(actor)
    if scope is None:
        raise PermissionDenied("Only the oversight bodies may search the journal.")
    queryset = AuditEvent.objects.filter(scope)
    exact = {
        "actor_username": filters.actor,
        "organisation_code": filters.organisation,
        "action": filters.action,
        "outcome": filters.outcome,
        "target_type": filters.target_type,
        "target_id": filters.target_id,
    }
    queryset = queryset.filter(**{field: value for field, value in exact.items() if value})
    if filters.since:
        queryset = queryset.filter(occurred_at__gte=_start_of_day(filters.since))
    if filters.until:
        # Inclusive: the whole of the `until` day.
        queryset = queryset.filter(occurred_at__lt=_start_of_day(filters.until + timedelta(1)))
    return queryset.order_by("-seq")
