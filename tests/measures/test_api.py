"""The measures and national-list API: conventions (lists, ETag/If-Match, errors) and the
main journey, with access both ways."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.registry.test_api import bearer

from .conftest import open_case, sent_advice

pytestmark = pytest.mark.django_db


def _post(client, url, user, data=None, version=None):
    extra = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return client.post(url, data or {}, content_type="application/json", **bearer(user), **extra)


def test_journey_through_the_api(client, analyst, validator, person, prosecutor, interior):
    created = _post(
        client,
        "/api/v1/measures",
        analyst,
        {
            "measure_type": "id_withdrawal",
            "entity_id": str(person.id),
            "reasons": "Intent to travel.",
        },
    )
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["authority"] == "minister-interior" and "19 July 1991" in case["legal_basis"]
    [consultation] = case["consultations"]
    answered = _post(
        client,
        f"/api/v1/measures/consultations/{consultation['id']}/answer",
        prosecutor,
        {"answer": "agree", "text": "Agreed."},
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "agree"
    advice = _post(client, f"/api/v1/measures/{case['id']}/advices", analyst, {"language": "fr"})
    assert advice.status_code == 201
    advice = advice.json()
    url = f"/api/v1/measures/advices/{advice['id']}"
    patch = client.patch(
        url,
        {
            "facts": "F",
            "criteria": "C",
            "proportionality": "P",
            "recommendation": "favourable",
            "recommendation_text": "R",
        },
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
        **bearer(analyst),
    )
    assert patch.status_code == 200 and patch["ETag"] == '"2"'
    assert _post(client, f"{url}/submit", analyst).status_code == 428
    assert _post(client, f"{url}/submit", analyst, version=1).status_code == 412
    assert _post(client, f"{url}/submit", analyst, version=2).status_code == 200
    assert _post(client, f"{url}/approve", analyst, version=3).status_code == 403
    assert _post(client, f"{url}/approve", validator, version=3).status_code == 200
    assert _post(client, f"{url}/send", analyst, version=4).status_code == 200
    inbox = client.get("/api/v1/measures/inbox", **bearer(interior)).json()
    assert inbox["count"] == 1 and set(inbox) == {"items", "count"}
    pdf = client.get(f"{url}/document", **bearer(interior))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF" and pdf["X-Vigie-SHA256"]
    assert _post(client, f"{url}/acknowledge", interior).status_code == 200
    detail = client.get(f"/api/v1/measures/{case['id']}", **bearer(analyst))
    future = (timezone.localdate() + timezone.timedelta(days=2)).isoformat()
    bad = _post(
        client,
        f"/api/v1/measures/{case['id']}/decisions",
        analyst,
        {"outcome": "granted", "decided_on": future, "reference": "MI/1"},
        version=detail["ETag"].strip('"'),
    )
    assert bad.status_code == 422 and "decided_on" in bad.json()["error"]["fields"]
    decided = _post(
        client,
        f"/api/v1/measures/{case['id']}/decisions",
        analyst,
        {"outcome": "granted", "decided_on": timezone.localdate().isoformat(), "reference": "MI/1"},
        version=detail["ETag"].strip('"'),
    )
    assert decided.status_code == 201, decided.content
    assert len(decided.json()["linked_cases"]) == 1
    seen = client.get(f"/api/v1/measures/{case['id']}", **bearer(interior)).json()
    assert seen["view"] == "authority" and "reasons" not in seen


def test_errors_and_scope(client, analyst, person, police, admin):
    bad = _post(
        client,
        "/api/v1/measures",
        analyst,
        {"measure_type": "id_withdrawal", "entity_reference": "P-2026-999999", "reasons": "x"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    case = open_case(analyst, person)
    assert client.get(f"/api/v1/measures/{case.id}", **bearer(police)).status_code == 404
    assert client.get("/api/v1/measures", **bearer(admin)).json()["count"] == 0
    assert client.get("/api/v1/measures?limit=0", **bearer(analyst)).status_code == 422
    assert client.get("/api/v1/measures").status_code == 401
    assert client.get("/api/v1/measures/statistics", **bearer(police)).status_code == 403
    proposal = _post(
        client,
        "/api/v1/measures/proposals",
        police,
        {"measure_type": "asset_freeze", "entity_id": str(person.id), "reasons": "Financing."},
    )
    assert proposal.status_code == 201


def test_national_list_endpoints(client, analyst, validator, person, police):
    from .conftest import grant

    case = open_case(analyst, person, "asset_freeze", consult=[])
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    assert client.get("/api/v1/national-list", **bearer(analyst)).json()["count"] == 1
    assert client.get("/api/v1/national-list", **bearer(police)).status_code == 404
    created = _post(client, "/api/v1/national-list/publications", analyst)
    assert created.status_code == 201
    again = _post(client, "/api/v1/national-list/publications", analyst)
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    pid = created.json()["id"]
    detail = client.get(f"/api/v1/national-list/publications/{pid}", **bearer(analyst)).json()
    assert [a["key"] for a in detail["changes"]["added"]] == [person.reference]
    for fmt, start in (("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("ftm", b"{")):
        got = client.get(
            f"/api/v1/national-list/publications/{pid}/export?format={fmt}", **bearer(analyst)
        )
        assert got.status_code == 200 and got.content.startswith(start)
    screened = _post(
        client,
        "/api/v1/national-list/screen",
        analyst,
        {"records": [{"id": "c1", "name": "Nadia Fictivi"}]},
    )
    assert screened.json()["count"] == 1
