"""GET /api/v1/audit/events: read-only oversight search with the API conventions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from vigie.audit.models import AuditEvent
from vigie.audit.services import record_event
from vigie.core.choices import Sector
from vigie.core.models import ApiToken

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit/events"


def bearer(user: Any) -> dict[str, str]:
    raw = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user,
        prefix=raw[:12],
        token_hash=ApiToken.hash(raw),
        expires_at=ApiToken.default_expiry(),
    )
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def police_events(user_in: Any) -> list[AuditEvent]:
    police = user_in(Sector.POLICE)
    return [record_event(actor=police, action="person.read", target_id=n) for n in range(3)]


@pytest.fixture
def intel_event(user_in: Any) -> AuditEvent:
    return record_event(actor=user_in(Sector.INTELLIGENCE), action="person.read")


def test_comite_p_lists_police_events_newest_first(
    client: Client, comite_p: Any, police_events: list[AuditEvent], intel_event: AuditEvent
) -> None:
    response = client.get(URL, headers=bearer(comite_p))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["seq"] for item in body["items"]] == [3, 2, 1]
    item = body["items"][0]
    assert item["id"] == str(police_events[2].id)
    assert item["reference"] == "EV-000000003"
    assert item["hash"] == police_events[2].hash
    assert item["organisation"] == police_events[2].organisation_code
    assert intel_event.seq not in {i["seq"] for i in body["items"]}


def test_comite_r_does_not_see_police_events(
    client: Client, comite_r: Any, police_events: list[AuditEvent], intel_event: AuditEvent
) -> None:
    body = client.get(URL, headers=bearer(comite_r)).json()
    assert [item["seq"] for item in body["items"]] == [intel_event.seq]


def test_filters_and_pagination(
    client: Client, comite_p: Any, police_events: list[AuditEvent]
) -> None:
    headers = bearer(comite_p)
    body = client.get(URL, {"limit": 1, "offset": 1}, headers=headers).json()
    assert body["count"] == 3
    assert [item["seq"] for item in body["items"]] == [2]
    body = client.get(URL, {"target_id": "0", "outcome": "done"}, headers=headers).json()
    assert [item["seq"] for item in body["items"]] == [1]
    today = police_events[0].occurred_at.date().isoformat()
    body = client.get(URL, {"since": today, "until": today, "action": "x"}, headers=headers)
    assert body.json() == {"items": [], "count": 0}


def test_each_search_is_journaled(
    client: Client, comite_p: Any, police_events: list[AuditEvent]
) -> None:
    client.get(URL, {"actor": police_events[0].actor_username}, headers=bearer(comite_p))
    search = AuditEvent.objects.order_by("-seq").first()
    assert search.action == "journal.search"
    assert search.actor_username == comite_p.username
    assert search.request_id  # the request's id, from the middleware
    assert search.detail["filters"] == {"actor": police_events[0].actor_username}
    assert search.detail["count"] == 3


def test_partner_officer_gets_403_and_the_attempt_is_journaled(
    client: Client, user_in: Any, police_events: list[AuditEvent]
) -> None:
    officer = user_in(Sector.POLICE, role="partner_officer")
    response = client.get(URL, headers=bearer(officer))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    refusal = AuditEvent.objects.order_by("-seq").first()
    assert (refusal.action, refusal.outcome, refusal.actor_username) == (
        "journal.search",
        "denied",
        officer.username,
    )


def test_without_token_401(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"since": "2026-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"outcome": "maybe"}, "outcome"),
    ],
)
def test_invalid_parameters_422(
    client: Client, comite_p: Any, params: dict[str, Any], field: str
) -> None:
    response = client.get(URL, params, headers=bearer(comite_p))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    assert not AuditEvent.objects.filter(action="journal.search").exists()


def test_period_in_wrong_order_422(client: Client, comite_p: Any) -> None:
    response = client.get(
        URL, {"since": "2026-02-02", "until": "2026-02-01"}, headers=bearer(comite_p)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_limit_500_is_accepted(client: Client, comite_p: Any) -> None:
    assert client.get(URL, {"limit": 500}, headers=bearer(comite_p)).status_code == 200


def test_read_only(client: Client, comite_p: Any) -> None:
    headers = bearer(comite_p)
    assert client.post(URL, {}, headers=headers).status_code == 405
    assert client.delete(URL, headers=headers).status_code == 405
