"""The web UI of assessments, intake, the general level, analyses and infrastructure: each page
both ways, markings, the four-eyes message, the method's justification, PDF, acknowledgements,
the level banner, HTMX fragments, pinned query counts, and the demo seed."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, sign_in
from vigie.assessments import method, services
from vigie.assessments.models import (
    CriticalInfrastructure,
    IntakeItem,
    StrategicAnalysis,
    ThreatAssessment,
)
from vigie.core.choices import Clearance, Role
from vigie.registry import services as registry

from .conftest import BRUSSELS, approve, draft_event_assessment, draft_person_assessment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
LIST = "/assessments/"
# Pinned query counts (session, user, device, organisation, the page's rows and their
# relations, the journal event, the level banner): they must not grow with the rows.
LIST_QUERIES = 16
DETAIL_QUERIES = 19


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def detail(a) -> str:
    return reverse("assessments:assessment_detail", args=[a.id])


def step(a, name) -> str:
    return reverse("assessments:assessment_step", args=[a.id, name])


@pytest.fixture
def admin(body):
    return UserFactory(organisation=body, role=Role.ADMINISTRATOR, clearance=Clearance.SECRET)


@pytest.fixture
def local():
    return UserFactory(organisation=OrganisationFactory(), role=Role.LOCAL_OFFICER)


@pytest.fixture
def validator2(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR, clearance=Clearance.SECRET)


@pytest.fixture
def delivered(analyst, validator, police, event):
    a = draft_event_assessment(
        analyst, event, distribution=[police.code], classification=2, restricted_diffusion=True
    )
    a = approve(analyst, validator, a)
    return services.assessment_deliver(actor=analyst, assessment=a, version=a.version)


def general(analyst, level, area_levels=None):
    ratings = {"reports": 2, "open_cases": 2, "trigger_events": 1}
    return services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            kind="general",
            rationale="Reports and open cases.",
            ratings=ratings,
            level=level,
            level_justification="" if level == method.propose_level("general", ratings) else "J.",
            area_levels=area_levels or {},
            review_date=date.today() + timedelta(days=30),
        ),
    )


# --- Urls and navigation -----------------------------------------------------------------------


def test_urls_are_mounted():
    assert reverse("assessments:assessment_list") == LIST
    assert reverse("assessments:intake_create") == "/assessments/intake/new/"
    assert reverse("assessments:board") == "/assessments/board/"
    assert reverse("assessments:general_level") == "/assessments/general-level/"


def test_pages_need_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response.url


def test_navigation_shows_only_what_the_user_may_use(analyst, officer, admin, local):
    html = signed_in(analyst).get("/").content.decode()
    for url in ("/assessments/board/", "/assessments/dashboard/", LIST, "/assessments/intake/"):
        assert f'href="{url}"' in html
    html = signed_in(officer).get("/").content.decode()
    assert 'href="/assessments/intake/"' in html and 'href="/assessments/inbox/"' in html
    assert 'href="/assessments/board/"' not in html and "/assessments/dashboard/" not in html
    assert "/assessments/" not in signed_in(admin).get("/").content.decode()
    html = signed_in(local).get("/").content.decode()
    assert 'href="/assessments/intake/"' not in html and f'href="{LIST}"' in html


# --- Intake ------------------------------------------------------------------------------------


def test_partner_sends_a_request_with_an_event_and_an_attachment(officer, analyst):
    client = signed_in(officer)
    assert client.get("/assessments/intake/new/").status_code == 200
    start = timezone.localdate() + timedelta(days=30)
    response = client.post(
        "/assessments/intake/new/",
        {
            "kind": "request",
            "urgency": "urgent",
            "subject_kind": "event",
            "event_name": "Christmas market of Fictiville",
            "event_kind": "market",
            "event_start": start.isoformat(),
            "event_end": (start + timedelta(days=20)).isoformat(),
            "event_municipality": BRUSSELS,
            "event_venue": "Grand-Place",
            "event_attendance": "50000",
            "event_organiser": "City of Fictiville",
            "summary": "Please assess the market.",
            "classification": "1",
            "attachments": [SimpleUploadedFile("route.pdf", PDF, "application/pdf")],
        },
    )
    item = IntakeItem.objects.get()
    assert response.status_code == 302 and response.url == f"/assessments/intake/{item.id}/"
    assert item.event.name == "Christmas market of Fictiville" and item.urgency == "urgent"
    attachment = item.attachments.get()
    assert attachment.original_name == "route.pdf" and attachment.content_type == "application/pdf"
    html = client.get(response.url).content.decode()
    assert "route.pdf" in html and "Christmas market of Fictiville" in html
    html = client.get("/assessments/intake/").content.decode()
    assert item.reference in html and "Received" in html and "Urgent (3 days)" in html
    # The body sees it; another partner does not.
    assert signed_in(analyst).get(response.url).status_code == 200
    other = UserFactory(organisation=OrganisationFactory(), clearance=Clearance.SECRET)
    assert signed_in(other).get(response.url).status_code == 404


def test_intake_refuses_a_disguised_attachment_and_an_unknown_reference(officer):
    response = signed_in(officer).post(
        "/assessments/intake/new/",
        {
            "kind": "report",
            "urgency": "flash",
            "summary": "Seen near the station.",
            "classification": "0",
            "threat_source": "P-9999-999999",
            "attachments": [SimpleUploadedFile("photo.png", b"not an image", "image/png")],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "No person or group with this reference" in html
    response = signed_in(officer).post(
        "/assessments/intake/new/",
        {
            "kind": "report",
            "urgency": "flash",
            "summary": "Seen near the station.",
            "classification": "0",
            "attachments": [SimpleUploadedFile("photo.png", b"not an image", "image/png")],
        },
    )
    assert "the content is not a PNG file" in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_intake_names_a_listed_person_the_partner_may_see(officer, analyst, validator):
    entity = registry.entity_propose(
        actor=analyst,
        data=registry.EntityInput(kind="person", names=[registry.NameInput("Fictive Person A")]),
    )
    entity = registry.entity_validate(
        actor=validator,
        entity=entity,
        memberships=[registry.MembershipInput(category="EPV")],
        threat_level=2,
        version=entity.version,
    )
    response = signed_in(analyst).post(
        "/assessments/intake/new/",
        {
            "kind": "request",
            "urgency": "routine",
            "subject_kind": "threat_source",
            "summary": "Threats against a council.",
            "classification": "0",
            "threat_source": entity.reference.lower(),
        },
    )
    assert response.status_code == 302
    assert IntakeItem.objects.get().threat_source_reference == entity.reference


def test_intake_pages_refused_to_whoever_may_not_send(local, admin):
    for user in (local, admin):
        assert signed_in(user).get("/assessments/intake/new/").status_code == 403
        assert signed_in(user).get("/assessments/intake/").status_code == 403


def _request(officer, urgency="routine", summary="Assess, please."):
    return services.intake_submit(
        actor=officer,
        data=services.IntakeInput(
            kind="request", urgency=urgency, summary=summary, threatened_person="Mayor of X"
        ),
    )


def test_board_orders_overdue_today_later_and_htmx_assigns(officer, analyst):
    late, today, later = _request(officer), _request(officer), _request(officer)
    now = timezone.now()
    IntakeItem.objects.filter(pk=late.pk).update(deadline=now - timedelta(hours=2))
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59)
    IntakeItem.objects.filter(pk=today.pk).update(
        deadline=max(end_of_day, now + timedelta(minutes=1))
    )
    client = signed_in(analyst)
    html = client.get("/assessments/board/").content.decode()
    assert html.index(late.reference) < html.index(today.reference) < html.index(later.reference)
    assert "Open an assessment on own initiative" in html
    later.refresh_from_db()
    response = client.post(
        f"/assessments/intake/{later.id}/assign/",
        {"owner": analyst.username, "version": later.version, "next": "board"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="column-later"' in html
    later.refresh_from_db()
    assert later.owner == analyst and later.status == "assigned"
    response = client.post(
        f"/assessments/intake/{later.id}/status/",
        {"status": "in_progress", "version": later.version, "next": "board"},
    )
    assert response.status_code == 302 and response.url == "/assessments/board/"
    later.refresh_from_db()
    assert later.status == "in_progress"


def test_board_and_dashboard_refused_to_partners(officer):
    client = signed_in(officer)
    assert client.get("/assessments/board/").status_code == 403
    assert client.get("/assessments/dashboard/").status_code == 403
    item = _request(officer)
    response = client.post(f"/assessments/intake/{item.id}/assign/", {"owner": officer.username})
    assert response.status_code == 403


# --- The editor --------------------------------------------------------------------------------


def _person_post(**extra):
    return {
        "kind": "threatened_person",
        "threatened_person": "Alderman of Fictiville",
        "rating_known_threats": "2",
        "rating_target_attractiveness": "2",
        "rating_context_triggers": "1",
        "rating_general_level": "1",
        "level": "3",
        "rationale": "Threats after a council vote.",
        "review_date": (date.today() + timedelta(days=60)).isoformat(),
        "classification": "1",
        "language": "fr",
        **extra,
    }


def test_editor_asks_the_kind_then_drafts_on_own_initiative(analyst, police):
    client = signed_in(analyst)
    html = client.get("/assessments/new/").content.decode()
    assert "?kind=threat_source" in html and "?kind=general" in html
    html = client.get("/assessments/new/?kind=threatened_person").content.decode()
    for factor in ("Known threats", "Attractiveness as a target", "Context and trigger events"):
        assert factor in html
    response = client.post("/assessments/new/", _person_post(distribution=[police.code]))
    a = ThreatAssessment.objects.get()
    assert response.status_code == 302 and response.url == detail(a)
    assert a.proposed_level == 3 and a.own_initiative and list(a.distribution.all()) == [police]


def test_a_level_different_from_the_proposal_needs_a_justification(analyst):
    response = signed_in(analyst).post("/assessments/new/", _person_post(level="4"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "differs from the method&#x27;s proposal (3): justify it in writing" in html
    assert not ThreatAssessment.objects.exists()
    response = signed_in(analyst).post(
        "/assessments/new/", _person_post(level="4", level_justification="A planned visit.")
    )
    assert response.status_code == 302 and ThreatAssessment.objects.get().level == 4


def test_the_proposal_is_an_htmx_fragment(analyst, officer):
    client = signed_in(analyst)
    query = {
        "kind": "threat_source",
        "rating_intent": "3",
        "rating_capability": "3",
        "rating_history": "0",
        "rating_psychological_problems": "0",
        "level": "2",
    }
    response = client.get("/assessments/propose/", query, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "3 – SERIOUS" in html and "A threat is possible and likely." in html
    assert "write the justification" in html
    partial = client.get("/assessments/propose/", {"kind": "threat_source", "rating_intent": "1"})
    assert "rate every factor" in partial.content.decode()
    assert signed_in(officer).get("/assessments/propose/", query).status_code == 403


def test_an_event_assessment_from_a_request_keeps_its_event(officer, analyst, event):
    item = services.intake_submit(
        actor=officer,
        data=services.IntakeInput(
            kind="request", urgency="routine", summary="Market.", event_id=event.id
        ),
    )
    client = signed_in(analyst)
    html = client.get(f"/assessments/new/?intake={item.id}").content.decode()
    assert "Known threats" in html and 'name="event_name"' not in html
    post = {
        "intake": str(item.id),
        "kind": "event",
        "rating_known_threats": "1",
        "rating_target_attractiveness": "2",
        "rating_context_triggers": "1",
        "rating_general_level": "1",
        "level": "2",
        "rationale": "A busy market.",
        "classification": "1",
        "language": "nl",
    }
    assert client.post("/assessments/new/", post).status_code == 302
    a = ThreatAssessment.objects.get()
    assert (
        a.event == event and a.intake == item and a.requester_organisation == officer.organisation
    )
    item.refresh_from_db()
    assert item.status == "in_progress"


def test_editor_refused_to_partners_and_frozen_after_approval(analyst, validator, officer, event):
    a = draft_event_assessment(analyst, event)
    assert signed_in(officer).get("/assessments/new/").status_code == 403
    assert signed_in(officer).get(f"/assessments/{a.id}/edit/").status_code == 403
    client = signed_in(analyst)
    assert client.get(f"/assessments/{a.id}/edit/").status_code == 200
    a = approve(analyst, validator, a)
    response = client.get(f"/assessments/{a.id}/edit/", follow=True)
    assert "An approved version cannot be changed" in response.content.decode()


def test_submit_then_self_approval_is_refused_with_the_rule(validator, validator2):
    a = draft_person_assessment(validator)
    client = signed_in(validator)
    assert client.post(step(a, "submit"), {"version": a.version}).status_code == 302
    a.refresh_from_db()
    assert a.status == "submitted"
    html = client.post(step(a, "approve"), {"version": a.version}, follow=True).content.decode()
    assert "Four-eyes rule: you wrote this text, so another validator must approve it." in html
    a.refresh_from_db()
    assert a.status == "submitted"
    # Sent back by another validator, with the reason.
    signed_in(validator2).post(step(a, "return"), {"version": a.version, "reason": "Sources?"})
    a.refresh_from_db()
    assert a.status == "draft" and "Sources?" in client.get(detail(a)).content.decode()


def test_analyst_cannot_approve(analyst, event):
    a = draft_event_assessment(analyst, event)
    a = services.assessment_submit(actor=analyst, assessment=a, version=a.version)
    response = signed_in(analyst).post(step(a, "approve"), {"version": a.version})
    assert response.status_code == 403


def test_approved_is_read_only_and_a_correction_shows_what_changed(analyst, validator):
    a = approve(analyst, validator, draft_person_assessment(analyst))
    client = signed_in(analyst)
    html = client.get(detail(a)).content.decode()
    assert "This version is approved and read-only." in html and "Correct (new version)" in html
    assert "Edit the draft" not in html
    response = client.post(step(a, "correct"))
    new = ThreatAssessment.objects.get(revision=2)
    assert response.url == f"/assessments/{new.id}/edit/"
    post = {
        **forms_initial(new),
        "rationale": "Threats after a council vote; a second message.",
        "version": new.version,
    }
    response = client.post(f"/assessments/{new.id}/edit/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(detail(new)).content.decode()
    assert "What changed since version 1" in html and "a second message" in html
    assert "v1" in html and "v2" in html  # the list of versions


def forms_initial(a) -> dict:
    data = {f"rating_{k}": str(v) for k, v in a.ratings.items()}
    return {
        **data,
        "level": str(a.level),
        "level_justification": a.level_justification,
        "rationale": a.rationale,
        "review_date": a.review_date.isoformat() if a.review_date else "",
        "classification": str(a.classification),
        "language": a.language,
    }


# --- Reading: marking, 404s, PDF, inbox, acknowledgements --------------------------------------


def test_marking_at_top_and_bottom_and_level_with_its_meaning(officer, delivered):
    html = signed_in(officer).get(detail(delivered)).content.decode()
    assert html.count('data-marking="top"') == 1 and html.count('data-marking="bottom"') == 1
    assert html.count("CONFIDENTIAL — Diffusion restreinte") == 2
    assert html.index('data-marking="top"') < html.index("Rationale")
    assert html.index('data-marking="bottom"') > html.index("Rationale")
    assert "2 – MEDIUM" in html and "A threat is unlikely." in html


def test_readers_below_the_marking_or_not_recipients_get_404(police, delivered, analyst):
    low = UserFactory(organisation=police, role=Role.PARTNER_OFFICER, clearance=Clearance.RESTREINT)
    stranger = UserFactory(organisation=OrganisationFactory(), clearance=Clearance.SECRET)
    for user in (low, stranger):
        client = signed_in(user)
        assert client.get(detail(delivered)).status_code == 404
        assert client.get(f"/assessments/{delivered.id}/document/").status_code == 404
    assert signed_in(analyst).get(detail(delivered)).status_code == 200


def test_drafts_are_the_bodys_alone(officer, analyst, event):
    a = draft_event_assessment(analyst, event, distribution=[officer.organisation.code])
    assert signed_in(officer).get(detail(a)).status_code == 404
    assert signed_in(analyst).get(detail(a)).status_code == 200


def test_pdf_download_allowed_and_denied(officer, analyst, delivered, event):
    response = signed_in(officer).get(f"/assessments/{delivered.id}/document/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    assert "Download the PDF" in signed_in(officer).get(detail(delivered)).content.decode()
    draft = draft_event_assessment(analyst, event)
    assert signed_in(analyst).get(f"/assessments/{draft.id}/document/").status_code == 404


def test_inbox_acknowledge_and_the_author_sees_who_has_not(officer, analyst, delivered, police):
    client = signed_in(officer)
    html = client.get("/assessments/inbox/").content.decode()
    assert delivered.reference in html and 'value="inbox"' in html
    author = signed_in(analyst).get(detail(delivered)).content.decode()
    assert "Not acknowledged" in author and police.name_en in author
    response = client.post(step(delivered, "acknowledge"), {"next": "inbox"})
    assert response.status_code == 302 and response.url == "/assessments/inbox/"
    assert 'value="inbox"' not in client.get("/assessments/inbox/").content.decode()
    author = signed_in(analyst).get(detail(delivered)).content.decode()
    assert "Not acknowledged" not in author and officer.username in author
    stranger = UserFactory(organisation=OrganisationFactory(), clearance=Clearance.SECRET)
    assert signed_in(stranger).post(step(delivered, "acknowledge")).status_code == 404


def test_deliver_from_the_page(analyst, validator, police, event):
    a = approve(
        analyst, validator, draft_event_assessment(analyst, event, distribution=[police.code])
    )
    signed_in(analyst).post(step(a, "deliver"), {"version": a.version})
    a.refresh_from_db()
    assert a.status == "delivered" and a.recipients.count() == 1


# --- Lists and their query counts --------------------------------------------------------------


def test_list_both_ways_and_htmx_fragment(analyst, officer, admin, delivered):
    html = signed_in(analyst).get(LIST).content.decode()
    assert delivered.reference in html and "A threat is unlikely." in html
    response = signed_in(analyst).get(LIST, {"kind": "event"}, HTTP_HX_REQUEST="true")
    assert (
        "<html" not in response.content.decode()
        and delivered.reference in response.content.decode()
    )
    assert delivered.reference in signed_in(officer).get(LIST).content.decode()
    assert signed_in(admin).get(LIST).status_code == 403


@pytest.mark.parametrize("rows", [3, 20])
def test_list_query_count_does_not_grow_with_rows(
    rows, analyst, validator, event, django_assert_max_num_queries
):
    approve(analyst, validator, general(analyst, 3, {"04000": 4}))
    for n in range(rows - 1):
        services.assessment_create(
            actor=analyst,
            data=services.AssessmentInput(
                kind="threatened_person", threatened_person=f"Official Number{n:02d}"
            ),
        )
    client = signed_in(analyst)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST)
    assert response.content.decode().count('class="assessment-row"') == rows


@pytest.mark.parametrize("rows", [3, 20])
def test_detail_query_count_does_not_grow_with_rows(
    rows, analyst, validator, event, django_assert_max_num_queries
):
    organisations = [OrganisationFactory().code for _ in range(rows)]
    a = approve(
        analyst, validator, draft_event_assessment(analyst, event, distribution=organisations)
    )
    a = services.assessment_deliver(actor=analyst, assessment=a, version=a.version)
    client = signed_in(analyst)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(detail(a))
    assert response.content.decode().count('class="not-acknowledged"') == rows


# --- General level, banner, "as known on" ------------------------------------------------------


def test_banner_shows_the_current_level_per_area_on_every_page(analyst, officer, client):
    approve(
        analyst,
        signed_validator := UserFactory(
            organisation=analyst.organisation, role=Role.VALIDATOR, clearance=Clearance.SECRET
        ),
        general(analyst, 3, {"04000": 4}),
    )
    assert signed_validator
    for page in ("/", "/assessments/inbox/", "/registry/hit-check/"):
        html = signed_in(officer).get(page).content.decode()
        assert 'id="general-level-banner"' in html
        assert "Belgium (national)" in html and "3 – SERIOUS" in html
        assert "Brussels-Capital Region" in html and "4 – VERY SERIOUS" in html
        assert "The threat is serious and imminent." in html
    # Not before sign-in.
    assert 'id="general-level-banner"' not in client.get("/login/").content.decode()


def test_general_level_page_draws_the_steps_as_svg(analyst, validator, admin):
    approve(analyst, validator, general(analyst, 3, {"04000": 4}))
    approve(analyst, validator, general(analyst, 2))
    html = signed_in(analyst).get("/assessments/general-level/").content.decode()
    assert "<svg" in html and 'data-area="BE"' in html and 'data-area="04000"' in html
    assert html.count("<path") == 2 and "A threat is unlikely." in html
    assert signed_in(admin).get("/assessments/general-level/").status_code == 403


def test_as_known_on_shows_the_level_and_the_document(analyst, validator, admin):
    a = approve(analyst, validator, general(analyst, 3, {"04000": 4}))
    client = signed_in(analyst)
    today = timezone.localdate().isoformat()
    response = client.get(
        "/assessments/as-known-on/", {"subject_type": "area", "area": "04000", "on": today}
    )
    html = response.content.decode()
    assert "4 – VERY SERIOUS" in html and f"Said by {a.reference} version 1" in html
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.get(
        "/assessments/as-known-on/",
        {"subject_type": "area", "area": "BE", "on": yesterday},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in response.content.decode()
    assert "No approved assessment said anything" in response.content.decode()
    assert signed_in(admin).get("/assessments/as-known-on/").status_code == 403


def test_as_known_on_an_event_by_its_reference(analyst, validator, event):
    a = approve(analyst, validator, draft_event_assessment(analyst, event))
    on = (event.start_date + timedelta(days=1)).isoformat()
    html = (
        signed_in(analyst)
        .get(
            "/assessments/as-known-on/",
            {"subject_type": "event", "value": event.reference, "on": on},
        )
        .content.decode()
    )
    assert f"Said by {a.reference}" in html and "2 – MEDIUM" in html


# --- Analyses and infrastructure ---------------------------------------------------------------


def _infrastructure(analyst):
    return services.infrastructure_create(
        actor=analyst,
        data=services.InfrastructureInput(
            name="Fictiville power station",
            sector="energy",
            operator="Fictive Energy",
            municipality=BRUSSELS,
            designation_reference="NCCN/2024/001",
            designation_date=date(2024, 3, 1),
        ),
    )


def test_analysis_editor_detail_and_infrastructure_links(analyst, validator, officer, police):
    infra = _infrastructure(analyst)
    client = signed_in(analyst)
    assert client.get("/assessments/analyses/new/").status_code == 200
    response = client.post(
        "/assessments/analyses/new/",
        {
            "title": "Far-right mobilisation 2026",
            "topic": "far-right",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "text": "Trends observed.",
            "infrastructures": [str(infra.id)],
            "classification": "1",
            "language": "fr",
            "distribution": [police.code],
        },
    )
    analysis = StrategicAnalysis.objects.get()
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get(response.url).content.decode()
    assert html.count('data-marking="') == 2 and "Fictiville power station" in html
    html = client.get(f"/assessments/infrastructures/{infra.id}/").content.decode()
    assert analysis.reference in html
    assert signed_in(officer).get(f"/assessments/analyses/{analysis.id}/").status_code == 404
    assert signed_in(officer).get("/assessments/analyses/new/").status_code == 403
    # Review and delivery through the same buttons.
    client.post(f"/assessments/analyses/{analysis.id}/submit/", {"version": analysis.version})
    analysis.refresh_from_db()
    signed_in(validator).post(
        f"/assessments/analyses/{analysis.id}/approve/", {"version": analysis.version}
    )
    analysis.refresh_from_db()
    client.post(f"/assessments/analyses/{analysis.id}/deliver/", {"version": analysis.version})
    analysis.refresh_from_db()
    assert analysis.status == "delivered"
    reader = signed_in(officer)
    assert reader.get(f"/assessments/analyses/{analysis.id}/").status_code == 200
    assert reader.get(f"/assessments/analyses/{analysis.id}/document/").status_code == 200
    assert analysis.reference in reader.get("/assessments/analyses/").content.decode()


def test_infrastructure_register_both_ways(analyst, officer, admin):
    client = signed_in(analyst)
    response = client.post(
        "/assessments/infrastructures/new/",
        {
            "name": "Fictiville port",
            "sector": "transport",
            "operator": "Port of Fictiville",
            "municipality": BRUSSELS,
            "designation_reference": "NCCN/2025/004",
            "designation_date": "2025-02-01",
            "scope": "european",
            "classification": "1",
        },
    )
    infra = CriticalInfrastructure.objects.get()
    assert response.status_code == 302
    edit = client.get(f"/assessments/infrastructures/{infra.id}/edit/")
    assert edit.status_code == 200 and "Fictiville port" in edit.content.decode()
    assert (
        "Fictiville port"
        in signed_in(officer).get("/assessments/infrastructures/").content.decode()
    )
    assert signed_in(officer).get("/assessments/infrastructures/new/").status_code == 403
    assert signed_in(admin).get("/assessments/infrastructures/").status_code == 403
    low = UserFactory(organisation=officer.organisation, clearance=Clearance.NONE)
    assert signed_in(low).get(f"/assessments/infrastructures/{infra.id}/").status_code == 404


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_charts_and_lists(analyst, validator, officer, delivered):
    _request(officer, urgency="flash")
    soon = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            kind="threatened_person",
            threatened_person="Governor of Fictiprovince",
            rationale="Threat on a forum.",
            ratings={"known_threats": 1, "target_attractiveness": 1, "context_triggers": 1,
                     "general_level": 1},
            level=2,
            review_date=date.today() + timedelta(days=3),
        ),
    )  # fmt: skip
    soon = approve(analyst, validator, soon)
    html = signed_in(analyst).get("/assessments/dashboard/").content.decode()
    assert html.count("<svg") >= 3 and "Flash (24 hours)" in html
    assert soon.reference in html  # expires this week
    assert delivered.reference in html and officer.organisation.name_en in html  # not acknowledged


# --- Demo data ---------------------------------------------------------------------------------


def test_demo_seed_creates_assessments_once():
    out = StringIO()
    with override_settings(DEMO=True):
        call_command("seed", "--demo", "--initial-persons", "30", "--no-progress", stdout=out)
        counts = (
            ThreatAssessment.objects.count(),
            StrategicAnalysis.objects.count(),
            CriticalInfrastructure.objects.count(),
        )
        call_command("seed", "--demo", stdout=out)
    assert counts == (
        ThreatAssessment.objects.count(),
        StrategicAnalysis.objects.count(),
        CriticalInfrastructure.objects.count(),
    )
    assert counts[0] >= 4 and counts[1] == 1 and counts[2] == 2
    kinds = set(ThreatAssessment.objects.values_list("kind", flat=True))
    assert kinds == {"event", "threatened_person", "threat_source", "general"}
    assert ThreatAssessment.objects.filter(event__name__icontains="Christmas market").exists()
    general_level = ThreatAssessment.objects.get(kind="general")
    assert general_level.area_levels.get("04000") not in (None, general_level.level)
