"""Every write of the screening app: screenings and their lists, hits and their review,
enumeration alerts, the retention purge, and the index's change log. Each screening is
journaled (who, how many names, SHA-256 of the list, how many hits, which persons — ids only).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.access.policy import Action, can, is_active_member, is_body_analyst
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.errors import RateLimited
from vigie.core.models import User
from vigie.core.references import next_reference
from vigie.screening import lists
from vigie.screening.engine import Candidate
from vigie.screening.normalise import normalise_name

from .models import EnumerationAlert, IndexChange, ScreeningHit, ScreeningJob, ScreeningQuery

DOMAIN = "database"
STORED_REJECTS = 200
BATCH = 500


# --- The index's change log ----------------------------------------------------------------------


def index_change_record(*, entity_id: Any) -> None:
    """In the registry write's transaction (signal handler): the indexes must look again."""
    IndexChange.objects.create(entity_id=entity_id)


def last_change_seq() -> int:
    return IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def changes_after(seq: int) -> list[str]:
    return [
        str(i) for i in IndexChange.objects.filter(id__gt=seq).values_list("entity_id", flat=True)
    ]


# --- Who may screen, and how much they see -------------------------------------------------------

DETAIL = "detail"  # card or full record: candidates with score and explanation, in scope
HIT_NO_HIT = "hit_no_hit"  # listed / not listed and the contact point, nothing else


def screening_view(actor: Any) -> str | None:
    """What `actor` sees of a screening (the access policy's record view decides)."""
    if not is_active_member(actor):
        return None
    if can(actor, Action.REGISTRY_LIST):
        return DETAIL
    if can(actor, Action.REGISTRY_HIT_CHECK):
        return HIT_NO_HIT
    return None


def require_screening(actor: Any) -> str:
    view = screening_view(actor)
    if view is None:
        if getattr(actor, "is_authenticated", False):
            record_event(actor=actor, action="screening.run", outcome=Outcome.DENIED, domain=DOMAIN)
        raise PermissionDenied(_("You are not allowed to screen names."))
    return view


def _throttle(actor: User, names: int, *, journal: bool = True) -> None:
    """Hit/no-hit profiles: names per user per hour (SCREENING_HIT_NO_HIT_NAMES_PER_HOUR)."""
    limit = settings.SCREENING_HIT_NO_HIT_NAMES_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    used = (
        ScreeningJob.objects.filter(owner=actor, created_at__gte=since).aggregate(n=Sum("total"))[
            "n"
        ]
        or 0
    )
    if used + names > limit:
        if journal:
            throttle_denied(actor, names, used)
        raise RateLimited(
            _("At most %(limit)d names an hour for a hit/no-hit profile (%(used)d used).")
            % {"limit": limit, "used": used},
            retry_after=3600,
        )


def throttle_denied(actor: User, names: int, used: int | None = None) -> None:
    record_event(
        actor=actor,
        action="screening.run",
        outcome=Outcome.DENIED,
        domain=DOMAIN,
        detail={"reason": "rate_limited", "names": names, "used": used},
    )


# --- Enumeration ---------------------------------------------------------------------------------


def token_counts(queries: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many names hold each name token (as a short hash: no name reaches the database)."""
    counts: Counter[str] = Counter()
    for query in queries:
        try:
            tokens = normalise_name(query.get("name"))
        except ValueError:
            continue
        keys = {t.keys[0] for t in tokens if not t.initial and t.keys and t.keys[0]}
        counts.update(hashlib.sha256(k.encode()).hexdigest()[:12] for k in keys)
    return dict(counts.most_common(50))


def enumeration_check(*, actor: User) -> EnumerationAlert | None:
    """Many names with few hits, or a sweep through one name, within the window: an alert for
    the body's analysts (once per reason per window) and a journal event."""
    rules = settings.SCREENING_ENUMERATION
    since = timezone.now() - timedelta(minutes=rules["window_minutes"])
    jobs = list(
        ScreeningJob.objects.filter(owner=actor, created_at__gte=since).values(
            "total", "hits", "token_counts"
        )
    )
    names = sum(j["total"] for j in jobs)
    hits = sum(j["hits"] for j in jobs)
    tokens: Counter[str] = Counter()
    for job in jobs:
        tokens.update(job["token_counts"] or {})
    top = tokens.most_common(1)[0][1] if tokens else 0
    reason = ""
    if names >= rules["min_names"] and hits <= names * rules["max_hit_ratio"]:
        reason = "many_names_few_hits"
    elif names >= rules["sweep_min_names"] and top >= names * rules["sweep_token_share"]:
        reason = "name_sweep"
    if not reason:
        return None
    if EnumerationAlert.objects.filter(user=actor, reason=reason, created_at__gte=since).exists():
        return None
    detail = {
        "names": names,
        "hits": hits,
        "top_token_share": round(top / names, 3) if names else 0,
        "window_minutes": rules["window_minutes"],
    }
    alert = EnumerationAlert.objects.create(
        user=actor, organisation=actor.organisation, reason=reason, detail=detail
    )
    record_event(
        actor=None,
        action="screening.enumeration_alert",
        target_type="user",
        target_id=actor.id,
        domain=DOMAIN,
        detail={"reason": reason, "user": actor.username, **detail},
    )
    return alert


# --- Screening -----------------------------------------------------------------------------------


def _threshold(view: str, threshold: float | None) -> float:
    default = settings.SCREENING_THRESHOLD
    if threshold is None or view == HIT_NO_HIT:
        return default  # a hit/no-hit profile cannot lower the bar to probe the list
    if not 0.5 <= threshold <= 1.0:
        raise ValidationError({"threshold": _("The threshold is between 0.5 and 1.")})
    return threshold


def list_digest(queries: Iterable[Mapping[str, Any]]) -> str:
    digest = hashlib.sha256()
    for query in queries:
        digest.update(json.dumps(query, sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def check_queries(queries: list[Mapping[str, Any]]) -> None:
    """Every query valid, or a ValidationError naming each bad one (`queries.3.name`)."""
    errors: dict[str, list[str]] = {}
    for position, query in enumerate(queries):
        error = lists.check_query(query) if isinstance(query, Mapping) else "expected an object"
        if error:
            field, _sep, message = error.partition(": ")
            errors[f"queries.{position}.{field}"] = [message or error]
    if errors:
        raise ValidationError(errors)


def explanation_data(candidate: Candidate) -> dict[str, Any]:
    return asdict(candidate.explanation)


def _journal_run(actor: User, job: ScreeningJob, hit_ids: Iterable[str]) -> None:
    record_event(
        actor=actor,
        action="screening.run",
        target_type="screening",
        target_id=job.id,
        domain=DOMAIN,
        purpose=job.purpose,
        detail={
            "reference": job.reference,
            "kind": job.kind,
            "names": job.total,
            "sha256": job.sha256,
            "hits": job.hits,
            "ids": sorted(set(hit_ids)),
        },
    )


def screen_now(
    *,
    actor: User,
    queries: list[dict[str, Any]],
    kind: str = ScreeningJob.Kind.MATCH,
    purpose: str = "",
    threshold: float | None = None,
    limit: int = 5,
) -> tuple[ScreeningJob, list[list[Candidate]]]:
    """Screen a few queries now (search box, API call): the raw candidates per query, and the
    job row that keeps the screening for the retention period. Callers narrow the candidates
    to the actor's view (selectors.screening_results)."""
    from vigie.screening import index

    view = require_screening(actor)
    if len(queries) > settings.SCREENING_MATCH_MAX_QUERIES:
        raise ValidationError(_("Too many names for one call."))
    queries = [
        {**q, "id": q.get("id") or str(n)} if isinstance(q, Mapping) else q
        for n, q in enumerate(queries, 1)
    ]
    check_queries(queries)
    bar = _threshold(view, threshold)
    if view == HIT_NO_HIT:
        _throttle(actor, len(queries))
    results = index.matcher().match(queries, threshold=bar, limit=max(1, min(limit, 20)))
    with transaction.atomic():
        job = ScreeningJob.objects.create(
            reference=next_reference("SC"),
            kind=kind,
            status=ScreeningJob.Status.DONE,
            owner=actor,
            organisation=actor.organisation,
            purpose=purpose[:500],
            sha256=list_digest(queries),
            total=len(queries),
            processed=len(queries),
            hits=sum(1 for found in results if found),
            threshold=bar,
            token_counts=token_counts(queries) if view == HIT_NO_HIT else {},
            finished_at=timezone.now(),
        )
        ScreeningHit.objects.bulk_create(
            _hit_rows(
                job,
                [
                    (n + 1, q, found)
                    for n, (q, found) in enumerate(zip(queries, results, strict=True))
                ],
            )
        )
        _journal_run(actor, job, (str(c.record_id) for found in results for c in found))
        if view == HIT_NO_HIT:
            enumeration_check(actor=actor)
    return job, results


def _hit_rows(
    job: ScreeningJob, found: Iterable[tuple[int, Mapping[str, Any], list[Candidate]]]
) -> list[ScreeningHit]:
    return [
        ScreeningHit(
            job=job,
            owner=job.owner,
            organisation=job.organisation,
            line=line,
            query_id=str(query.get("id") or line)[:100],
            query=dict(query),
            record_id=candidate.record_id,
            score=candidate.score,
            explanation=explanation_data(candidate),
            summary=candidate.explanation.summary(),
        )
        for line, query, candidates in found
        for candidate in candidates
    ]


def hit_check_observe(*, actor: User, name: str, birth_date: str, hit_ids: list[str]) -> None:
    """A registry hit/no-hit check, kept like any screening (enumeration counts it)."""
    query = {"id": "1", "name": name, "birth_date": birth_date or None}
    ScreeningJob.objects.create(
        reference=next_reference("SC"),
        kind=ScreeningJob.Kind.HIT_CHECK,
        status=ScreeningJob.Status.DONE,
        owner=actor,
        organisation=actor.organisation,
        sha256=list_digest([query]),
        total=1,
        processed=1,
        hits=1 if hit_ids else 0,
        threshold=settings.SCREENING_THRESHOLD,
        token_counts=token_counts([query]),
        finished_at=timezone.now(),
    )
    enumeration_check(actor=actor)


# --- Lists (background jobs) ---------------------------------------------------------------------


def _reject(job: ScreeningJob, line: int, error: str) -> None:
    job.rejected_count += 1
    if len(job.rejected) < STORED_REJECTS:
        job.rejected.append({"line": line, "error": error[:300]})


def job_create(
    *,
    actor: User,
    data: IO[bytes] | None = None,
    filename: str = "",
    mapping: Mapping[str, str] | None = None,
    queries: list[dict[str, Any]] | None = None,
    purpose: str = "",
    threshold: float | None = None,
    enqueue: bool = True,
    on_reject: Callable[[int, str], None] | None = None,
) -> ScreeningJob:
    """Store a list (a CSV/XLSX file, streamed, or JSON queries) and queue its screening.

    All or nothing: a file that cannot be read, lacks the name column or exceeds
    SCREENING_JOB_MAX_ROWS leaves nothing behind (ValidationError with the reason). Bad rows
    are skipped and listed with their line number in `job.rejected`."""
    view = require_screening(actor)
    bar = _threshold(view, threshold)
    cap = settings.SCREENING_JOB_MAX_ROWS
    try:
        with transaction.atomic():
            job = ScreeningJob.objects.create(
                reference=next_reference("SC"),
                kind=ScreeningJob.Kind.LIST,
                owner=actor,
                organisation=actor.organisation,
                purpose=purpose[:500],
                filename=filename[:200],
                sha256="",
                threshold=bar,
            )
            tokens: Counter[str] = Counter()
            batch: list[ScreeningQuery] = []
            total = 0

            def flush() -> None:
                if view == HIT_NO_HIT:
                    tokens.update(token_counts(q.data for q in batch))
                ScreeningQuery.objects.bulk_create(batch)
                batch.clear()

            if data is not None:
                reader = lists.read_list(data, filename, mapping, max_rows=cap)
                rows: Iterable[lists.Row] = reader.rows()
            else:
                reader = None
                items = queries or []
                if len(items) > cap:
                    raise lists.ListError(
                        f"the list has more than {cap:,} rows (the limit for one job)"
                    )
                rows = (
                    lists.Row(n, q if not lists.check_query(q) else None, lists.check_query(q))
                    if isinstance(q, Mapping)
                    else lists.Row(n, None, "record: expected an object")
                    for n, q in enumerate(items, 1)
                )
            for row in rows:
                if row.query is None:
                    _reject(job, row.line, row.error)
                    if on_reject is not None:
                        on_reject(row.line, row.error)
                    continue
                total += 1
                if view == HIT_NO_HIT and total == 1:
                    _throttle(actor, 1, journal=False)
                batch.append(
                    ScreeningQuery(
                        job=job,
                        line=row.line,
                        query_id=str(row.query["id"])[:100],
                        name=str(row.query["name"])[:500],
                        data=row.query,
                    )
                )
                if len(batch) >= BATCH:
                    flush()
            flush()
            if total == 0:
                raise lists.ListError(
                    "no row to screen"
                    + (
                        f" ({job.rejected_count} bad rows, e.g. line "
                        f"{job.rejected[0]['line']}: {job.rejected[0]['error']})"
                        if job.rejected
                        else ""
                    )
                )
            if view == HIT_NO_HIT:
                _throttle(actor, total, journal=False)
            job.total = total
            job.sha256 = reader.sha256 if reader else list_digest(queries or [])
            job.warnings = reader.warnings if reader else []
            job.token_counts = dict(tokens.most_common(50))
            job.save()
            record_event(
                actor=actor,
                action="screening.submit",
                target_type="screening",
                target_id=job.id,
                domain=DOMAIN,
                purpose=job.purpose,
                detail={
                    "reference": job.reference,
                    "names": total,
                    "rejected": job.rejected_count,
                    "sha256": job.sha256,
                },
            )
            if enqueue:
                from .tasks import screen_list

                screen_list.enqueue(str(job.id))
    except lists.ListError as error:
        raise ValidationError({"file": [str(error)]}) from None
    except RateLimited:
        throttle_denied(actor, -1)  # the list was refused; the refusal stays in the journal
        raise
    return job


def job_run(*, job_id: Any, progress: Callable[[int], None] | None = None) -> ScreeningJob:
    """Screen a queued list in batches, recording progress; the worker calls this."""
    from vigie.screening import index

    job = ScreeningJob.objects.select_related("owner__organisation").get(pk=job_id)
    if job.status != ScreeningJob.Status.QUEUED:
        return job
    actor = job.owner
    ScreeningJob.objects.filter(pk=job.pk).update(status=ScreeningJob.Status.RUNNING)
    hit_ids: set[str] = set()
    hits = processed = 0
    try:
        matcher = index.matcher()
        last = 0
        while True:
            batch = list(
                ScreeningQuery.objects.filter(job=job, line__gt=last).order_by("line")[:BATCH]
            )
            if not batch:
                break
            results = matcher.match([q.data for q in batch], threshold=job.threshold)
            with transaction.atomic():
                ScreeningHit.objects.bulk_create(
                    _hit_rows(
                        job, [(q.line, q.data, r) for q, r in zip(batch, results, strict=True)]
                    )
                )
                processed += len(batch)
                hits += sum(1 for r in results if r)
                hit_ids.update(str(c.record_id) for r in results for c in r)
                ScreeningJob.objects.filter(pk=job.pk).update(processed=processed, hits=hits)
            last = batch[-1].line
            if progress is not None:
                progress(len(batch))
    except Exception as error:
        ScreeningJob.objects.filter(pk=job.pk).update(
            status=ScreeningJob.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        job.refresh_from_db()
        job.status = ScreeningJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        _journal_run(actor, job, hit_ids)
        if screening_view(actor) == HIT_NO_HIT:
            enumeration_check(actor=actor)
    return job


# --- Review --------------------------------------------------------------------------------------


def hit_decide(*, actor: User, hit: ScreeningHit, decision: str, comment: str = "") -> ScreeningHit:
    """The screening's organisation reviews a hit: confirm, false positive or escalate."""
    own = screening_view(actor) == DETAIL and hit.organisation_id == actor.organisation_id
    if not own and not is_body_analyst(actor):
        raise PermissionDenied(_("You are not allowed to do this."))
    if decision not in ScreeningHit.Decision.values or decision == ScreeningHit.Decision.PENDING:
        raise ValidationError({"decision": _("Choose confirm, false positive or escalate.")})
    comment = comment.strip()
    if len(comment) > 5000 or any(ord(c) < 32 and c not in "\t\n\r" for c in comment):
        raise ValidationError({"comment": _("At most 5,000 characters, no control characters.")})
    with transaction.atomic():
        hit = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
        hit.decision = decision
        hit.comment = comment
        hit.decided_by = actor
        hit.decided_at = timezone.now()
        hit.save()
        record_event(
            actor=actor,
            action="screening.hit_decide",
            target_type="entity",
            target_id=hit.record_id,
            domain=DOMAIN,
            detail={"hit": str(hit.id), "decision": decision},
        )
    return hit


# --- Retention -----------------------------------------------------------------------------------


def screening_purge(*, now: Any = None) -> dict[str, int]:
    """Delete screened lists and results older than SCREENING_RETENTION_DAYS; confirmed hits
    stay (without their list). Journaled with the counts."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SCREENING_RETENTION_DAYS)
    with transaction.atomic():
        old = ScreeningJob.objects.filter(created_at__lt=cutoff)
        hits = (
            ScreeningHit.objects.filter(created_at__lt=cutoff)
            .exclude(decision=ScreeningHit.Decision.CONFIRMED)
            .delete()[0]
        )
        queries = ScreeningQuery.objects.filter(job__in=old).delete()[0]
        jobs = old.delete()[1].get("screening.ScreeningJob", 0)
        changes = IndexChange.objects.filter(changed_at__lt=cutoff).delete()[0]
        counts = {"jobs": jobs, "queries": queries, "hits": hits, "index_changes": changes}
        record_event(actor=None, action="screening.purge", domain=DOMAIN, detail=counts)
    return counts
