"""/api/v1/accounts: administrators only, list format, ETag / If-Match, the error format."""

from __future__ import annotations

import pytest

from tests.core.conftest import events
from tests.factories import OrganisationFactory, UserFactory
from vigie.core.choices import Role
from vigie.core.models import User
from vigie.core.services import token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_headers(administrator):  # type: ignore[no-untyped-def]
    _, raw = token_create(actor=administrator, user=administrator)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def officer_headers(officer):  # type: ignore[no-untyped-def]
    _, raw = token_create(actor=officer, user=officer)
    return {"Authorization": f"Bearer {raw}"}


def test_list_is_paginated_with_count(client, admin_headers, officer):
    UserFactory.create_batch(3)
    response = client.get("/api/v1/accounts?limit=2&offset=1", headers=admin_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and len(body["items"]) == 2
    item = body["items"][0]
    assert {"id", "reference", "username", "organisation", "role", "version"} <= set(item)
    assert "system" not in {i["username"] for i in body["items"]}


def test_list_filters(client, admin_headers, officer):
    response = client.get("/api/v1/accounts?role=administrator", headers=admin_headers)
    assert [i["role"] for i in response.json()["items"]] == ["administrator"]


def test_limit_over_500_is_a_validation_error(client, admin_headers):
    response = client.get("/api/v1/accounts?limit=501", headers=admin_headers)
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]


def test_partner_officer_is_forbidden(client, officer_headers, administrator):
    for method, url, body in [
        ("get", "/api/v1/accounts", None),
        ("get", f"/api/v1/accounts/{administrator.pk}", None),
        ("post", "/api/v1/accounts", {"username": "x", "organisation": "body", "role": "analyst"}),
        ("patch", f"/api/v1/accounts/{administrator.pk}", {"clearance": 4}),
    ]:
        response = getattr(client, method)(
            url, body, content_type="application/json", headers=officer_headers
        )
        assert response.status_code == 403, (method, url)
        assert response.json()["error"]["code"] == "forbidden"
    assert not User.objects.filter(username="x").exists()
    administrator.refresh_from_db()
    assert administrator.clearance == 0


def test_create_answers_201_with_etag_and_provisioning_uri(client, admin_headers):
    OrganisationFactory(code="cta")
    response = client.post(
        "/api/v1/accounts",
        {"username": "erin", "organisation": "cta", "role": "analyst", "clearance": 2},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "erin" and body["organisation"] == "cta" and body["clearance"] == 2
    assert body["totp_provisioning_uri"].startswith("otpauth://totp/")
    assert response["ETag"] == f'"{body["version"]}"'
    assert events("account.create")


def test_malformed_json_is_400_and_changes_nothing(client, admin_headers):
    response = client.post(
        "/api/v1/accounts",
        '{"username": "frank", ',
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert not User.objects.filter(username="frank").exists()


def test_invalid_field_is_422_with_fields(client, admin_headers):
    OrganisationFactory(code="cta")
    response = client.post(
        "/api/v1/accounts",
        {"username": "gina", "organisation": "cta", "role": "emperor"},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "role" in error["fields"]
    assert not User.objects.filter(username="gina").exists()


def test_unknown_organisation_is_422_on_that_field(client, admin_headers):
    response = client.post(
        "/api/v1/accounts",
        {"username": "hugo", "organisation": "nowhere", "role": "analyst"},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["organisation"]
    assert not User.objects.filter(username="hugo").exists()


def test_model_validation_is_422_with_fields(client, admin_headers, officer):
    OrganisationFactory(code="cta")
    response = client.post(
        "/api/v1/accounts",
        {"username": officer.username, "organisation": "cta", "role": "analyst"},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert "username" in response.json()["error"]["fields"]


def test_patch_with_if_match(client, admin_headers, officer):
    url = f"/api/v1/accounts/{officer.pk}"
    etag = client.get(url, headers=admin_headers)["ETag"]
    response = client.patch(
        url,
        {"role": Role.ANALYST, "territory_municipality": None},
        content_type="application/json",
        headers=admin_headers | {"If-Match": etag},
    )
    assert response.status_code == 200 and response.json()["role"] == "analyst"
    assert response["ETag"] != etag
    [event] = events("account.update")
    assert event.detail == {"fields": ["role"]}
    # The old version is stale now.
    response = client.patch(
        url,
        {"clearance": 4},
        content_type="application/json",
        headers=admin_headers | {"If-Match": etag},
    )
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "precondition_failed"
    officer.refresh_from_db()
    assert officer.clearance == 0


def test_patch_refuses_null_for_required_fields(client, admin_headers, officer):
    response = client.patch(
        f"/api/v1/accounts/{officer.pk}",
        {"role": None},
        content_type="application/json",
        headers=admin_headers,
    )
    assert response.status_code == 422 and "role" in response.json()["error"]["fields"]


def test_unknown_account_is_404(client, admin_headers):
    response = client.get(
        "/api/v1/accounts/00000000-0000-0000-0000-000000000000", headers=admin_headers
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_me_is_kept(client, officer_headers, officer):
    assert client.get("/api/v1/me", headers=officer_headers).json()["id"] == str(officer.pk)
