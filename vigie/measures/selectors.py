"""Every read of measure cases and the national list: the access policy applied
(`vigie.access.policy`, measures section), each read journaled. What the reader may not
see is "not found" (404), and the attempt is journaled as denied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from vigie.access.policy import (
    MeasureAction,
    MeasureView,
    can,
    is_body_analyst,
    measure_case_view,
    measure_scope_filter,
    measures_of_person_visible,
    registry_view_level,
)
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.models import User
from vigie.documents.models import Document
from vigie.registry import selectors as registry_selectors
from vigie.registry.models import Entity, EntityName

from . import national_list
from .choices import CaseStatus, MeasureFamily, MeasureType
from .models import (
    Advice,
    AdviceDelivery,
    Consultation,
    Decision,
    FreezeReview,
    MeasureCase,
    Publication,
)
from .services.common import DOMAIN


def _denied(actor: User, action: str, target_type: str, target_id: Any) -> Http404:
    record_event(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        outcome=Outcome.DENIED,
        domain=DOMAIN,
    )
    return Http404("not found")


def _visible_cases(actor: User) -> QuerySet[MeasureCase]:
    q = measure_scope_filter(actor)
    if q is None:
        return MeasureCase.objects.none()
    qs = MeasureCase.objects.all()
    if q:  # the body sees all cases: no join, no DISTINCT
        qs = MeasureCase.objects.filter(pk__in=MeasureCase.objects.filter(q).values("pk"))
    return qs


def view_of_case(actor: User, case: MeasureCase) -> str | None:
    return measure_case_view(
        actor,
        consulted_org_ids=[c.organisation_id for c in case.consultations.all()],
        proposer_org_id=case.proposer_organisation_id,
        authority_org_ids=[
            r.organisation_id for a in case.advices.all() for r in a.recipients.all()
        ],
    )


@dataclass
class CaseFilters:
    measure_type: str = ""
    family: str = ""
    status: str = ""
    entity_reference: str = ""
    owner: str = ""  # username
    reference: str = ""


def case_list(
    *, actor: User, filters: CaseFilters | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[MeasureCase], int]:
    """The cases the actor may see, newest first (one journal event naming them)."""
    filters = filters or CaseFilters()
    qs = _visible_cases(actor)
    for name, lookup in (
        ("measure_type", "measure_type"),
        ("family", "family"),
        ("status", "status"),
        ("entity_reference", "entity_reference"),
        ("owner", "owner__username"),
        ("reference", "reference"),
    ):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{lookup: value})
    qs = qs.order_by("-created_at", "reference")
    count = qs.count()
    page = list(
        qs.select_related("authority", "owner", "proposer_organisation")[offset : offset + limit]
    )
    record_event(
        actor=actor,
        action="measure.list",
        target_type="measure_case",
        domain=DOMAIN,
        outcome=Outcome.DONE if can(actor, MeasureAction.LIST) else Outcome.DENIED,
        detail={"ids": [str(c.id) for c in page], "count": count},
    )
    return page, count


def _case_query() -> QuerySet[MeasureCase]:
    return MeasureCase.objects.select_related(
        "authority", "owner", "proposer_organisation", "linked_to"
    ).prefetch_related(
        Prefetch("consultations", queryset=Consultation.objects.select_related("organisation")),
        Prefetch(
            "advices",
            queryset=Advice.objects.select_related(
                "author", "validator", "document"
            ).prefetch_related("recipients__organisation"),
        ),
        Prefetch("decisions", queryset=Decision.objects.select_related("advice")),
        "reviews",
        "appeals",
        "events",
        "linked_cases",
    )


def case_get(*, actor: User, case_id: Any) -> tuple[MeasureCase, str]:
    """One case and the view the actor has of it (journaled); 404 when none."""
    case = _case_query().filter(pk=case_id).first()
    view = view_of_case(actor, case) if case is not None else None
    if case is None or view is None:
        raise _denied(actor, "measure.open", "measure_case", case_id)
    record_event(
        actor=actor,
        action="measure.open",
        target_type="measure_case",
        target_id=case.id,
        domain=DOMAIN,
        detail={"reference": case.reference, "view": view},
    )
    return case, view


def case_for_change(*, actor: User, case_id: Any) -> MeasureCase:
    """The case a write is about, if the actor may see it (else 404); services decide 403."""
    case = _case_query().filter(pk=case_id).first()
    if case is None or view_of_case(actor, case) is None:
        raise _denied(actor, "measure.change", "measure_case", case_id)
    return case


def consultation_for_answer(*, actor: User, consultation_id: Any) -> Consultation:
    found = Consultation.objects.select_related("case", "organisation").filter(pk=consultation_id)
    consultation = found.first()
    if consultation is None or (
        consultation.organisation_id != actor.organisation_id and not is_body_analyst(actor)
    ):
        raise _denied(actor, "measure.answer", "measure_consultation", consultation_id)
    return consultation


def _advice_visible(actor: User, advice: Advice) -> bool:
    view = view_of_case(actor, advice.case)
    if view == MeasureView.FULL:
        return True
    if view != MeasureView.AUTHORITY or int(actor.clearance) < int(advice.classification):
        return False
    return any(r.organisation_id == actor.organisation_id for r in advice.recipients.all())


def advice_get(*, actor: User, advice_id: Any) -> Advice:
    """An advice: the body, or the authority it was sent to (with clearance at its marking)."""
    advice = (
        Advice.objects.select_related("case", "document", "author", "validator")
        .prefetch_related("recipients__organisation")
        .filter(pk=advice_id)
        .first()
    )
    if advice is None or not _advice_visible(actor, advice):
        raise _denied(actor, "measure.advice_open", "measure_advice", advice_id)
    record_event(
        actor=actor,
        action="measure.advice_open",
        target_type="measure_advice",
        target_id=advice.id,
        domain=DOMAIN,
        detail={"reference": advice.reference},
    )
    return advice


def advice_for_change(*, actor: User, advice_id: Any) -> Advice:
    advice = Advice.objects.select_related("case").filter(pk=advice_id).first()
    if advice is None or not _advice_visible(actor, advice):
        raise _denied(actor, "measure.advice_change", "measure_advice", advice_id)
    return advice


def advice_document(*, actor: User, advice: Advice) -> Document:
    """The issued PDF (journaled download with its SHA-256)."""
    if advice.document_id is None or not _advice_visible(actor, advice):
        raise _denied(actor, "measure.advice_download", "measure_advice", advice.id)
    record_event(
        actor=actor,
        action="measure.advice_download",
        target_type="measure_advice",
        target_id=advice.id,
        domain=DOMAIN,
        detail={"sha256": advice.document.sha256},
    )
    return advice.document


def inbox(*, actor: User, limit: int = 50, offset: int = 0) -> tuple[list[AdviceDelivery], int]:
    """The advice sent to the actor's organisation (an authority), newest first."""
    if not measure_case_view(actor, authority_org_ids=[actor.organisation_id]) or (
        is_body_analyst(actor)
    ):
        qs = AdviceDelivery.objects.none()
    else:
        qs = AdviceDelivery.objects.filter(
            organisation_id=actor.organisation_id,
            advice__classification__lte=int(actor.clearance),
        )
    qs = qs.select_related("advice__case").order_by("-delivered_at")
    count = qs.count()
    page = list(qs[offset : offset + limit])
    record_event(
        actor=actor,
        action="measure.inbox",
        domain=DOMAIN,
        detail={"ids": [str(r.advice_id) for r in page], "count": count},
    )
    return page, count


def reviews_due(*, actor: User, until: Any = None) -> list[FreezeReview]:
    """Open reviews of freezes in force, by due date (the body)."""
    if not can(actor, MeasureAction.WRITE):
        return []
    qs = FreezeReview.objects.filter(outcome="", case__status=CaseStatus.IN_FORCE)
    if until is not None:
        qs = qs.filter(due_on__lte=until)
    return list(qs.select_related("case", "case__owner").order_by("due_on"))


def measures_of(*, actor: User, entity: Entity) -> list[MeasureCase] | None:
    """The measures concerning a person of the common database, for the body and for users
    with a full view of that person; None for anyone else (show nothing, not even a heading)."""
    view = registry_view_level(actor)
    if not measures_of_person_visible(actor, view):
        return None
    if not is_body_analyst(actor) and not (
        registry_selectors.visible_entities(actor).filter(pk=entity.pk).exists()
    ):
        return None
    return list(
        MeasureCase.objects.filter(entity_id=entity.pk)
        .select_related("authority")
        .order_by("-created_at")
    )


# --- Statistics --------------------------------------------------------------------------------


def statistics(*, actor: User) -> list[dict[str, Any]] | None:
    """Per year and measure type: cases opened, advice sent, measures granted and refused.
    Counts only (the body publishes such figures); None for anyone but the body."""
    if not can(actor, MeasureAction.STATISTICS):
        record_event(
            actor=actor, action="measure.statistics", outcome=Outcome.DENIED, domain=DOMAIN
        )
        return None
    table: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"opened": 0, "advised": 0, "granted": 0, "refused": 0}
    )
    opened = MeasureCase.objects.exclude(origin="linked").values_list("created_at", "measure_type")
    for created, measure_type in opened:
        table[(timezone.localtime(created).year, measure_type)]["opened"] += 1
    sent = Advice.objects.filter(sent_at__isnull=False).exclude(kind="review")
    for sent_at, measure_type in sent.values_list("sent_at", "case__measure_type"):
        table[(timezone.localtime(sent_at).year, measure_type)]["advised"] += 1
    decided = Decision.objects.filter(advice__kind="initial").values(
        "decided_on__year", "case__measure_type", "outcome"
    )
    for row in decided.order_by().annotate(n=Count("id")):
        key = (row["decided_on__year"], row["case__measure_type"])
        table[key][row["outcome"]] += row["n"]
    record_event(actor=actor, action="measure.statistics", domain=DOMAIN)
    order = list(MeasureType.values)
    return [
        {"year": year, "measure_type": mt, **counts}
        for (year, mt), counts in sorted(
            table.items(), key=lambda i: (i[0][0], order.index(i[0][1]))
        )
    ]


# --- The national list -------------------------------------------------------------------------


def _names(entity: Entity) -> tuple[list[str], EntityName | None]:
    names = sorted(entity.names.all(), key=lambda n: (n.name_type != "primary", n.full_name))
    primary = next((n for n in names if n.name_type == "primary"), None)
    ordered = [primary.full_name] if primary else [entity.display_name]
    ordered += [n.full_name for n in names if n is not primary]
    return ordered, primary


def _entry(
    case: MeasureCase, entity: Entity, decision: Decision | None, listed: dict[Any, str]
) -> dict[str, Any]:
    names, primary = _names(entity)
    given = (primary.given_names if primary else "").split()
    person = entity.kind == Entity.Kind.PERSON
    linked = {r.target_id for r in entity.relations_out.all()} | {
        r.source_id for r in entity.relations_in.all()
    }
    return {
        "key": entity.reference,
        "type": "P" if person else "E",
        "names": names,
        "lastname": primary.surname if primary and person else "",
        "firstname": given[0] if given and person else "",
        "middlename": " ".join(given[1:]) if person else "",
        "gender": entity.gender if entity.gender in ("M", "F") else "",
        "birth_date": entity.birth_date if person else "",
        "birth_place": entity.birth_place if person else "",
        "birth_country": "",
        "numbers": sorted(d.number for d in entity.documents.all()),
        "nationalities": sorted(entity.nationalities),
        "function": "",
        "remark": case.reference,
        "links": sorted(listed[i] for i in linked if i in listed),
        "publication_date": (
            (decision.published_on or decision.decided_on).isoformat() if decision else ""
        ),
        "embargos": national_list.EMBARGO_NATIONAL,
        "regulation": decision.reference if decision else "",
    }


def national_list_entries(*, actor: User) -> list[dict[str, Any]]:
    """The persons and organisations under a national asset freeze in force, as published
    entries (ordered by reference). The body or the operator's command line only."""
    if not can(actor, MeasureAction.NATIONAL_LIST_EXPORT):
        record_event(
            actor=actor, action="national_list.read", outcome=Outcome.DENIED, domain=DOMAIN
        )
        raise Http404("not found")
    cases = list(
        MeasureCase.objects.filter(
            family=MeasureFamily.ASSET_FREEZE, status=CaseStatus.IN_FORCE, entity__isnull=False
        ).prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(outcome="granted")
                .exclude(advice__kind="review")
                .order_by("decided_on"),
            )
        )
    )
    # The national list is read whole, from the registry's own table (not a partner's scope).
    entities = {
        e.pk: e
        for e in Entity.objects.filter(pk__in=[c.entity_id for c in cases]).prefetch_related(
            "names", "documents", "relations_out", "relations_in"
        )
    }
    listed = {c.entity_id: entities[c.entity_id].reference for c in cases}
    entries = [
        _entry(c, entities[c.entity_id], next(iter(c.decisions.all()), None), listed) for c in cases
    ]
    entries.sort(key=lambda e: e["key"])
    record_event(
        actor=actor,
        action="national_list.read",
        domain=DOMAIN,
        detail={"count": len(entries), "ids": [e["key"] for e in entries]},
    )
    return entries


def publication_list(*, actor: User, limit: int = 50, offset: int = 0) -> tuple[list, int]:
    if not can(actor, MeasureAction.NATIONAL_LIST_EXPORT):
        return [], 0
    qs = Publication.objects.order_by("-created_at")
    return list(qs[offset : offset + limit]), qs.count()


def publication_get(*, actor: User, publication_id: Any = None) -> Publication:
    """A publication (the latest when no id is given)."""
    if not can(actor, MeasureAction.NATIONAL_LIST_EXPORT):
        raise _denied(actor, "national_list.open", "national_list", publication_id or "")
    qs = Publication.objects.select_related("previous")
    found = qs.filter(pk=publication_id).first() if publication_id else qs.first()
    if found is None:
        raise Http404("not found")
    return found


def publication_diff(publication: Publication) -> dict[str, list[Any]]:
    previous = publication.previous.entries if publication.previous else []
    return national_list.diff(previous, publication.entries)


def screening_records_of_database(*, actor: User) -> list[dict[str, Any]]:
    """The listed persons of the common database as screening records (the body only)."""
    if not can(actor, MeasureAction.NATIONAL_LIST_SCREEN):
        raise Http404("not found")
    # The whole list of validated persons, as the body sees it (the operator's command line
    # screens too: it holds the database already).
    entities = Entity.objects.filter(kind=Entity.Kind.PERSON, status="validated").prefetch_related(
        "names", "documents"
    )
    records = []
    for e in entities:
        names, _primary = _names(e)
        records.append(
            {
                "id": e.reference,
                "name": names[0],
                "aliases": names[1:],
                "birth_date": e.birth_date or None,
                "nationality": list(e.nationalities),
                "gender": e.gender,
                "identifiers": [d.number for d in e.documents.all()],
            }
        )
    record_event(
        actor=actor,
        action="national_list.screen_database",
        domain=DOMAIN,
        detail={"count": len(records)},
    )
    return records
