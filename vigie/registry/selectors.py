"""Every read of the common database: the access policy applied, each read journaled.

A list or search is one journal event naming the ids shown; each record opened is an event
with the purpose given. An entity the reader may not see is "not found" (404), never 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.access.policy import Action, can, registry_scope, registry_view_level
from vigie.audit.models import AuditEvent, Outcome
from vigie.audit.services import record_event
from vigie.core.choices import RecordView
from vigie.core.errors import RateLimited
from vigie.core.models import User

from .choices import EntryStatus, NameType
from .models import (
    Address,
    CategoryMembership,
    Contribution,
    Entity,
    EntityName,
    NameToken,
    validate_partial_date,
)
from .services import DOMAIN, normalise_name

# The body's permanence answers for hits and for entries without a local contact point.
BODY_CONTACT = gettext_lazy("Coordination body — 24/7 permanence")


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


def _names_primary_first() -> QuerySet[EntityName]:
    primary_first = Case(When(name_type=NameType.PRIMARY, then=Value(0)), default=Value(1))
    return EntityName.objects.order_by(primary_first, "name_type", "full_name")


def visible_entities(actor: User) -> QuerySet[Entity]:
    """The entities the access policy lets `actor` see, as one query without joins or DISTINCT,
    so counting and paging stay cheap."""
    return _filtered(actor, EntityFilters())


def _filtered(actor: User, filters: EntityFilters) -> QuerySet[Entity]:
    """The actor's scope and the filters, most selective condition first: SQLite drives the
    query from the first `IN (subquery)` (a name or a place narrows far more than a category)."""
    scope = registry_scope(actor)
    if scope is None:
        return Entity.objects.none()
    if scope.everything:
        scope = None
    conditions: list[Q] = []
    for token in normalise_name(filters.name).split() if filters.name else []:
        # A token's beginning, as a range the (token, entity) index answers.
        conditions.append(_has_token(token__gte=token, token__lt=token + "\uffff"))
    if filters.municipality:
        conditions.append(_has_address(municipality_id=filters.municipality))
    if filters.arrondissement:
        conditions.append(_has_address(municipality__arrondissement_id=filters.arrondissement))
    if filters.province:
        conditions.append(_has_address(municipality__province_id=filters.province))
    if scope and scope.municipality:
        conditions.append(_has_address(municipality_id=scope.municipality))
    elif scope and scope.arrondissement:
        conditions.append(_has_address(municipality__arrondissement_id=scope.arrondissement))
    # A category holds up to two thirds of the database: once a name or a place drives the
    # query, checking each candidate's memberships beats building the category's whole list.
    has_membership = _membership_exists if conditions else _has_membership
    if filters.category or filters.sub_status:
        membership = {"category": filters.category, "sub_status": filters.sub_status}
        conditions.append(has_membership(**{k: v for k, v in membership.items() if v}))
    if scope and scope.categories:
        conditions.append(has_membership(category__in=scope.categories))
    plain = {
        "kind": filters.kind,
        "status": EntryStatus.VALIDATED if scope else filters.status,
        "threat_level": filters.threat_level,
    }
    if scope and filters.status and filters.status != EntryStatus.VALIDATED:
        return Entity.objects.none()
    qs = Entity.objects.filter(*conditions, **{k: v for k, v in plain.items() if v})
    return qs


# Conditions on related tables are `id IN (subquery)`: both engines evaluate the subquery once
# from its own index, where a correlated EXISTS would probe every entity (docs/benchmarks.md).
def _has_membership(**conditions: Any) -> Q:
    return Q(pk__in=CategoryMembership.objects.filter(**conditions).values("entity_id"))


def _membership_exists(**conditions: Any) -> Q:
    return Q(Exists(CategoryMembership.objects.filter(entity_id=OuterRef("pk"), **conditions)))


def _has_address(**conditions: Any) -> Q:
    return Q(pk__in=Address.objects.filter(**conditions).values("entity_id"))


def _has_token(**conditions: Any) -> Q:
    return Q(pk__in=NameToken.objects.filter(**conditions).values("entity_id"))


def entity_list(
    *, actor: User, filters: EntityFilters, limit: int = 50, offset: int = 0, purpose: str = ""
) -> tuple[list[Entity], int, str]:
    """The entities the actor may see that match, one page, the count, and the view level."""
    qs = _filtered(actor, filters)
    qs = qs.order_by("display_name", "id")
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
        purpose=purpose,
        outcome=Outcome.DONE if view != RecordView.NONE else Outcome.DENIED,
        detail={"ids": [str(e.id) for e in page], "count": count},
    )
    return page, count, view


def entity_list_sql(
    *, actor: User, filters: EntityFilters, limit: int = 50
) -> list[tuple[str, tuple[Any, ...]]]:
    """The SQL statements `entity_list` runs (count, then the page), for the benchmark's raw
    SQL peer. Reads nothing itself."""
    qs = _filtered(actor, filters).order_by("display_name", "id")
    count_sql = qs.order_by().values("pk").query.sql_with_params()  # as count(): no ORDER BY
    page_sql = qs[:limit].query.sql_with_params()
    # The ORM's own compiled SQL, its parameters kept apart.
    count = f"SELECT COUNT(*) FROM ({count_sql[0]}) counted"  # noqa: S608
    return [(count, count_sql[1]), page_sql]


def entity_get(*, actor: User, entity_id: Any, purpose: str = "") -> tuple[Entity, str]:
    """One entity and the view the actor has of it; 404 (journaled) when out of scope."""
    entity = (
        visible_entities(actor)
        .filter(pk=entity_id)
        .prefetch_related(
            Prefetch("names", queryset=_names_primary_first()),
            "memberships__validated_by",
            "addresses__municipality__arrondissement",
            "documents",
            "contributions__organisation",
            "relations_out__target",
            "relations_in__source",
            "changes__changed_by",
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


def _throttle_hit_checks(actor: User) -> None:
    """Hit/no-hit queries per user per minute are limited; the journal is the counter, so the
    limit holds across every web and worker process."""
    limit = settings.HIT_CHECKS_PER_MINUTE
    since = timezone.now() - timedelta(minutes=1)
    recent = AuditEvent.objects.filter(
        actor_id=actor.id, action="entity.hit_check", occurred_at__gte=since
    ).count()
    if recent >= limit:
        record_event(
            actor=actor,
            action="entity.hit_check",
            outcome=Outcome.DENIED,
            domain=DOMAIN,
            detail={"reason": "rate_limited"},
        )
        raise RateLimited(
            _("At most %(limit)d checks a minute; try again shortly.") % {"limit": limit},
            retry_after=60,
        )


@dataclass
class HitCheckResult:
    listed: bool
    contact: str


def hit_check(*, actor: User, name: str, birth_date: str = "") -> HitCheckResult:
    """Listed or not, and the contact point; nothing more."""
    if not can(actor, Action.REGISTRY_HIT_CHECK):
        record_event(actor=actor, action="entity.hit_check", outcome=Outcome.DENIED, domain=DOMAIN)
        raise Http404("not found")
    _throttle_hit_checks(actor)
    if birth_date:
        validate_partial_date(birth_date)
    # The screening engine (names in any script, spelling variants, birth date as evidence).
    from vigie.screening import selectors as screening

    try:
        hits = screening.listed_ids(name=name, birth_date=birth_date)
    except ValueError as error:  # an empty or one-letter name, control characters...
        raise ValidationError({"name": [str(error)]}) from None
    record_event(
        actor=actor,
        action="entity.hit_check",
        target_type="entity",
        domain=DOMAIN,
        detail={"listed": bool(hits), "ids": [str(h) for h in hits]},
    )
    screening.hit_check_observe(actor=actor, name=name, birth_date=birth_date, hit_ids=hits)
    return HitCheckResult(
        listed=bool(hits),
        contact=str(BODY_CONTACT) if hits else "",
    )


def registry_view_for(actor: User) -> str:
    return registry_view_level(actor)


def is_body_reader(actor: User) -> bool:
    """The body's analysts open full records as their daily work: no purpose asked."""
    from vigie.access.policy import is_active_member, is_body_analyst

    return is_active_member(actor) and is_body_analyst(actor)


def entity_for_change(*, actor: User, entity_id: Any) -> Entity:
    """The entity a write is about, if the actor may see it (else 404); services decide 403."""
    entity = visible_entities(actor).filter(pk=entity_id).first()
    if entity is None:
        raise Http404("not found")
    return entity


def contact_point(entity: Entity) -> str:
    """The Information Officer of the arrondissement of the entity's first address."""
    for address in entity.addresses.all():
        arr = address.municipality.arrondissement
        return (
            f"{arr.information_officer_name} ({arr.name}) — "
            f"{arr.information_officer_phone}, {arr.information_officer_email}"
        )
    return str(BODY_CONTACT)


def entity_detail(entity: Entity, view: str, actor: User | None = None) -> dict[str, Any]:
    """The card or the full record, as plain data for the API and templates.

    Pending or rejected contributions are shown to the body and to their originator only."""
    from .schemas import entity_row

    data = entity_row(entity, view)
    data["names"] = [
        {"full_name": n.full_name, "name_type": n.name_type, "script": n.script}
        for n in entity.names.all()
    ]
    data["recommended_action"] = entity.recommended_action
    data["contact_point"] = contact_point(entity)
    if view != RecordView.FULL:
        return data
    data.update(
        birth_place=entity.birth_place,
        gender=entity.gender,
        addresses=[
            {
                "municipality": a.municipality_id,
                "municipality_name": a.municipality.name,
                "arrondissement": a.municipality.arrondissement_id,
                "street": a.street,
            }
            for a in entity.addresses.all()
        ],
        documents=[
            {"document_type": d.document_type, "number": d.number, "country": d.country}
            for d in entity.documents.all()
        ],
        contributions=[
            {
                "id": c.id,
                "organisation": c.organisation.code,
                "text": c.text,
                "reliability": c.reliability,
                "credibility": c.credibility,
                "restricted_diffusion": c.restricted_diffusion,
                "status": c.status,
                "created_at": c.created_at,
            }
            for c in entity.contributions.all()
            if c.status == EntryStatus.VALIDATED
            or actor is None
            or is_body_reader(actor)
            or c.organisation_id == actor.organisation_id
        ],
        relations=[
            {
                "kind": r.kind,
                "direction": "out" if r.source_id == entity.id else "in",
                "other_id": r.target_id if r.source_id == entity.id else r.source_id,
                "other_reference": (r.target if r.source_id == entity.id else r.source).reference,
                "other_name": (r.target if r.source_id == entity.id else r.source).display_name,
            }
            for r in [*entity.relations_out.all(), *entity.relations_in.all()]
        ],
        history=[
            {
                "changed_at": h.changed_at,
                "action": h.action,
                "by": h.changed_by.username if h.changed_by else "",
                "before": h.before,
                "after": h.after,
                "reason": h.reason,
            }
            for h in entity.changes.all()
        ],
        review_due=entity.review_due,
        validated_at=entity.validated_at,
    )
    return data


def proposal_list(*, actor: User, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    """Proposals and their outcome: the body sees all, a feeding service its own."""
    if is_body_reader(actor):
        qs = Entity.objects.exclude(status=EntryStatus.VALIDATED)
    elif can(actor, Action.REGISTRY_PROPOSE):
        qs = Entity.objects.filter(proposed_by_organisation=actor.organisation).exclude(
            status=EntryStatus.VALIDATED
        )
    else:
        qs = Entity.objects.none()
    qs = qs.order_by("-created_at")
    count = qs.count()
    page = list(qs[offset : offset + limit])
    record_event(
        actor=actor,
        action="proposal.list",
        target_type="entity",
        domain=DOMAIN,
        detail={"ids": [str(e.id) for e in page], "count": count},
    )
    rows = [
        {
            "id": str(e.id),
            "reference": e.reference,
            "kind": e.kind,
            "name": e.display_name,
            "status": e.status,
            "rejection_reason": e.rejection_reason,
            "version": e.version,
            "created_at": e.created_at,
        }
        for e in page
    ]
    return rows, count


def purpose_required(actor: User) -> bool:
    """Partners opening a full record give a purpose (once per person per session in the UI;
    on every API call). The body's analysts work on the records daily."""
    return registry_view_level(actor) == RecordView.FULL and not is_body_reader(actor)


def review_due_list(
    *,
    actor: User,
    arrondissement: str = "",
    until: date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Entity], int]:
    """Listed entries whose review is due by `until` (today by default), per arrondissement."""
    if not can(actor, Action.REGISTRY_REVIEW):
        record_event(actor=actor, action="entity.review_due", outcome=Outcome.DENIED, domain=DOMAIN)
        return [], 0
    qs = Entity.objects.filter(
        status=EntryStatus.VALIDATED, review_due__lte=until or timezone.localdate()
    )
    if arrondissement:
        qs = qs.filter(addresses__municipality__arrondissement_id=arrondissement).distinct()
    qs = qs.order_by("review_due", "display_name")
    count = qs.count()
    page = list(qs.prefetch_related("memberships")[offset : offset + limit])
    record_event(
        actor=actor,
        action="entity.review_due",
        target_type="entity",
        domain=DOMAIN,
        detail={"ids": [str(e.id) for e in page], "count": count},
    )
    return page, count


def pending_contributions(*, actor: User, limit: int = 50, offset: int = 0):  # type: ignore[no-untyped-def]
    """Contributions waiting for a validator; a feeding service sees its own."""
    if is_body_reader(actor):
        qs = Contribution.objects.filter(status=EntryStatus.PROPOSED)
    elif can(actor, Action.REGISTRY_PROPOSE):
        qs = Contribution.objects.filter(organisation=actor.organisation).exclude(
            status=EntryStatus.VALIDATED
        )
    else:
        qs = Contribution.objects.none()
    qs = qs.select_related("entity", "organisation").order_by("-created_at")
    count = qs.count()
    page = list(qs[offset : offset + limit])
    record_event(
        actor=actor,
        action="contribution.list",
        target_type="entity",
        domain=DOMAIN,
        detail={"ids": [str(c.entity_id) for c in page], "count": count},
    )
    return page, count


def contribution_for_decision(*, actor: User, contribution_id: Any) -> Contribution:
    """A pending contribution a validator decides on; 404 for anyone else."""
    if not can(actor, Action.REGISTRY_VALIDATE):
        raise Http404("not found")
    found = Contribution.objects.select_related("entity").filter(pk=contribution_id).first()
    if found is None:
        raise Http404("not found")
    return found
