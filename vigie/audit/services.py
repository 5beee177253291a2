"""The one service that writes the journal. Call it inside the transaction of the action."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone

from vigie.audit.models import AuditEvent, ChainHead, Outcome
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
    """
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
        target_id=str(target_id or ""),
        purpose=purpose[:500],
        request_id=request_id if request_id is not None else context.request_id.get(),
        outcome=outcome,
        detail=detail or {},
    )
    with transaction.atomic():
        # The locked section: read the head, chain, write. Everything else is prepared above.
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1, seq=0, hash=GENESIS_HASH)
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event
