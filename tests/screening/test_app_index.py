"""The per-process index follows the database: validations, aliases, removals, bulk writes."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.screening.conftest import listed
from vigie.registry import services as registry
from vigie.registry.models import Entity, EntityName
from vigie.screening import index, selectors, services

pytestmark = pytest.mark.django_db


def found(actor, name, **extra):
    _job, results = services.screen_now(actor=actor, queries=[{"id": "q", "name": name, **extra}])
    return [str(c.record_id) for c in results[0]]


def test_a_newly_validated_alias_is_found_by_the_next_query(validator):
    proposal = listed(
        validator, "Karim Testouri", aliases=("Abou Qatada Testouri",), validate=False
    )
    assert found(validator, "Abou Qatada Testouri") == []  # a proposal is not listed
    registry.entity_validate(
        actor=validator,
        entity=proposal,
        memberships=[registry.MembershipInput("FTF", "ftf_intending")],
        threat_level=2,
    )
    assert found(validator, "Abu Qatada Testouri") == [str(proposal.id)]


def test_the_index_is_updated_in_place_not_rebuilt_for_new_persons(validator, youssef):
    assert found(validator, "Abou Hafs") == [str(youssef.id)]
    rebuilds = index.current().rebuilds
    other = listed(validator, "Samira Belhadj Testa")
    assert found(validator, "Samira Belhadj Testa") == [str(other.id)]
    assert index.current().rebuilds == rebuilds


def test_a_removed_person_is_no_longer_found(validator, youssef, body):
    from tests.factories import UserFactory
    from vigie.core.choices import Role

    assert found(validator, "Youssef Ezzayani") == [str(youssef.id)]
    registry.entity_review(
        actor=validator, entity=youssef, outcome="propose_removal", reasons="No longer a threat."
    )
    second = UserFactory(organisation=body, role=Role.VALIDATOR)
    registry.entity_remove(actor=second, entity=Entity.objects.get(pk=youssef.pk))
    assert found(validator, "Youssef Ezzayani") == []


def test_a_write_without_signals_is_seen_through_updated_at(validator, youssef):
    assert found(validator, "Abou Hafs") == [str(youssef.id)]
    # A bulk load writes rows without signals but moves updated_at.
    EntityName.objects.bulk_create(
        [
            EntityName(
                entity=youssef,
                full_name="Yassine Zayani Bulkload",
                script="latin",
                name_type="alias",
            )
        ]
    )
    Entity.objects.filter(pk=youssef.pk).update(updated_at=timezone.now())
    assert found(validator, "Yassine Zayani Bulkload") == [str(youssef.id)]


def test_polling_waits_for_its_interval(settings, validator, youssef):
    settings.SCREENING_INDEX_POLL_SECONDS = 3600
    assert found(validator, "Abou Hafs") == [str(youssef.id)]
    other = listed(validator, "Samira Belhadj Testa")
    assert found(validator, "Samira Belhadj Testa") == []  # not looked yet
    index.current().notified.set()  # what a NOTIFY does
    assert found(validator, "Samira Belhadj Testa") == [str(other.id)]


def test_hit_check_uses_the_engine(validator, youssef, hit_user):
    from vigie.registry.selectors import hit_check

    assert hit_check(actor=hit_user, name="يوسف عبد القادر الزياني").listed
    assert hit_check(actor=hit_user, name="EZZAYANI, Youssef", birth_date="1984").listed
    assert not hit_check(actor=hit_user, name="Youssef Ezzayani", birth_date="1961-11-20").listed
    assert selectors.listed_ids(name="Abou Hafs") == [str(youssef.id)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="LISTEN/NOTIFY: PostgreSQL run")
def test_postgresql_notifies_every_listening_process(settings, validator):
    settings.SCREENING_INDEX_LISTEN = True
    settings.SCREENING_INDEX_POLL_SECONDS = 3600
    idx = index.ScreeningIndex()
    idx.get()
    assert idx.listening
    time.sleep(0.5)  # the listener connects
    with transaction.atomic():
        listed(validator, "Nadia Notifiee Testa")
    try:
        deadline = time.monotonic() + 5
        while not idx.notified.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert idx.notified.is_set()
        [hit] = idx.get().match([{"id": "q", "name": "Nadia Notifiee Testa"}])
        assert hit
    finally:
        idx.stop_listener()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite run")
def test_listener_thread_is_not_started_on_sqlite(settings):
    settings.SCREENING_INDEX_LISTEN = True
    idx = index.ScreeningIndex()
    idx.get()
    assert idx.listening and not any(t.name == "screening-listen" for t in threading.enumerate())
