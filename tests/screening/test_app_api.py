"""Screening through the API: views both ways, limits, jobs, error format."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tests.registry.test_api import bearer
from vigie.audit.models import AuditEvent
from vigie.screening.tasks import screen_list

pytestmark = pytest.mark.django_db


def match(client, user, queries, **extra):
    return client.post(
        "/api/v1/screening/match",
        {"queries": queries, **extra},
        content_type="application/json",
        **bearer(user),
    )


def test_full_reader_gets_candidates_with_score_and_explanation(client, validator, youssef):
    response = match(
        client, validator, [{"id": "a", "name": "Youssef Ezzayani"}, {"name": "Zz Qq"}]
    )
    assert response.status_code == 200, response.content
    first, second = response.json()["items"]
    assert first["query_id"] == "a" and first["listed"]
    [m] = first["matches"]
    assert m["record_id"] == str(youssef.id) and m["reference"] == youssef.reference
    assert m["score"] >= 0.8 and "youssef" in m["summary"]
    assert m["explanation"]["tokens"]
    assert second == {**second, "listed": False, "matches": []}


def test_hit_no_hit_profile_sees_only_listed_and_contact(client, hit_user, youssef):
    response = match(client, hit_user, [{"name": "Abou Hafs"}, {"name": "Nobody Special"}])
    assert response.status_code == 200
    hit, miss = response.json()["items"]
    assert set(hit) == {"query_id", "name", "listed", "contact"}
    assert hit["listed"] and hit["contact"] and not miss["listed"]
    assert str(youssef.id) not in response.content.decode()


def test_card_reader_sees_candidates_in_scope_only(client, card_user, youssef):
    # youssef is FTF; this partner sees PH only: no details, but told to contact the body.
    [row] = match(client, card_user, [{"name": "Abou Hafs"}]).json()["items"]
    assert row["matches"] == [] and row["outside_view"] and row["contact"]


def test_no_access_profile_is_refused(client, nobody):
    assert match(client, nobody, [{"name": "Abou Hafs"}]).status_code == 403
    assert (
        client.post("/api/v1/screening/match", {}, content_type="application/json").status_code
        == 401
    )


def test_more_than_1000_queries_is_payload_too_large(client, validator):
    response = match(client, validator, [{"name": f"Name Number{i}"} for i in range(1001)])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_bad_queries_name_the_field(client, validator):
    response = match(
        client,
        validator,
        [{"name": "ok name"}, {"name": "x"}, {"name": "a\x07b cd"}, {"name": "a" * 100_000}],
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"queries.1.name", "queries.2.name", "queries.3.name"}
    assert "control character" in fields["queries.2.name"][0]


def test_hit_no_hit_is_rate_limited(client, settings, hit_user):
    settings.SCREENING_HIT_NO_HIT_NAMES_PER_HOUR = 3
    assert match(client, hit_user, [{"name": "Name One"}, {"name": "Name Two"}]).status_code == 200
    response = match(client, hit_user, [{"name": "Name Three"}, {"name": "Name Four"}])
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert AuditEvent.objects.filter(action="screening.run", outcome="denied").exists()


def test_job_from_json_runs_in_the_worker(client, validator, youssef):
    headers = bearer(validator)
    response = client.post(
        "/api/v1/screening/jobs",
        {
            "queries": [
                {"id": "k1", "name": "Abou Hafs"},
                {"id": "k2", "name": "Nobody Here"},
                {"name": "x"},
            ]
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["status"] == "queued" and job["total"] == 2 and job["rejected_count"] == 1
    assert job["rejected"][0]["line"] == 3
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(args_kwargs__args=[job["id"]]).exists()  # queued
    if connection.vendor == "sqlite":
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    else:  # db_worker closes the test's connection on PostgreSQL: run the task in-process
        screen_list.call(job["id"])
    status = client.get(f"/api/v1/screening/jobs/{job['id']}", **headers).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["hits"] == 1
    results = client.get(f"/api/v1/screening/jobs/{job['id']}/results", **headers).json()
    assert results["count"] == 1
    assert results["items"][0]["query_id"] == "k1"
    assert results["items"][0]["matches"][0]["record_id"] == str(youssef.id)


def test_job_from_csv_upload_and_other_users_cannot_see_it(client, validator, analyst, youssef):
    data = io.BytesIO(b"id,name,birth_date\n1,Youssef Ezzayani,1984-03-02\n2,Anne Other,\n")
    data.name = "list.csv"
    response = client.post("/api/v1/screening/jobs", {"file": data}, **bearer(validator))
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    assert client.get(f"/api/v1/screening/jobs/{job_id}", **bearer(analyst)).status_code == 404


def test_job_upload_without_name_column_is_refused(client, validator):
    data = io.BytesIO(b"nom,date\nA B,1990\n")
    data.name = "list.csv"
    response = client.post("/api/v1/screening/jobs", {"file": data}, **bearer(validator))
    assert response.status_code == 422
    assert "no 'name' column" in response.json()["error"]["fields"]["file"][0]


def test_proposal_answer_lists_duplicates_the_proposer_may_see(client, feeder, youssef):
    payload = {
        "kind": "person",
        "names": [{"full_name": "Youssef Ezzayani"}],
        "birth_date": "1984-03-02",
    }
    response = client.post(
        "/api/v1/proposals", payload, content_type="application/json", **bearer(feeder)
    )
    assert response.status_code == 201
    duplicates = response.json()["duplicates"]
    assert [d["record_id"] for d in duplicates["items"]] == [str(youssef.id)]
    assert duplicates["note"]


def test_proposal_answer_hides_duplicates_out_of_scope(client, youssef):
    from tests.factories import OrganisationFactory, UserFactory
    from vigie.core.choices import AccessType, RecordView, Role

    org = OrganisationFactory(
        access_type=AccessType.CONSULT_FEED, record_view=RecordView.CARD, categories=["PH"]
    )
    proposer = UserFactory(organisation=org, role=Role.PARTNER_OFFICER)
    payload = {"kind": "person", "names": [{"full_name": "Youssef Ezzayani"}]}
    response = client.post(
        "/api/v1/proposals", payload, content_type="application/json", **bearer(proposer)
    )
    duplicates = response.json()["duplicates"]
    assert duplicates["items"] == [] and "others" not in duplicates
    assert "body will check" in duplicates["note"]
