"""Walk the journal's chain and checkpoints, in bounded memory, and name the first break."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from vigie.audit.models import AuditEvent, ChainHead, Checkpoint
from vigie.audit.services import GENESIS_HASH, checkpoint_signature, compute_hash

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int  # events walked
    checkpoints: int  # checkpoints checked
    head_seq: int
    head_hash: str
    broken_seq: int | None = None  # the first broken (or missing) event
    problem: str = ""

    def summary(self) -> str:
        if self.ok:
            return (
                f"journal intact: {self.events} events, {self.checkpoints} checkpoints, "
                f"head #{self.head_seq} {self.head_hash[:16]}"
            )
        return f"journal broken at event #{self.broken_seq}: {self.problem}"


def _checkpoints(up_to: int, chunk_size: int) -> Iterator[Checkpoint]:
    yield from Checkpoint.objects.filter(seq__lte=up_to).order_by("seq").iterator(chunk_size)


def verify_journal(*, chunk_size: int = CHUNK_SIZE) -> VerifyResult:
    """Check every event's hash and link, the sequence, every checkpoint, and the head.

    Detects a row altered (hash), deleted (gap, or a checkpoint / the head beyond the end),
    inserted (link or hash), or cut from the end (a checkpoint or the head beyond the end).
    Only the events up to the head read at the start are walked, so appends during the walk
    do not count as breaks.
    """
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    head_seq, head_hash = head if head else (0, GENESIS_HASH)
    if head is None:
        # No head: trust nothing beyond what the events themselves say.
        head_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    checkpoints = _checkpoints(head_seq, chunk_size)
    next_checkpoint = next(checkpoints, None)
    expected_seq, prev_hash, walked, checked = 1, GENESIS_HASH, 0, 0

    def broken(seq: int, problem: str) -> VerifyResult:
        return VerifyResult(False, walked, checked, head_seq, head_hash, seq, problem)

    events = AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq").iterator(chunk_size)
    for event in events:
        if event.seq != expected_seq:
            return broken(expected_seq, f"missing (the next event is #{event.seq})")
        if event.prev_hash != prev_hash:
            return broken(event.seq, "its link does not match the previous event's hash")
        if event.hash != compute_hash(event):
            return broken(event.seq, "its content does not match its hash (altered)")
        while next_checkpoint is not None and next_checkpoint.seq <= event.seq:
            cp = next_checkpoint
            if cp.seq != event.seq:
                return broken(cp.seq, "a checkpoint seals an event that is not in the chain")
            if not hmac.compare_digest(
                cp.signature, checkpoint_signature(seq=cp.seq, event_hash=cp.hash)
            ):
                return broken(cp.seq, "its checkpoint's signature is invalid")
            if cp.hash != event.hash:
                return broken(cp.seq, "its hash differs from the one its checkpoint sealed")
            checked += 1
            next_checkpoint = next(checkpoints, None)
        prev_hash = event.hash
        walked += 1
        expected_seq += 1
    last_seq = expected_seq - 1
    # A checkpoint past the end whose event is gone: the tail was cut, even if the attacker
    # rewound the head. (Past the head read at the start, an event may be a fresh append.)
    orphan = (
        Checkpoint.objects.filter(seq__gt=last_seq)
        .exclude(seq__in=AuditEvent.objects.filter(seq__gt=last_seq).values("seq"))
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    if orphan is not None:
        return broken(
            last_seq + 1, f"missing: checkpoint #{orphan} seals a longer chain (tail cut)"
        )
    if head is not None and last_seq < head_seq:
        return broken(last_seq + 1, f"missing: the chain head is #{head_seq} (tail cut)")
    if head is not None and walked and prev_hash != head_hash:
        return broken(last_seq, "the chain head records another hash for it")
    # Events the head does not account for were written around the service.
    current_head = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    stray = (
        AuditEvent.objects.filter(seq__gt=max(current_head, head_seq))
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    if stray is not None:
        return broken(stray, "beyond the chain head (inserted outside the journal service)")
    return VerifyResult(True, walked, checked, head_seq, head_hash)
