"""The screening UI: the search box, lists with progress and review, downloads, duplicates."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import sign_in
from tests.screening.conftest import listed
from vigie.screening.models import ScreeningHit, ScreeningJob
from vigie.screening.tasks import screen_list

pytestmark = pytest.mark.django_db


def test_search_box_is_on_internal_pages(client, validator):
    sign_in(client, validator)
    page = client.get("/registry/persons/").content.decode()
    assert 'action="/screening/search/"' in page and 'name="birth_date"' in page


def test_search_shows_score_explanation_and_link_for_full_readers(client, validator, youssef):
    sign_in(client, validator)
    page = client.get("/screening/search/", {"name": "Youssef Ezzayani", "birth_date": "1984"})
    text = page.content.decode()
    assert page.status_code == 200
    assert youssef.reference in text and f"/registry/entities/{youssef.id}/" in text
    assert "transliteration" in text or "exact" in text


def test_search_for_hit_no_hit_profile_shows_listed_and_contact_only(client, hit_user, youssef):
    sign_in(client, hit_user)
    text = client.get("/screening/search/", {"name": "Abou Hafs"}).content.decode()
    assert "Listed — contact" in text
    assert youssef.reference not in text and str(youssef.id) not in text
    text = client.get("/screening/search/", {"name": "Nobody Special"}).content.decode()
    assert "Not listed" in text


def test_search_bad_input_is_a_clear_message(client, validator):
    sign_in(client, validator)
    response = client.get("/screening/search/", {"name": "a\x01b"})
    assert response.status_code == 422 and "control character" in response.content.decode()


def test_no_access_profile_gets_no_search(client, nobody):
    sign_in(client, nobody)
    assert 'action="/screening/search/"' not in client.get("/").content.decode()
    assert client.get("/screening/search/", {"name": "Abou Hafs"}).status_code == 403


def upload(client, content: bytes, name: str = "list.csv", **extra):
    return client.post(
        "/screening/lists/",
        {
            "file": SimpleUploadedFile(name, content),
            "purpose": "Event accreditation",
            "column_name": "name",
            **extra,
        },
    )


def test_upload_progress_review_and_download(client, validator, youssef):
    sign_in(client, validator)
    response = upload(
        client, b"id,name,birth_date\nq1,Youssef Ezzayani,1984-03-02\nq2,Anne Other,\nq3,X,\n"
    )
    job = ScreeningJob.objects.get(kind="list")
    assert response.status_code == 302 and response["Location"] == f"/screening/lists/{job.id}/"
    page = client.get(f"/screening/lists/{job.id}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Line 4: name:" in page
    screen_list.call(str(job.id))  # what the worker does
    progress = client.get(f"/screening/lists/{job.id}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true" and 'value="100"' in progress.content.decode()
    page = client.get(f"/screening/lists/{job.id}/").content.decode()
    assert youssef.reference in page and "1984-03-02" in page
    hit = ScreeningHit.objects.get(job=job)
    response = client.post(
        f"/screening/hits/{hit.id}/decide/", {"decision": "confirmed", "comment": "Same person."}
    )
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.decision == "confirmed" and hit.decided_by == validator
    csv_text = client.get(f"/screening/lists/{job.id}/download.csv").content.decode()
    assert "q1" in csv_text and str(youssef.id) in csv_text and "confirmed" in csv_text
    xlsx = client.get(f"/screening/lists/{job.id}/download.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:3] == ["line", "query_id", "name"]
    assert sheet.max_row == 2


def test_hit_no_hit_list_results_say_listed_only(client, hit_user, youssef):
    sign_in(client, hit_user)
    upload(client, b"name\nAbou Hafs\nSomeone Else\n")
    job = ScreeningJob.objects.get(kind="list")
    screen_list.call(str(job.id))
    page = client.get(f"/screening/lists/{job.id}/").content.decode()
    assert "Listed — contact" in page and youssef.reference not in page
    csv_text = client.get(f"/screening/lists/{job.id}/download.csv").content.decode()
    assert csv_text.splitlines()[0] == "line,query_id,name,listed,contact"
    assert str(youssef.id) not in csv_text


def test_upload_errors_are_shown_and_nothing_is_kept(client, validator):
    sign_in(client, validator)
    response = upload(client, b"name\nok name\n", name="list.xlsx")
    assert response.status_code == 200 and "not an XLSX" in response.content.decode()
    response = upload(client, "nom\nJosé\n".encode("cp1252"))
    assert "no column &#x27;name&#x27;" in response.content.decode()
    assert not ScreeningJob.objects.exists()


def test_downloads_neutralise_formulas(client, validator):
    sign_in(client, validator)
    listed(validator, "Hacker Formula Testa")
    upload(client, b"id,name\n=cmd(),Hacker Formula Testa\n")
    job = ScreeningJob.objects.get(kind="list")
    screen_list.call(str(job.id))
    csv_text = client.get(f"/screening/lists/{job.id}/download.csv").content.decode()
    assert "'=cmd()" in csv_text


def test_proposal_form_duplicate_check(client, feeder, youssef):
    sign_in(client, feeder)
    form = client.get("/registry/proposals/new/").content.decode()
    assert "/screening/duplicates/" in form
    partial = client.post(
        "/screening/duplicates/", {"name": "Youssef Ezzayani", "birth_date": "1984-03-02"}
    )
    text = partial.content.decode()
    assert youssef.reference in text and "body will check" in text


def test_validator_sees_duplicates_on_the_proposal_page(client, validator, feeder, youssef):
    proposal = listed(feeder, "Youssef Ezzayani", birth_date="1984-03-02", validate=False)
    sign_in(client, validator)
    page = client.get(f"/registry/entities/{proposal.id}/").content.decode()
    assert f"/screening/duplicates/{proposal.id}/" in page
    text = client.get(f"/screening/duplicates/{proposal.id}/").content.decode()
    assert youssef.reference in text and "body will check" not in text
    sign_in(client, feeder)
    assert client.get(f"/screening/duplicates/{proposal.id}/").status_code == 404


def test_alerts_page_is_for_the_body(client, analyst, feeder):
    sign_in(client, analyst)
    assert client.get("/screening/alerts/").status_code == 200
    sign_in(client, feeder)
    assert client.get("/screening/alerts/").status_code == 404
