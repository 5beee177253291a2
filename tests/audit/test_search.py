"""Oversight search: each body sees its scope only; nobody else reads the journal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.audit.conftest import make_oversight_user
from tests.factories import OrganisationFactory, UserFactory
from vigie.audit.models import AuditEvent, Outcome
from vigie.audit.selectors import EventFilters, event_search
from vigie.audit.services import journal_search, record_event
from vigie.core.choices import OrganisationKind, OversightScope, Role, Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(user_in: Any) -> dict[str, AuditEvent]:
    police = user_in(Sector.POLICE)
    intelligence = user_in(Sector.INTELLIGENCE)
    body = user_in(Sector.COORDINATION)
    return {
        "police_db": record_event(
            actor=police, action="person.read", domain="database", target_type="person",
            target_id="p-1",
        ),
        "police_other": record_event(actor=police, action="assessment.read"),
        "intel_db": record_event(
            actor=intelligence, action="person.update", domain="database",
            outcome=Outcome.DENIED, target_type="person", target_id="p-2",
        ),
        "body": record_event(actor=body, action="assessment.approve"),
    }  # fmt: skip


def seqs(who: Any, **filters: Any) -> set[int]:
    return set(
        event_search(actor=who, filters=EventFilters(**filters)).values_list("seq", flat=True)
    )


def test_comite_p_sees_police_actors_only(comite_p: Any, events: dict[str, AuditEvent]) -> None:
    assert seqs(comite_p) == {events["police_db"].seq, events["police_other"].seq}


def test_comite_r_sees_intelligence_and_the_body_only(
    comite_r: Any, events: dict[str, AuditEvent]
) -> None:
    assert seqs(comite_r) == {events["intel_db"].seq, events["body"].seq}


def test_coc_sees_database_events_only(coc: Any, events: dict[str, AuditEvent]) -> None:
    assert seqs(coc) == {events["police_db"].seq, events["intel_db"].seq}


@pytest.mark.parametrize(
    "role", [Role.ANALYST, Role.VALIDATOR, Role.PARTNER_OFFICER, Role.ADMINISTRATOR]
)
def test_everyone_else_is_refused(role: str, events: dict[str, AuditEvent]) -> None:
    # Even inside an oversight body, only the oversight role searches.
    organisation = OrganisationFactory(
        kind=OrganisationKind.OVERSIGHT_BODY, oversight_scope=OversightScope.ALL
    )
    with pytest.raises(PermissionDenied):
        event_search(
            actor=UserFactory(role=role, organisation=organisation), filters=EventFilters()
        )


def test_oversight_role_without_scope_is_refused(events: dict[str, AuditEvent]) -> None:
    with pytest.raises(PermissionDenied):
        event_search(actor=make_oversight_user(OversightScope.NONE), filters=EventFilters())


def test_inactive_oversight_user_is_refused(comite_p: Any) -> None:
    comite_p.is_active = False
    with pytest.raises(PermissionDenied):
        event_search(actor=comite_p, filters=EventFilters())


def test_filters(coc: Any, events: dict[str, AuditEvent]) -> None:
    police_db, intel_db = events["police_db"], events["intel_db"]
    assert seqs(coc, actor=police_db.actor_username) == {police_db.seq}
    assert seqs(coc, organisation=intel_db.organisation_code) == {intel_db.seq}
    assert seqs(coc, action="person.update") == {intel_db.seq}
    assert seqs(coc, outcome="denied") == {intel_db.seq}
    assert seqs(coc, outcome="done") == {police_db.seq}
    assert seqs(coc, target_type="person", target_id="p-1") == {police_db.seq}
    assert seqs(coc, target_id="nope") == set()


def test_period_filter_uses_brussels_days(coc: Any, events: dict[str, AuditEvent]) -> None:
    today = timezone.localdate()
    both = {events["police_db"].seq, events["intel_db"].seq}
    assert seqs(coc, since=today, until=today) == both
    assert seqs(coc, until=today - timedelta(days=1)) == set()
    assert seqs(coc, since=today + timedelta(days=1)) == set()
    assert seqs(coc, since=date(2000, 1, 1)) == both


def test_search_is_journaled_with_filters_and_count(
    comite_p: Any, events: dict[str, AuditEvent]
) -> None:
    filters = EventFilters(action="person.read", since=date(2026, 1, 1))
    page = journal_search(actor=comite_p, filters=filters, limit=10, offset=0)
    assert page.count == 1
    search = AuditEvent.objects.order_by("-seq").first()
    assert (search.action, search.outcome, search.actor_username) == (
        "journal.search",
        "done",
        comite_p.username,
    )
    assert search.detail == {
        "filters": {"action": "person.read", "since": "2026-01-01"},
        "count": 1,
        "limit": 10,
        "offset": 0,
    }
    # Metadata only: the results themselves are not copied into the journal.
    assert "items" not in search.detail


def test_refused_search_is_journaled_as_denied(user_in: Any) -> None:
    analyst = user_in(Sector.POLICE)
    with pytest.raises(PermissionDenied):
        journal_search(actor=analyst, filters=EventFilters(actor="x"), limit=10, offset=0)
    refusal = AuditEvent.objects.get()
    assert (refusal.action, refusal.outcome, refusal.actor_username) == (
        "journal.search",
        "denied",
        analyst.username,
    )
    assert refusal.detail == {"filters": {"actor": "x"}}
