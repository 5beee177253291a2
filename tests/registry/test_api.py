"""The common database through the API: views, statuses, versions, error format."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, UserFactory
from vigie.core.choices import AccessType, OrganisationKind, RecordView, Role
from vigie.core.models import ApiToken
from vigie.registry.models import Entity

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "kind": "person",
    "names": [{"full_name": "Yassin Testouri"}],
    "birth_date": "1993-07",
    "nationalities": ["BE", "MA"],
    "addresses": [{"municipality": "21004"}],
    "contribution": "Seen at a gathering.",
    "reliability": "B",
    "credibility": "2",
}


def bearer(user) -> dict[str, str]:
    raw = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user,
        prefix=raw[:12],
        token_hash=ApiToken.hash(raw),
        expires_at=ApiToken.default_expiry(),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def body():
    return OrganisationFactory(
        kind=OrganisationKind.COORDINATION_BODY,
        access_type=AccessType.CONSULT_FEED,
        record_view=RecordView.FULL,
    )


@pytest.fixture
def feeder():
    org = OrganisationFactory(access_type=AccessType.CONSULT_FEED, record_view=RecordView.FULL)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def validator(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR)


def propose(client, feeder) -> dict:
    response = client.post(
        "/api/v1/proposals", PROPOSAL, content_type="application/json", **bearer(feeder)
    )
    assert response.status_code == 201, response.content
    return response.json()


def validate(client, validator, entity_id, version="1"):
    return client.post(
        f"/api/v1/proposals/{entity_id}/validate",
        {"memberships": [{"category": "FTF", "sub_status": "ftf_intending"}], "threat_level": 2},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{version}"',
        **bearer(validator),
    )


def test_proposal_validation_and_full_view_with_purpose(client, feeder, validator):
    created = propose(client, feeder)
    assert validate(client, validator, created["id"]).status_code == 200
    headers = bearer(feeder)
    missing = client.get(f"/api/v1/persons/{created['id']}", **headers)
    assert missing.status_code == 428
    response = client.get(
        f"/api/v1/persons/{created['id']}", HTTP_X_VIGIE_PURPOSE="case 7", **headers
    )
    body = response.json()
    assert response.status_code == 200 and body["view"] == "full"
    assert body["threat_level"]["value"] == 2 and response["ETag"] == '"2"'
    assert body["contributions"][0]["reliability"] == "B"


def test_card_view_has_no_contributions(client, feeder, validator):
    created = propose(client, feeder)
    validate(client, validator, created["id"])
    reader = UserFactory(
        organisation=OrganisationFactory(record_view=RecordView.CARD), role=Role.PARTNER_OFFICER
    )
    response = client.get(f"/api/v1/persons/{created['id']}", **bearer(reader))
    body = response.json()
    assert body["view"] == "card" and "contributions" not in body
    assert "Information Officer" in body["contact_point"]
    listing = client.get("/api/v1/persons?category=FTF", **bearer(reader)).json()
    assert listing["count"] == 1 and listing["items"][0]["view"] == "card"


def test_validation_needs_if_match_and_refuses_stale(client, feeder, validator):
    created = propose(client, feeder)
    url = f"/api/v1/proposals/{created['id']}/validate"
    payload = {"memberships": [{"category": "EPV"}], "threat_level": 2}
    no_version = client.post(url, payload, content_type="application/json", **bearer(validator))
    assert no_version.status_code == 428
    assert no_version.json()["error"]["code"] == "precondition_required"
    stale = validate(client, validator, created["id"], version="7")
    assert stale.status_code == 412
    assert Entity.objects.get(pk=created["id"]).status == "proposed"


def test_a_partner_cannot_validate_403_and_cannot_see_others_proposals_404(
    client, feeder, validator
):
    created = propose(client, feeder)
    assert validate(client, feeder, created["id"]).status_code == 404
    validate(client, validator, created["id"])
    assert validate(client, feeder, created["id"], version="2").status_code == 403


def test_classified_marking_is_a_422_with_the_field(client, feeder):
    response = client.post(
        "/api/v1/proposals",
        {**PROPOSAL, "classification": "SECRET"},
        content_type="application/json",
        **bearer(feeder),
    )
    assert response.status_code == 422
    assert "classification" in response.json()["error"]["fields"]
    assert Entity.objects.count() == 0


def test_hit_check_says_listed_and_nothing_more(client, feeder, validator):
    created = propose(client, feeder)
    validate(client, validator, created["id"])
    checker = UserFactory(
        organisation=OrganisationFactory(
            access_type=AccessType.HIT_NO_HIT, record_view=RecordView.NONE
        ),
        role=Role.PARTNER_OFFICER,
    )
    headers = bearer(checker)
    hit = client.post(
        "/api/v1/persons/hit-check",
        {"name": "testouri yassin"},
        content_type="application/json",
        **headers,
    )
    assert hit.json()["listed"] is True and set(hit.json()) == {"listed", "contact"}
    miss = client.post(
        "/api/v1/persons/hit-check",
        {"name": "Nobody Here"},
        content_type="application/json",
        **headers,
    )
    assert miss.json() == {"listed": False, "contact": ""}
    assert client.get(f"/api/v1/persons/{created['id']}", **headers).status_code == 404
    assert client.get("/api/v1/persons", **headers).json()["count"] == 0


def test_contribution_is_proposed_then_accepted_by_a_validator(client, feeder, validator):
    created = propose(client, feeder)
    validate(client, validator, created["id"])
    url = f"/api/v1/persons/{created['id']}/contributions"
    response = client.post(
        url,
        {"text": "New address known.", "reliability": "C", "credibility": "3"},
        content_type="application/json",
        **bearer(feeder),
    )
    assert response.status_code == 201 and response.json()["status"] == "proposed"
    contribution_id = response.json()["id"]
    refused = client.post(
        f"/api/v1/contributions/{contribution_id}/decide",
        {"accept": True},
        content_type="application/json",
        **bearer(feeder),
    )
    assert refused.status_code == 404
    accepted = client.post(
        f"/api/v1/contributions/{contribution_id}/decide",
        {"accept": True},
        content_type="application/json",
        **bearer(validator),
    )
    assert accepted.json()["status"] == "validated"
    again = client.post(
        f"/api/v1/contributions/{contribution_id}/decide",
        {"accept": False, "reason": "x"},
        content_type="application/json",
        **bearer(validator),
    )
    assert again.status_code == 422


def test_due_for_review_is_for_the_body(client, feeder, validator, settings):
    created = propose(client, feeder)
    validate(client, validator, created["id"])
    Entity.objects.filter(pk=created["id"]).update(review_due="2020-01-01")
    due = client.get("/api/v1/persons/due-for-review", **bearer(validator)).json()
    assert due["count"] == 1 and due["items"][0]["id"] == created["id"]
    assert client.get("/api/v1/persons/due-for-review", **bearer(feeder)).json()["count"] == 0


def test_hit_checks_are_rate_limited_per_user(client, settings):
    settings.HIT_CHECKS_PER_MINUTE = 3
    checker = UserFactory(
        organisation=OrganisationFactory(
            access_type=AccessType.HIT_NO_HIT, record_view=RecordView.NONE
        ),
        role=Role.PARTNER_OFFICER,
    )
    headers = bearer(checker)
    codes = [
        client.post(
            "/api/v1/persons/hit-check",
            {"name": f"Name Number{i}"},
            content_type="application/json",
            **headers,
        ).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize("entries", [3, 20])
def test_query_counts_do_not_grow_with_rows(
    client, feeder, validator, entries, django_assert_max_num_queries
):
    ids = []
    for _ in range(entries):
        created = propose(client, feeder)
        validate(client, validator, created["id"])
        ids.append(created["id"])
    headers = bearer(validator)
    # Pinned: token, user, scope count, page, memberships, journal append (head, event, head).
    with django_assert_max_num_queries(12):
        listing = client.get("/api/v1/persons?limit=50", **headers)
    assert listing.json()["count"] == entries
    with django_assert_max_num_queries(20):  # one query per related table, prefetched
        assert client.get(f"/api/v1/persons/{ids[0]}", **headers).status_code == 200


def test_patch_needs_if_match_refuses_stale_and_keeps_history(client, feeder, validator):
    created = propose(client, feeder)
    validate(client, validator, created["id"])
    url = f"/api/v1/persons/{created['id']}"
    change = {"recommended_action": "Contact the Information Officer at once."}
    headers = bearer(validator)
    missing = client.patch(url, change, content_type="application/json", **headers)
    assert missing.status_code == 428
    stale = client.patch(
        url, change, content_type="application/json", HTTP_IF_MATCH='"1"', **headers
    )
    assert stale.status_code == 412
    done = client.patch(
        url, change, content_type="application/json", HTTP_IF_MATCH='"2"', **headers
    )
    assert done.status_code == 200 and done["ETag"] == '"3"'
    detail = client.get(url, **headers).json()
    assert detail["recommended_action"] == change["recommended_action"]
    assert detail["history"][0]["action"] == "update"
    bad = client.patch(
        url,
        {"birth_date": "1990-02-31"},
        content_type="application/json",
        HTTP_IF_MATCH='"3"',
        **headers,
    )
    assert bad.status_code == 422 and "birth_date" in bad.json()["error"]["fields"]
    partner = client.patch(
        url, change, content_type="application/json", HTTP_IF_MATCH='"3"', **bearer(feeder)
    )
    assert partner.status_code == 403
