"""Every read of the common database: the access policy applied, each read journaled.

A list or search is one journal event naming the ids shown; each record opened is an event
with the purpose given. An entity the reader may not see is "not found" (404), never 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from vigie.access.policy import Action, can, registry_scope_filter, registry_view_level
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.choices import RecordView
from vigie.core.models import User

from .choices import EntryStatus
from .models import CategoryMembership, Entity, EntityName
from .services import DOMAIN, normalise_name


@dataclass
class EntityFilters:
    name: str = ""
    kind: str = ""
    category: str = ""
    sub_status: str = ""
    status: str = ""
    threat_level: int | None = None
    province: str = ""
    arrondissement: str = ""
    municipality: str = ""


def _visible(actor: User) -> QuerySet[Entity]:
    q = registry_scope_filter(actor)
    if q is None:
        return Entity.objects.none()
    return Entity.objects.filter(q).distinct()


def entity_list(
    *, actor: User, filters: EntityFilters, limit: int = 50, offset: int = 0
) -> tuple[list[Entity], int, str]:
    """The entities the actor may see that match, one page, the count, and the view level."""
    qs = _visible(actor)
    if filters.name:
        for token in normalise_name(filters.name).split():
            qs = qs.filter(names__normalised__contains=token)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(memberships__category=filters.category)
    if filters.sub_status:
        qs = qs.filter(memberships__sub_status=filters.sub_status)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.threat_level:
        qs = qs.filter(threat_level=filters.threat_level)
    if filters.municipality:
        qs = qs.filter(addresses__municipality_id=filters.municipality)
    if filters.arrondissement:
        qs = qs.filter(addresses__municipality__arrondissement_id=filters.arrondissement)
    if filters.province:
        qs = qs.filter(addresses__municipality__province_id=filters.province)
    qs = qs.distinct().order_by("display_name", "id")
    count = qs.count()
    page = list(
        qs.prefetch_related(
            Prefetch("memberships", queryset=CategoryMembership.objects.order_by("category"))
        )[offset : offset + limit]
    )
    view = registry_view_level(actor)
    record_event(
        actor=actor,
        action="entity.list",
        target_type="entity",
        domain=DOMAIN,
        outcome=Outcome.DONE if view != RecordView.NONE else Outcome.DENIED,
        detail={"ids": [str(e.id) for e in page], "count": count},
    )
    return page, count, view


def entity_get(*, actor: User, entity_id: Any, purpose: str = "") -> tuple[Entity, str]:
    """One entity and the view the actor has of it; 404 (journaled) when out of scope."""
    entity = (
        _visible(actor)
        .filter(pk=entity_id)
        .prefetch_related(
            Prefetch("names", queryset=EntityName.objects.order_by("name_type", "full_name")),
            "memberships",
            "addresses__municipality__arrondissement",
            "documents",
            "contributions__organisation",
        )
        .first()
    )
    if entity is None:
        record_event(
            actor=actor,
            action="entity.open",
            target_type="entity",
            target_id=str(entity_id)[:64],
            outcome=Outcome.DENIED,
            domain=DOMAIN,
            purpose=purpose,
        )
        raise Http404("not found")
    view = registry_view_level(actor)
    record_event(
        actor=actor,
        action="entity.open",
        target_type="entity",
        target_id=entity.id,
        domain=DOMAIN,
        purpose=purpose,
        detail={"view": str(view)},
    )
    return entity, view


@dataclass
class HitCheckResult:
    listed: bool
    contact: str


def hit_check(*, actor: User, name: str, birth_date: str = "") -> HitCheckResult:
    """Listed or not, and the contact point; nothing more. A normalised exact name match
    (the screening engine replaces it)."""
    if not can(actor, Action.REGISTRY_HIT_CHECK):
        record_event(actor=actor, action="entity.hit_check", outcome=Outcome.DENIED, domain=DOMAIN)
        raise Http404("not found")
    key = normalise_name(name)
    qs = Entity.objects.filter(status=EntryStatus.VALIDATED, names__normalised=key)
    if birth_date:
        qs = qs.filter(birth_date__startswith=birth_date[:4])
    hits = list(qs.values_list("id", flat=True).distinct()[:10])
    record_event(
        actor=actor,
        action="entity.hit_check",
        target_type="entity",
        domain=DOMAIN,
        detail={"listed": bool(hits), "ids": [str(h) for h in hits]},
    )
    return HitCheckResult(
        listed=bool(hits),
        contact="Coordination body — permanence" if hits else "",
    )
