"""The measures UI: pages both ways, the steps through forms, the person's measures on the
registry record, statistics with the inline chart, the national list page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, sign_in
from vigie.core.choices import Role
from vigie.measures.models import MeasureCase

from .conftest import grant, open_case, sent_advice

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_body_opens_a_case_and_walks_it_through_the_forms(analyst, validator, person):
    client = signed_in(analyst)
    assert "Measures" in client.get("/").content.decode()
    page = client.get("/measures/new/")
    assert page.status_code == 200
    response = client.post(
        "/measures/new/",
        {
            "measure_type": "asset_freeze",
            "entity_reference": person.reference,
            "reasons": "Financing.",
        },
    )
    case = MeasureCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/measures/{case.id}/"
    detail = client.get(f"/measures/{case.id}/").content.decode()
    assert "Royal Decree of 28 December 2006" in detail and "Draft an advice" in detail
    client.post(
        f"/measures/{case.id}/advice/", {"kind": "initial", "language": "fr", "classification": 1}
    )
    advice = case.advices.get()
    client.post(
        f"/measures/advices/{advice.id}/edit/",
        {
            "version": 1,
            "facts": "F",
            "criteria": "C",
            "proportionality": "P",
            "consultations_outcome": "None.",
            "recommendation": "favourable",
            "recommendation_text": "R",
        },
    )
    client.post(f"/measures/advices/{advice.id}/submit/", {"version": 2})
    signed_in(validator).post(f"/measures/advices/{advice.id}/approve/", {"version": 3})
    client.post(f"/measures/advices/{advice.id}/send/", {"version": 4})
    case.refresh_from_db()
    assert case.status == "advised"
    bad = client.post(
        f"/measures/{case.id}/decision/",
        {
            "version": case.version,
            "outcome": "granted",
            "reference": "KB/AR 1",
            "decided_on": (timezone.localdate() + timezone.timedelta(days=3)).isoformat(),
        },
        follow=True,
    )
    assert "cannot be in the future" in bad.content.decode()
    client.post(
        f"/measures/{case.id}/decision/",
        {
            "version": case.version,
            "outcome": "granted",
            "reference": "KB/AR 1",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    case.refresh_from_db()
    assert case.status == "in_force" and case.reviews.count() == 1
    assert "KB/AR 1" in client.get(f"/measures/{case.id}/").content.decode()


def test_consulted_partner_answers_with_htmx_outsider_gets_404(
    analyst, person, prosecutor, customs
):
    case = open_case(analyst, person)
    client = signed_in(prosecutor)
    page = client.get(f"/measures/{case.id}/").content.decode()
    assert "Answer" in page and "Draft an advice" not in page
    consultation = case.consultations.get()
    response = client.post(
        f"/measures/{case.id}/answer/",
        {"consultation": consultation.id, "answer": "agree", "text": "Ok."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    consultation.refresh_from_db()
    assert consultation.answer == "agree"
    assert signed_in(customs).get(f"/measures/{case.id}/").status_code == 404


def test_authority_inbox_and_pdf(analyst, validator, person, interior, foreign_affairs):
    case = open_case(analyst, person)
    advice = sent_advice(analyst, validator, case)
    client = signed_in(interior)
    assert advice.reference in client.get("/measures/inbox/").content.decode()
    pdf = client.get(f"/measures/advices/{advice.id}/document/")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    client.post(f"/measures/advices/{advice.id}/acknowledge/")
    assert advice.recipients.get().acknowledged_at is not None
    other = signed_in(foreign_affairs)
    assert other.get(f"/measures/advices/{advice.id}/document/").status_code == 404
    assert advice.reference not in other.get("/measures/inbox/").content.decode()


def test_person_record_shows_measures_to_body_and_full_view_only(analyst, person, customs):
    case = open_case(analyst, person)
    page = signed_in(analyst).get(f"/registry/entities/{person.id}/").content.decode()
    assert "Administrative measures" in page and case.reference in page
    card_user = UserFactory(
        organisation=OrganisationFactory(code="dg-prisons"), role=Role.PARTNER_OFFICER
    )
    client = signed_in(card_user)
    client.post(f"/registry/entities/{person.id}/", {"purpose": "Check"})
    page = client.get(f"/registry/entities/{person.id}/").content.decode()
    assert person.reference in page and case.reference not in page


def test_statistics_page_with_chart_and_refusals(analyst, validator, person, police, admin):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    page = signed_in(analyst).get("/measures/statistics/").content.decode()
    assert "<svg" in page and 'class="bar-id_card"' in page and "Identity card withdrawal" in page
    assert signed_in(police).get("/measures/statistics/").status_code == 403
    assert signed_in(admin).get("/measures/").status_code == 404


def test_national_list_page_publish_export_screen(analyst, validator, person, police):
    case = open_case(analyst, person, "asset_freeze", consult=[])
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    client = signed_in(analyst)
    page = client.get("/measures/national-list/").content.decode()
    assert "Wholename" in page and person.display_name in page
    client.post("/measures/national-list/", {"do": "publish"})
    publication = case.__class__.objects.none()
    from vigie.measures.models import Publication

    publication = Publication.objects.get()
    csv = client.get(f"/measures/national-list/{publication.id}/csv/")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    screened = client.post("/measures/national-list/", {}).content.decode()
    assert "No possible match." in screened
    assert signed_in(police).get("/measures/national-list/").status_code == 404
