"""Every read of the screening app, narrowed to the reader's view.

A card or full-record reader sees the candidates inside their scope of the common database
(`registry.selectors.visible_entities`) with score and explanation; a candidate outside it is
only "a possible match: contact the body" (what a hit/no-hit check would answer anyway). A
hit/no-hit profile sees listed / not listed and the contact point, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from vigie.access.policy import Action, can, is_body_analyst
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.models import User
from vigie.registry import screening_selectors
from vigie.registry.selectors import BODY_CONTACT, visible_entities
from vigie.screening.engine import Candidate

from .models import EnumerationAlert, ScreeningHit, ScreeningJob
from .services import DETAIL, DOMAIN, HIT_NO_HIT, screening_view

__all__ = ["DETAIL", "HIT_NO_HIT", "screening_view"]


def visible_ids(actor: User, ids: Iterable[Any]) -> set[str]:
    """The ids among `ids` that the actor may open (card or full record)."""
    wanted = {str(i) for i in ids}
    if not wanted or screening_view(actor) != DETAIL:
        return set()
    return {
        str(pk) for pk in visible_entities(actor).filter(pk__in=wanted).values_list("pk", flat=True)
    }


def _match_out(hit: Any, refs: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    record_id = str(hit.record_id)
    reference, name = refs.get(record_id, ("", ""))
    explanation = hit.explanation if isinstance(hit, ScreeningHit) else None
    if explanation is None:
        from .services import explanation_data

        explanation = explanation_data(hit)
        summary = hit.explanation.summary()
    else:
        summary = hit.summary
    return {
        "record_id": record_id,
        "reference": reference,
        "name": name,
        "score": hit.score,
        "summary": summary,
        "explanation": explanation,
    }


def screening_results(
    *, actor: User, queries: list[Mapping[str, Any]], results: list[list[Candidate]]
) -> list[dict[str, Any]]:
    """The answer per query as the actor may see it."""
    view = screening_view(actor)
    found = {str(c.record_id) for r in results for c in r}
    shown = visible_ids(actor, found) if view == DETAIL else set()
    refs = screening_selectors.references(shown)
    out = []
    for position, (query, candidates) in enumerate(zip(queries, results, strict=True), 1):
        row: dict[str, Any] = {
            "query_id": str(query.get("id") or position),
            "name": str(query.get("name", "")),
            "listed": bool(candidates),
            "contact": str(BODY_CONTACT) if candidates else "",
        }
        if view == DETAIL:
            row["matches"] = [_match_out(c, refs) for c in candidates if str(c.record_id) in shown]
            row["outside_view"] = any(str(c.record_id) not in shown for c in candidates)
        out.append(row)
    return out


def listed_ids(*, name: str, birth_date: str = "") -> list[str]:
    """The listed persons the engine finds for one name (registry.selectors.hit_check)."""
    from vigie.screening import index

    query: dict[str, Any] = {"id": "q", "name": name}
    if birth_date:
        query["birth_date"] = birth_date
    [found] = index.matcher().match([query], limit=10)
    return [str(c.record_id) for c in found]


# --- Duplicates ----------------------------------------------------------------------------------


def likely_duplicates(
    *, actor: User, record: Mapping[str, Any], exclude: Any = None
) -> tuple[list[dict[str, Any]], bool]:
    """Listed persons like `record` that the actor may see, and whether there are others."""
    from vigie.screening import index

    query = {**record, "id": record.get("id") or "proposal"}
    try:
        [found] = index.matcher().match([query], limit=10)
    except ValueError:
        return [], False
    found = [c for c in found if str(c.record_id) != str(exclude)]
    if is_body_analyst(actor):
        shown = {str(c.record_id) for c in found}
    else:
        shown = visible_ids(actor, (c.record_id for c in found))
    refs = screening_selectors.references(shown)
    visible = [_match_out(c, refs) for c in found if str(c.record_id) in shown]
    record_event(
        actor=actor,
        action="screening.duplicates",
        target_type="entity",
        target_id=str(exclude or "")[:64],
        domain=DOMAIN,
        detail={"ids": sorted(shown), "others": len(found) - len(visible)},
    )
    return visible, len(found) > len(visible)


def proposal_record(entity_id: Any) -> dict[str, Any] | None:
    """A proposed entity as an engine query (the validator's duplicate check)."""
    from vigie.registry.screening_selectors import proposal_as_record

    return proposal_as_record(entity_id)


# --- Jobs ----------------------------------------------------------------------------------------


def job_list(*, actor: User, limit: int = 50, offset: int = 0) -> tuple[list[ScreeningJob], int]:
    """The actor's own lists (newest first)."""
    qs = ScreeningJob.objects.filter(owner=actor, kind=ScreeningJob.Kind.LIST)
    return list(qs[offset : offset + limit]), qs.count()


def job_get(*, actor: User, job_id: Any) -> ScreeningJob:
    """A job of the actor's own; anyone else's is "not found" (journaled)."""
    job = ScreeningJob.objects.filter(pk=job_id, owner=actor).first()
    if job is None or screening_view(actor) is None:
        record_event(
            actor=actor,
            action="screening.open",
            target_type="screening",
            target_id=str(job_id)[:64],
            outcome=Outcome.DENIED,
            domain=DOMAIN,
        )
        raise Http404("not found")
    return job


def job_results(
    *, actor: User, job: ScreeningJob, limit: int | None = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of results: per name with a hit (hit/no-hit: listed + contact only)."""
    view = screening_view(actor)
    hits = ScreeningHit.objects.filter(job=job).order_by("line", "-score")
    lines = list(hits.values_list("line", flat=True).distinct().order_by("line"))
    count = len(lines)
    page_lines = lines[offset : offset + limit if limit else None]
    rows = list(hits.filter(line__in=page_lines)) if page_lines else []
    shown = visible_ids(actor, {h.record_id for h in rows}) if view == DETAIL else set()
    refs = screening_selectors.references(shown)
    records = screening_selectors.records_by_id(shown) if view == DETAIL else {}
    out: dict[int, dict[str, Any]] = {}
    for hit in rows:
        row = out.setdefault(
            hit.line,
            {
                "line": hit.line,
                "query_id": hit.query_id,
                "name": hit.query.get("name", ""),
                "query": hit.query,
                "listed": True,
                "contact": str(BODY_CONTACT),
            },
        )
        if view != DETAIL:
            row.pop("query", None)
            continue
        row.setdefault("matches", [])
        row.setdefault("outside_view", False)
        if str(hit.record_id) in shown:
            match = _match_out(hit, refs)
            match.update(
                hit_id=str(hit.id),
                decision=hit.decision,
                comment=hit.comment,
                record=records.get(str(hit.record_id), {}),
            )
            row["matches"].append(match)
        else:
            row["outside_view"] = True
    record_event(
        actor=actor,
        action="screening.results",
        target_type="screening",
        target_id=job.id,
        domain=DOMAIN,
        detail={"ids": sorted(shown), "count": count},
    )
    return [out[line] for line in page_lines if line in out], count


def hit_for_decision(*, actor: User, hit_id: Any) -> ScreeningHit:
    hit = ScreeningHit.objects.filter(pk=hit_id, organisation_id=actor.organisation_id).first()
    if hit is None or screening_view(actor) != DETAIL:
        raise Http404("not found")
    if not visible_ids(actor, [hit.record_id]):
        raise Http404("not found")
    return hit


def alert_list(*, actor: User, limit: int = 50, offset: int = 0) -> tuple[QuerySet, int]:
    """Enumeration alerts: the body's analysts only."""
    if not can(actor, Action.REGISTRY_REVIEW):
        record_event(actor=actor, action="screening.alerts", outcome=Outcome.DENIED, domain=DOMAIN)
        raise Http404("not found")
    qs = EnumerationAlert.objects.select_related("user", "organisation")
    return qs[offset : offset + limit], qs.count()


def hit_check_observe(*, actor: User, name: str, birth_date: str, hit_ids: list[str]) -> None:
    """Keep the registry's hit/no-hit check with the screenings (rate and enumeration)."""
    from .services import hit_check_observe as observe

    observe(actor=actor, name=name, birth_date=birth_date, hit_ids=hit_ids)


def proposal_duplicates(*, actor: User, entity_id: Any) -> dict[str, Any]:
    """Likely duplicates of a proposal: those the actor may see; for the rest, the body checks.
    Validators (the body) see them all."""
    from django.utils.translation import gettext as _

    record = screening_selectors.proposal_as_record(entity_id)
    if record is None:
        return {"items": [], "note": ""}
    items, others = likely_duplicates(actor=actor, record=record, exclude=entity_id)
    for item in items:
        item.pop("explanation", None)
    note = (
        "" if is_body_analyst(actor) else str(_("The coordination body will check for duplicates."))
    )
    if note:
        # Whether others exist is not said: that alone would tell a listing out of scope.
        return {"items": items, "note": note}
    return {"items": items, "others": others, "note": note}


def duplicate_pairs(*, actor: User, threshold: float | None = None) -> list[dict[str, Any]]:
    """Likely duplicate pairs among the listed persons the actor may see (journaled)."""
    from vigie.screening import index

    if screening_view(actor) != DETAIL:
        record_event(
            actor=actor, action="screening.duplicates", outcome=Outcome.DENIED, domain=DOMAIN
        )
        raise Http404("not found")
    matcher = index.matcher()
    shown = {str(pk) for pk in visible_entities(actor).values_list("pk", flat=True)}
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        for record, found in zip(
            batch, matcher.match(batch, threshold=threshold, limit=6), strict=True
        ):
            for candidate in found:
                other = str(candidate.record_id)
                if other == record["id"] or other not in shown:
                    continue
                key = tuple(sorted((record["id"], other)))
                if key not in pairs:
                    pairs[key] = {  # type: ignore[index]
                        "a": key[0],
                        "b": key[1],
                        "score": candidate.score,
                        "summary": candidate.explanation.summary(),
                    }
        batch.clear()

    for record in screening_selectors.screening_records(shown):
        batch.append(record)
        if len(batch) >= 200:
            flush()
    flush()
    refs = screening_selectors.references({i for pair in pairs for i in pair})
    out = sorted(pairs.values(), key=lambda p: -p["score"])
    for pair in out:
        pair["a_reference"] = refs.get(pair["a"], ("", ""))[0]
        pair["b_reference"] = refs.get(pair["b"], ("", ""))[0]
    record_event(
        actor=actor,
        action="screening.duplicates",
        domain=DOMAIN,
        detail={"pairs": len(out), "ids": sorted({i for pair in pairs for i in pair})},
    )
    return out
