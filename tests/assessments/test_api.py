"""The assessments API: conventions (lists, ETag/If-Match, errors) and the main journeys."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.registry.test_api import bearer
from vigie.audit.models import AuditEvent, Outcome
from vigie.core.choices import Clearance, Role

pytestmark = pytest.mark.django_db


def _post(client, url, user, data=None, version=None):
    extra = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return client.post(url, data or {}, content_type="application/json", **bearer(user), **extra)


def _event_payload(days=15):
    start = timezone.localdate() + timedelta(days=days)
    return {
        "name": "Fictiville half-marathon",
        "kind": "sport",
        "start_date": start.isoformat(),
        "end_date": start.isoformat(),
        "municipality": "21004",
    }


def test_request_to_delivery_through_the_api(client, officer, analyst, validator, police):
    pdf = base64.b64encode(b"%PDF-1.4 fictitious").decode()
    created = _post(
        client,
        "/api/v1/intake",
        officer,
        {
            "kind": "request",
            "urgency": "urgent",
            "summary": "Assess the race.",
            "subject_kind": "event",
            "event": _event_payload(),
            "attachments": [{"name": "route.pdf", "content_base64": pdf}],
        },
    )
    assert created.status_code == 201, created.content
    intake = created.json()
    board = client.get("/api/v1/intake/board", **bearer(analyst)).json()
    assert [i["reference"] for i in board["later"]] == [intake["reference"]]
    detail = client.get(f"/api/v1/intake/{intake['id']}", **bearer(analyst))
    event_ref = detail.json()["event"]
    assert detail["ETag"] == '"1"' and detail.json()["attachments"][0]["size"] > 0

    listed = client.get("/api/v1/intake?open=true", **bearer(officer)).json()
    assert listed["count"] == 1 and set(listed) == {"items", "count"}

    item = detail.json()
    from vigie.assessments.models import Event

    event_id = str(Event.objects.get(reference=event_ref).id)
    response = _post(
        client,
        "/api/v1/assessments",
        analyst,
        {
            "kind": "event",
            "event_id": event_id,
            "intake_id": item["id"],
            "rationale": "Nothing specific.",
            "ratings": {
                "known_threats": 0,
                "target_attractiveness": 1,
                "context_triggers": 1,
                "general_level": 1,
            },
            "level": 1,
            "classification": 2,
            "language": "nl",
        },
    )
    assert response.status_code == 201, response.content
    a = response.json()
    assert a["level"]["official"]["nl"]["label"] == "LAAG"
    url = f"/api/v1/assessments/{a['id']}"

    assert client.patch(url, {"rationale": "x"}, content_type="application/json",
                        **bearer(analyst)).status_code == 428  # fmt: skip
    stale = client.patch(
        url, {"rationale": "x"}, content_type="application/json", HTTP_IF_MATCH='"7"',
        **bearer(analyst),
    )  # fmt: skip
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    assert _post(client, f"{url}/submit", analyst, version=1).status_code == 200
    own = _post(client, f"{url}/approve", analyst, version=2)
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    approved = _post(client, f"{url}/approve", validator, version=2)
    assert approved.status_code == 200 and approved["ETag"] == '"3"'
    edit = client.patch(
        url, {"level": 2}, content_type="application/json", HTTP_IF_MATCH='"3"', **bearer(analyst)
    )
    assert edit.status_code == 409 and "correction" in edit.json()["error"]["message"]
    assert _post(client, f"{url}/deliver", analyst, version=3).status_code == 200

    seen = client.get(url, **bearer(officer))
    assert seen.status_code == 200 and seen.json()["acknowledgements"] == []
    pdf_response = client.get(f"{url}/document", **bearer(officer))
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response.content.startswith(b"%PDF")
    assert _post(client, f"{url}/acknowledge", officer).status_code == 200
    acks = client.get(url, **bearer(analyst)).json()["acknowledgements"]
    assert acks[0]["acknowledged_by"] == officer.username
    inbox = client.get("/api/v1/inbox", **bearer(officer)).json()
    assert inbox["count"] == 1 and inbox["items"][0]["acknowledged_at"]

    correction = _post(client, f"{url}/correct", analyst)
    assert correction.status_code == 201 and correction.json()["revision"] == 2


def test_api_refusals_have_the_error_format(client, officer, analyst, police):
    low = UserFactory(organisation=police, role=Role.PARTNER_OFFICER, clearance=Clearance.NONE)
    bad = _event_payload()
    bad["end_date"] = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _post(
        client,
        "/api/v1/intake",
        officer,
        {"kind": "request", "urgency": "routine", "summary": "x", "event": bad},
    )
    assert response.status_code == 422
    assert "end_date" in response.json()["error"]["fields"]
    unknown = _post(client, "/api/v1/events", officer, {**_event_payload(), "municipality": "0"})
    assert unknown.status_code == 422 and "municipality" in unknown.json()["error"]["fields"]
    refused = _post(client, "/api/v1/assessments", officer, {"kind": "general"})
    assert refused.status_code == 403
    missing = client.get("/api/v1/assessments/00000000-0000-0000-0000-000000000000", **bearer(low))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert AuditEvent.objects.filter(actor_id=low.id, outcome=Outcome.DENIED).exists()
    assert client.get("/api/v1/assessments").status_code == 401
    assert client.get("/api/v1/assessments?limit=0", **bearer(analyst)).status_code == 422


def test_analyses_and_infrastructure(client, analyst, validator, police, officer):
    infra = _post(
        client,
        "/api/v1/infrastructures",
        analyst,
        {
            "name": "Fictiville gas terminal",
            "sector": "energy",
            "operator": "Fictigas",
            "municipality": "21004",
            "designation_reference": "NCCN/2025/001",
            "designation_date": "2025-03-01",
            "scope": "european",
        },
    )
    assert infra.status_code == 201, infra.content
    topics = client.get("/api/v1/analyses/topics", **bearer(analyst)).json()
    assert {"jihadism", "far-right", "far-left-anarchism"} <= {t["code"] for t in topics["items"]}
    assert _post(client, "/api/v1/analyses/topics", analyst,
                 {"name_en": "Accelerationism", "name_fr": "Accélérationnisme",
                  "name_nl": "Accelerationisme"}).status_code == 201  # fmt: skip
    created = _post(
        client,
        "/api/v1/analyses",
        analyst,
        {
            "title": "Threats to energy sites",
            "topic": "accelerationism",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "text": "Online calls to target energy sites.",
            "infrastructure_ids": [infra.json()["id"]],
            "distribution": [police.code],
        },
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/analyses/{created.json()['id']}"
    assert _post(client, f"{url}/submit", analyst, version=1).status_code == 200
    assert (
        _post(client, f"{url}/return", validator, {"reason": "Add figures."}, 2).status_code == 200
    )
    assert _post(client, f"{url}/submit", analyst, version=3).status_code == 200
    assert _post(client, f"{url}/approve", analyst, version=4).status_code == 403
    assert _post(client, f"{url}/approve", validator, version=4).status_code == 200
    assert _post(client, f"{url}/deliver", analyst, version=5).status_code == 200
    assert client.get(url, **bearer(officer)).status_code == 200
    assert _post(client, f"{url}/acknowledge", officer).status_code == 200
    concerned = client.get(f"/api/v1/infrastructures/{infra.json()['id']}", **bearer(analyst))
    assert concerned.json()["analyses"][0]["title"] == "Threats to energy sites"
    bad = _post(client, "/api/v1/analyses", analyst, {**created.json(), "topic": "jihadism",
                "period_start": "2025-06-30", "period_end": "2025-01-01"})  # fmt: skip
    assert bad.status_code == 422
