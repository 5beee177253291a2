"""`vigie audit verify`: intact, and each tampering named at its first broken event."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.audit.conftest import triggers_dropped
from vigie.audit.models import AuditEvent, ChainHead
from vigie.audit.services import compute_hash, record_event
from vigie.audit.verify import verify_journal

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(audit_every: Any) -> list[AuditEvent]:
    """12 events, checkpoints at #5 and #10."""
    return [record_event(actor=None, action="test.event", detail={"n": n}) for n in range(12)]


def run_verify() -> str:
    out = StringIO()
    call_command("audit", "verify", "--chunk-size", "3", stdout=out)
    return out.getvalue()


def broken_message() -> str:
    with pytest.raises(CommandError) as info:
        run_verify()
    return str(info.value)


def test_intact_journal_exits_zero_with_a_summary(journal: list[AuditEvent]) -> None:
    output = run_verify()
    assert output.startswith("journal intact: 12 events, 2 checkpoints, head #12")
    assert output.count("\n") == 1


def test_empty_journal_is_intact() -> None:
    assert verify_journal().ok


def test_altered_event_is_named(journal: list[AuditEvent]) -> None:
    with triggers_dropped() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE seq = 7")
    message = broken_message()
    assert message == "journal broken at event #7: its content does not match its hash (altered)"


def test_altered_event_with_recomputed_hash_breaks_the_next_link(
    journal: list[AuditEvent],
) -> None:
    # The attacker recomputes #3's hash; #4 still links to the old one.
    event = AuditEvent.objects.get(seq=3)
    event.purpose = "rewritten"
    with triggers_dropped() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET purpose = %s, hash = %s WHERE seq = 3",
            [event.purpose, compute_hash(event)],
        )
    assert broken_message().startswith("journal broken at event #4: its link")


def test_deleted_event_is_named(journal: list[AuditEvent]) -> None:
    with triggers_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 4")
    assert broken_message() == "journal broken at event #4: missing (the next event is #5)"


def test_inserted_event_is_named(journal: list[AuditEvent]) -> None:
    # Make room at #6 by renumbering the rest, then slip in a well-formed forged event.
    forged = AuditEvent(
        seq=6,
        occurred_at=journal[5].occurred_at,
        actor_username="ghost",
        action="person.delete",
        prev_hash="f" * 64,
    )
    forged.hash = compute_hash(forged)
    with triggers_dropped() as cursor:
        for seq in range(12, 5, -1):
            cursor.execute("UPDATE audit_auditevent SET seq = seq + 1 WHERE seq = %s", [seq])
        forged.save(force_insert=True)
    message = broken_message()
    assert message.startswith("journal broken at event #6: its link")


def test_tail_cut_is_detected_by_a_checkpoint(journal: list[AuditEvent]) -> None:
    # The attacker cuts #9..#12 and even rewinds the head: checkpoint #10 still tells.
    with triggers_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq >= 9")
    ChainHead.objects.update(seq=8, hash=journal[7].hash)
    assert broken_message() == (
        "journal broken at event #9: missing: checkpoint #10 seals a longer chain (tail cut)"
    )


def test_tail_cut_after_the_last_checkpoint_is_detected_by_the_head(
    journal: list[AuditEvent],
) -> None:
    with triggers_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq >= 11")
    assert broken_message() == (
        "journal broken at event #11: missing: the chain head is #12 (tail cut)"
    )


def test_forged_checkpoint_is_detected(journal: list[AuditEvent], settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_KEY = "a key the attacker guessed"
    assert broken_message() == "journal broken at event #5: its checkpoint's signature is invalid"


def test_event_appended_around_the_service_is_detected(journal: list[AuditEvent]) -> None:
    forged = AuditEvent(seq=13, actor_username="ghost", action="x", prev_hash=journal[-1].hash)
    forged.hash = compute_hash(forged)
    forged.save(force_insert=True)
    assert broken_message().startswith("journal broken at event #13: beyond the chain head")


def test_verify_result_names_counts(journal: list[AuditEvent]) -> None:
    result = verify_journal(chunk_size=5)
    assert (result.ok, result.events, result.checkpoints, result.head_seq) == (True, 12, 2, 12)
    assert result.head_hash == journal[-1].hash
