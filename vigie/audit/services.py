"""The one service that writes the journal. Call it inside the transaction of the action."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from vigie.access.policy import Action, journal_scope
from vigie.audit.models import AuditEvent, ChainHead, Checkpoint, Outcome
from vigie.core import context

GENESIS_HASH = "0" * 64
SYSTEM_USERNAME = "system"


def canonical_form(fields: dict[str, Any]) -> bytes:
    """The bytes the hash covers: sorted-key JSON of every field but the hash itself."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "id": str(event.id),
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": str(event.actor_id) if event.actor_id else "",
        "actor_username": event.actor_username,
        "organisation_code": event.organisation_code,
        "actor_sector": event.actor_sector,
        "action": event.action,
        "domain": event.domain,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "purpose": event.purpose,
        "request_id": event.request_id,
        "outcome": event.outcome,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_form(event_fields(event))).hexdigest()


def checkpoint_signature(*, seq: int, event_hash: str) -> str:
    """HMAC-SHA256 over the sealed head, with a key the database does not hold."""
    message = f"vigie-audit-checkpoint:{seq}:{event_hash}".encode()
    return hmac.new(settings.AUDIT_CHECKPOINT_KEY.encode(), message, hashlib.sha256).hexdigest()


def _locked_head() -> ChainHead:
    """Lock the one-row chain head (select_for_update; SQLite: BEGIN IMMEDIATE already did)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First append (or head lost): start from the last event, so a new head never forks.
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, last_hash = last if last else (0, GENESIS_HASH)
    try:
        with transaction.atomic():  # a savepoint: losing the race to create it is fine
            ChainHead.objects.create(pk=1, seq=seq, hash=last_hash)
    except IntegrityError:
        pass
    return ChainHead.objects.select_for_update().get(pk=1)


def _seal(seq: int, event_hash: str) -> Checkpoint:
    return Checkpoint.objects.create(
        seq=seq,
        hash=event_hash,
        signature=checkpoint_signature(seq=seq, event_hash=event_hash),
    )


def record_event(
    *,
    actor: Any | None,
    action: str,
    target_type: str = "",
    target_id: str | object = "",
    purpose: str = "",
    outcome: str = Outcome.DONE,
    domain: str = "",
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
    actor_username: str | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    `actor` is a User, or None for the system actor or an anonymous attempt (then pass
    `actor_username`, e.g. the name typed at a failed sign-in). Runs in the caller's
    transaction when there is one, so the event and the action commit or roll back together.
    Every AUDIT_CHECKPOINT_EVERY events, the same transaction seals a keyed checkpoint.
    """
    if outcome not in Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    organisation = getattr(actor, "organisation", None) if actor is not None else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=getattr(actor, "id", None),
        actor_username=(
            actor.get_username() if actor is not None else (actor_username or SYSTEM_USERNAME)
        )[:150],
        organisation_code=organisation.code if organisation else "",
        actor_sector=organisation.sector if organisation else "",
        action=action,
        domain=domain,
        target_type=target_type,
        target_id="" if target_id is None else str(target_id),
        purpose=purpose[:500],
        request_id=request_id if request_id is not None else context.request_id.get(),
        outcome=outcome,
        detail=detail or {},
    )
    # Round-trip the detail through JSON now, so the hash covers what the database gives back.
    event.detail = json.loads(json.dumps(event.detail, default=str))
    every = settings.AUDIT_CHECKPOINT_EVERY
    with transaction.atomic():
        # The locked section: read the head, chain, write. Everything else is prepared above.
        head = _locked_head()
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
        if every > 0 and event.seq % every == 0:
            _seal(event.seq, event.hash)
    return event


def checkpoint_seal() -> Checkpoint:
    """Seal the current head (`vigie audit checkpoint`); idempotent when it is sealed already."""
    with transaction.atomic():
        head = _locked_head()
        if head.seq == 0:
            raise ValueError("the journal is empty: nothing to seal")
        existing = Checkpoint.objects.filter(seq=head.seq).first()
        return existing or _seal(head.seq, head.hash)


# --- Oversight search -----------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPage:
    items: list[AuditEvent]
    count: int


def _journaled_filters(filters: Any) -> dict[str, Any]:
    """The filters as the journal keeps them: set values only, dates as ISO strings."""
    values = filters.as_dict()
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def journal_access_check(*, actor: Any, filters: Any = None) -> None:
    """Refuse (and journal the refusal of) a journal search by someone outside oversight."""
    if journal_scope(actor) is not None:
        return
    detail = {"filters": _journaled_filters(filters)} if filters is not None else {}
    # Own transaction, committed before raising: the refusal must outlive the error.
    with transaction.atomic():
        record_event(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=Action.JOURNAL_SEARCH,
            domain="journal",
            outcome=Outcome.DENIED,
            detail=detail,
        )
    raise PermissionDenied("Only the oversight bodies may search the journal.")


def journal_search(*, actor: Any, filters: Any, limit: int, offset: int) -> SearchPage:
    """Search the journal for an oversight user, and journal the search (filters and count)."""
    from vigie.audit.selectors import event_search

    journal_access_check(actor=actor, filters=filters)
    # Read first, outside any transaction: on SQLite a transaction holds the write lock.
    queryset = event_search(actor=actor, filters=filters)
    count = queryset.count()
    items = list(queryset[offset : offset + limit])
    record_event(
        actor=actor,
        action=Action.JOURNAL_SEARCH,
        domain="journal",
        detail={
            "filters": _journaled_filters(filters),
            "count": count,
            "limit": limit,
            "offset": offset,
        },
    )
    return SearchPage(items=items, count=count)
