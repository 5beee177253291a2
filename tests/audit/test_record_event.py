"""record_event: one chained, hashed row per action, inside the action's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from tests.factories import UserFactory
from vigie.audit.models import AuditEvent, ChainHead, Checkpoint, Outcome
from vigie.audit.services import (
    GENESIS_HASH,
    checkpoint_seal,
    checkpoint_signature,
    compute_hash,
    record_event,
)
from vigie.core import context
from vigie.core.choices import Sector

pytestmark = pytest.mark.django_db


def test_events_form_a_chain() -> None:
    first = record_event(actor=None, action="test.one")
    second = record_event(actor=None, action="test.two")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    stored = AuditEvent.objects.get(seq=2)
    assert stored.hash == compute_hash(stored) == second.hash
    assert ChainHead.objects.get().seq == 2


def test_actor_organisation_and_context_are_copied(user_in: Any) -> None:
    officer = user_in(Sector.POLICE)
    token = context.request_id.set("req-12345678")
    try:
        event = record_event(
            actor=officer,
            action="person.read",
            target_type="person",
            target_id=officer.id,
            purpose="case 42",
            detail={"fields": ["card"]},
        )
    finally:
        context.request_id.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id == officer.id
    assert stored.actor_username == officer.username
    assert stored.organisation_code == officer.organisation.code
    assert stored.actor_sector == Sector.POLICE
    assert stored.target_id == str(officer.id)
    assert stored.request_id == "req-12345678"
    assert stored.outcome == Outcome.DONE
    assert stored.hash == compute_hash(stored)


def test_anonymous_attempt_keeps_the_typed_name_and_denied_outcome() -> None:
    event = record_event(
        actor=None, action="session.login", actor_username="mallory", outcome=Outcome.DENIED
    )
    assert (event.actor_username, event.actor_id, event.outcome) == ("mallory", None, "denied")


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError):
        record_event(actor=None, action="test.bad", outcome="maybe")
    assert not AuditEvent.objects.exists()


def test_event_rolls_back_with_the_action() -> None:
    record_event(actor=None, action="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=None, action="test.lost")
        raise RuntimeError("the action failed")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.kept"]
    assert ChainHead.objects.get().seq == 1
    assert record_event(actor=None, action="test.next").seq == 2


def test_the_actor_is_not_a_foreign_key() -> None:
    # Deleting a user must never cascade into the journal.
    fields = {f.name: f for f in AuditEvent._meta.get_fields()}
    assert not any(f.is_relation for f in fields.values())
    user = UserFactory()
    record_event(actor=user, action="test.actor")
    user.delete()
    assert AuditEvent.objects.get().actor_username == user.username


def test_checkpoint_every_n_events(audit_every: Any) -> None:
    for _ in range(11):
        record_event(actor=None, action="test.tick")
    checkpoints = list(Checkpoint.objects.all())
    assert [c.seq for c in checkpoints] == [5, 10]
    for cp in checkpoints:
        assert cp.hash == AuditEvent.objects.get(seq=cp.seq).hash
        assert cp.signature == checkpoint_signature(seq=cp.seq, event_hash=cp.hash)


def test_checkpoint_signature_depends_on_the_key(settings: Any) -> None:
    signature = checkpoint_signature(seq=1, event_hash="a" * 64)
    settings.AUDIT_CHECKPOINT_KEY = "another key"
    assert checkpoint_signature(seq=1, event_hash="a" * 64) != signature


def test_checkpoint_seal_seals_the_head_once() -> None:
    with pytest.raises(ValueError):
        checkpoint_seal()
    record_event(actor=None, action="test.one")
    head = record_event(actor=None, action="test.two")
    first = checkpoint_seal()
    again = checkpoint_seal()
    assert (first.seq, first.hash) == (2, head.hash)
    assert again.pk == first.pk
    assert Checkpoint.objects.count() == 1


def test_a_lost_head_restarts_from_the_last_event() -> None:
    record_event(actor=None, action="test.one")
    last = record_event(actor=None, action="test.two")
    ChainHead.objects.all().delete()  # the head is a cache, not protected
    event = record_event(actor=None, action="test.three")
    assert (event.seq, event.prev_hash) == (3, last.hash)
