"""The database itself refuses to change or remove journal rows and checkpoints."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from vigie.audit.models import AuditEvent, Checkpoint
from vigie.audit.services import checkpoint_seal, record_event

pytestmark = pytest.mark.django_db


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_auditevent', 'audit_checkpoint')"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                "('audit_auditevent'::regclass, 'audit_checkpoint'::regclass)"
            )
        return {row[0] for row in cursor.fetchall()}


def test_triggers_exist_after_migrate() -> None:
    if connection.vendor == "sqlite":
        expected = {
            f"{table}_{what}"
            for table in ("audit_auditevent", "audit_checkpoint")
            for what in ("no_update", "no_delete")
        }
    else:
        expected = {
            f"{table}_{what}"
            for table in ("audit_auditevent", "audit_checkpoint")
            for what in ("no_update_delete", "no_truncate")
        }
    assert trigger_names() == expected


@pytest.fixture
def sealed_event() -> AuditEvent:
    event = record_event(actor=None, action="test.event", purpose="why")
    checkpoint_seal()
    return event


def test_update_of_an_event_raises_integrity_error(sealed_event: AuditEvent) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=sealed_event.pk).update(purpose="rewritten")
    sealed_event.refresh_from_db()
    assert sealed_event.purpose == "why"


def test_delete_of_an_event_raises_integrity_error(sealed_event: AuditEvent) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=sealed_event.pk).delete()
    assert AuditEvent.objects.filter(pk=sealed_event.pk).exists()


def test_update_and_delete_of_a_checkpoint_raise_integrity_error(
    sealed_event: AuditEvent,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkpoint.objects.update(signature="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Checkpoint.objects.all().delete()
    assert Checkpoint.objects.get().signature != "0" * 64


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE: PostgreSQL run")
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_checkpoint"])
def test_truncate_is_refused_on_postgresql(sealed_event: AuditEvent, table: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_flush() -> None:
    # This test ends with Django's flush: the harness's bypass must let it through.
    record_event(actor=None, action="test.flush")
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_flush_bypass_is_only_around_the_flush() -> None:
    # Runs after a flush: the table is empty, and outside the flush deleting is still refused.
    assert AuditEvent.objects.count() == 0
    record_event(actor=None, action="test.flush")
    with pytest.raises(IntegrityError):
        AuditEvent.objects.all().delete()
