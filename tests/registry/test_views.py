"""The web UI of the common database: each page both ways, purposes, forms, query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OrganisationFactory, UserFactory, sign_in
from vigie.audit.models import AuditEvent
from vigie.core.choices import AccessType, OrganisationKind, RecordView, Role
from vigie.registry import services
from vigie.registry.choices import EntryStatus, ReviewOutcome
from vigie.registry.models import Contribution, Entity
from vigie.registry.services import AddressInput, EntityInput, MembershipInput, NameInput

pytestmark = pytest.mark.django_db

BRUSSELS = "21004"
PERSONS = "/registry/persons/"
# Pinned query counts (session, user, device, organisation, reference data for the filters,
# the page, the journal event, the first session write, the general level banner): they must
# not grow with the rows. The record also lists the person's administrative measures.
LIST_QUERIES = 19
DETAIL_QUERIES = 28  # + the level banner and the measures panel


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def body():
    return OrganisationFactory(
        code="body",
        kind=OrganisationKind.COORDINATION_BODY,
        access_type=AccessType.CONSULT_FEED,
        record_view=RecordView.FULL,
    )


@pytest.fixture
def analyst(body):
    return UserFactory(organisation=body, role=Role.ANALYST)


@pytest.fixture
def validator(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR)


@pytest.fixture
def validator2(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR)


@pytest.fixture
def feeder():
    org = OrganisationFactory(access_type=AccessType.CONSULT_FEED, record_view=RecordView.FULL)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def card_reader():
    org = OrganisationFactory(access_type=AccessType.CONSULT, record_view=RecordView.CARD)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def checker():
    org = OrganisationFactory(access_type=AccessType.HIT_NO_HIT, record_view=RecordView.NONE)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def admin():
    return UserFactory(organisation=OrganisationFactory(), role=Role.ADMINISTRATOR)


def proposed(feeder, name="Karim Testaoui", contribution="Seen at a gathering.") -> Entity:
    return services.entity_propose(
        actor=feeder,
        data=EntityInput(
            kind="person",
            names=[NameInput(full_name=name), NameInput(full_name="Abu Test", name_type="kunya")],
            birth_date="1990-04",
            nationalities=["BE"],
            addresses=[AddressInput(municipality=BRUSSELS, street="Rue Fictive 1")],
        ),
        contribution_text=contribution,
        reliability="B",
        credibility="2",
    )


def listed(feeder, validator, name="Karim Testaoui") -> Entity:
    return services.entity_validate(
        actor=validator,
        entity=proposed(feeder, name),
        memberships=[
            MembershipInput(category="FTF", sub_status="ftf_returned", criteria_met=["returned"])
        ],
        threat_level=3,
    )


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def detail_url(entity) -> str:
    return reverse("registry:entity_detail", args=[entity.id])


# --- Urls and navigation -----------------------------------------------------------------------


def test_urls_are_mounted():
    assert reverse("registry:person_list") == PERSONS
    assert reverse("registry:organisation_list") == "/registry/organisations/"
    assert reverse("registry:proposal_create") == "/registry/proposals/new/"
    assert reverse("registry:review_due") == "/registry/reviews/due/"
    assert reverse("registry:hit_check") == "/registry/hit-check/"


def test_pages_need_sign_in(client):
    response = client.get(PERSONS)
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_navigation_shows_only_what_the_user_may_use(validator, checker, admin):
    html = signed_in(validator).get("/").content.decode()
    for url in (PERSONS, "/registry/proposals/", "/registry/contributions/", "/registry/reviews/"):
        assert f'href="{url}' in html
    assert 'href="/audit/"' not in html and 'href="/accounts/"' not in html
    html = signed_in(checker).get("/").content.decode()
    assert 'href="/registry/hit-check/"' in html and f'href="{PERSONS}"' not in html
    html = signed_in(admin).get("/").content.decode()
    assert 'href="/accounts/"' in html and "/registry/" not in html


# --- Lists -------------------------------------------------------------------------------------


def test_person_list_for_readers_and_403_for_others(feeder, validator, card_reader, checker):
    entity = listed(feeder, validator)
    response = signed_in(card_reader).get(PERSONS)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert entity.reference in html and "Karim Testaoui" in html
    assert "3 – SERIOUS" in html and "Information card" in html and "FTF" in html
    assert signed_in(checker).get(PERSONS).status_code == 403
    assert signed_in(checker).get("/registry/organisations/").status_code == 403
    # One journal event per page shown.
    assert AuditEvent.objects.filter(action="entity.list").count() == 1


def test_list_filters_and_htmx_partial(feeder, validator, analyst):
    listed(feeder, validator, "Karim Testaoui")
    listed(feeder, validator, "Samir Fictif")
    client = signed_in(analyst)
    response = client.get(PERSONS, {"name": "fictif", "category": "FTF"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Samir Fictif" in html and "Karim Testaoui" not in html and "Full record" in html
    assert "Samir" not in client.get(PERSONS, {"threat_level": "1"}).content.decode()
    assert "Samir" not in client.get("/registry/organisations/").content.decode()


def test_list_paginates_by_50(feeder, analyst):
    for n in range(51):
        proposed(feeder, f"Person Number{n:02d}", contribution="")
    client = signed_in(analyst)
    first = client.get(PERSONS).content.decode()
    assert "51 entries" in first and "Page 1 of 2" in first and "page=2" in first
    second = client.get(PERSONS, {"page": 2}).content.decode()
    assert second.count("Person Number") == 1


@pytest.mark.parametrize("rows", [3, 20])
def test_list_query_count_does_not_grow_with_rows(
    rows, feeder, validator, analyst, django_assert_max_num_queries
):
    for n in range(rows):
        listed(feeder, validator, f"Person Number{n:02d}")
    client = signed_in(analyst)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(PERSONS)
    assert response.content.decode().count("Person Number") == rows


# --- The record: purpose, card, full -------------------------------------------------------------


def test_partner_with_full_view_gives_a_purpose_once_per_person_per_session(feeder, validator):
    first, second = listed(feeder, validator, "Karim Testaoui"), listed(feeder, validator, "Ali X")
    client = signed_in(feeder)
    asked = client.get(detail_url(first))
    assert asked.status_code == 200 and 'name="purpose"' in asked.content.decode()
    assert "Karim Testaoui" not in asked.content.decode()
    assert client.post(detail_url(first), {"purpose": ""}).status_code == 200
    response = client.post(detail_url(first), {"purpose": "case 2026/17"})
    assert response.status_code == 302 and response.url == detail_url(first)
    html = client.get(detail_url(first)).content.decode()
    assert "Karim Testaoui" in html and 'name="purpose"' not in html
    assert "Seen at a gathering." in html
    assert 'name="purpose"' not in client.get(detail_url(first)).content.decode()
    # Another person: asked again.
    assert 'name="purpose"' in client.get(detail_url(second)).content.decode()
    opened = AuditEvent.objects.filter(action="entity.open", target_id=str(first.id))
    assert set(opened.values_list("purpose", flat=True)) == {"case 2026/17"}
    # A new session asks again.
    assert 'name="purpose"' in signed_in(feeder).get(detail_url(first)).content.decode()


def test_the_body_is_never_asked_for_a_purpose(feeder, validator, analyst):
    entity = listed(feeder, validator)
    html = signed_in(analyst).get(detail_url(entity)).content.decode()
    assert 'name="purpose"' not in html
    for text in ("Karim Testaoui", "Abu Test", "Kunya", "3 – SERIOUS", "A threat is possible"):
        assert text in html
    assert "Returned" in html and "returned" in html and validator.username in html
    assert "History of changes" in html and "Rue Fictive 1" in html
    assert 'name="outcome"' in html  # the review form


def test_card_view_shows_no_contributions(feeder, validator, card_reader):
    entity = listed(feeder, validator)
    response = signed_in(card_reader).get(detail_url(entity))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="purpose"' not in html
    assert "Information card" in html and "3 – SERIOUS" in html
    assert "Information Officer" in html  # the contact point
    assert "Seen at a gathering." not in html and 'id="contributions"' not in html
    assert "History of changes" not in html and "Rue Fictive" not in html
    assert 'name="text"' not in html  # no contribution form for a consult-only service


def test_out_of_scope_is_404_and_journaled(feeder, validator, card_reader, checker):
    entity = proposed(feeder)  # a proposal: only its service and the body see it
    assert signed_in(card_reader).get(detail_url(entity)).status_code == 404
    assert signed_in(feeder).get(detail_url(entity)).status_code == 404
    assert signed_in(checker).get(detail_url(listed(feeder, validator, "Z Y"))).status_code == 404
    denied = AuditEvent.objects.filter(action="entity.open", outcome="denied")
    assert denied.count() == 3


@pytest.mark.parametrize("rows", [3, 20])
def test_detail_query_count_does_not_grow_with_rows(
    rows, feeder, validator, analyst, django_assert_max_num_queries
):
    entity = listed(feeder, validator)
    for n in range(rows):
        services.contribution_propose(
            actor=feeder, entity=entity, text=f"Fact {n}", reliability="C", credibility="3"
        )
        listed(feeder, validator, f"Other Person{n:02d}")
    client = signed_in(analyst)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(detail_url(entity))
    assert response.content.decode().count("Fact ") == rows


# --- Proposals -----------------------------------------------------------------------------------

PROPOSAL = {
    "kind": "person",
    "name": "Yassin Testouri",
    "alias_1": "Abu Yassin",
    "alias_type_1": "kunya",
    "birth_date": "1993-07",
    "nationalities": "BE, MA",
    "municipality": BRUSSELS,
    "street": "Rue Fictive 2",
    "document_type": "passport",
    "document_number": "EX123456",
    "document_country": "BE",
    "recommended_action": "Inform the Information Officer.",
    "contribution": "Seen at a gathering.",
    "reliability": "B",
    "credibility": "2",
    "classification": "0",
}


def test_propose_creates_and_redirects(feeder):
    client = signed_in(feeder)
    assert client.get("/registry/proposals/new/").status_code == 200
    response = client.post("/registry/proposals/new/", PROPOSAL)
    assert response.status_code == 302 and response.url == "/registry/proposals/"
    entity = Entity.objects.get()
    assert entity.status == EntryStatus.PROPOSED and entity.nationalities == ["BE", "MA"]
    assert {n.name_type for n in entity.names.all()} == {"primary", "kunya"}
    assert entity.documents.get().number == "EX123456"
    html = client.get("/registry/proposals/").content.decode()
    assert entity.reference in html and "is proposed" in html and "Proposed" in html


def test_propose_is_403_for_consult_only_and_hit_check(card_reader, checker):
    assert signed_in(card_reader).get("/registry/proposals/new/").status_code == 403
    assert signed_in(checker).post("/registry/proposals/new/", PROPOSAL).status_code == 403
    assert signed_in(card_reader).get("/registry/proposals/").status_code == 403
    assert Entity.objects.count() == 0


def test_classified_marking_is_refused_and_nothing_saved(feeder):
    response = signed_in(feeder).post(
        "/registry/proposals/new/", {**PROPOSAL, "classification": "3"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "unclassified information only" in html and "threat-assessment" in html
    assert Entity.objects.count() == 0 and Contribution.objects.count() == 0


def test_bad_birth_date_is_a_form_error(feeder):
    response = signed_in(feeder).post(
        "/registry/proposals/new/", {**PROPOSAL, "birth_date": "93-7"}
    )
    assert "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD" in response.content.decode()
    assert Entity.objects.count() == 0
    response = signed_in(feeder).post(
        "/registry/proposals/new/", {**PROPOSAL, "birth_date": "1990-02-30"}
    )
    assert "does not exist" in response.content.decode() and Entity.objects.count() == 0


def test_proposal_list_service_sees_own_with_rejection_reason(feeder, validator):
    entity = proposed(feeder)
    services.entity_reject(actor=validator, entity=entity, reason="Not enough link with Belgium")
    other = UserFactory(organisation=OrganisationFactory(access_type=AccessType.CONSULT_FEED))
    html = signed_in(feeder).get("/registry/proposals/").content.decode()
    assert "Rejected" in html and "Not enough link with Belgium" in html
    assert entity.reference not in signed_in(other).get("/registry/proposals/").content.decode()


# --- Validation ----------------------------------------------------------------------------------


def test_validator_validates_a_proposal(feeder, validator):
    entity = proposed(feeder)
    client = signed_in(validator)
    html = client.get(detail_url(entity)).content.decode()
    assert 'name="category_1"' in html and f'name="version" value="{entity.version}"' in html
    response = client.post(
        reverse("registry:entity_validate", args=[entity.id]),
        {
            "version": entity.version,
            "category_1": "FTF",
            "sub_status_1": "ftf_departed",
            "criteria_1": "left for a conflict zone\nsupports a group",
            "category_2": "EPV",
            "threat_level": "4",
        },
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.status == EntryStatus.VALIDATED and entity.threat_level == 4
    ftf = entity.memberships.get(category="FTF")
    assert ftf.criteria_met == ["left for a conflict zone", "supports a group"]


def test_inconsistent_sub_status_is_a_form_error(feeder, validator):
    entity = proposed(feeder)
    response = signed_in(validator).post(
        reverse("registry:entity_validate", args=[entity.id]),
        {"version": 1, "category_1": "EPV", "sub_status_1": "ftf_departed", "threat_level": "2"},
    )
    assert "does not belong to the category" in response.content.decode()
    entity.refresh_from_db()
    assert entity.status == EntryStatus.PROPOSED


def test_validate_with_a_stale_version_changes_nothing(feeder, validator):
    entity = proposed(feeder)
    response = signed_in(validator).post(
        reverse("registry:entity_validate", args=[entity.id]),
        {"version": entity.version + 5, "category_1": "EPV", "threat_level": "2"},
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    entity.refresh_from_db()
    assert entity.status == EntryStatus.PROPOSED and entity.memberships.count() == 0


def test_reject_needs_a_reason(feeder, validator):
    entity = proposed(feeder)
    url = reverse("registry:entity_reject", args=[entity.id])
    client = signed_in(validator)
    assert "This field is required" in client.post(url, {"version": 1}).content.decode()
    response = client.post(url, {"version": 1, "reason": "Duplicate of another entry"})
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.status == EntryStatus.REJECTED


def test_analyst_cannot_validate_403_and_sees_no_form(feeder, analyst):
    entity = proposed(feeder)
    client = signed_in(analyst)
    assert 'name="category_1"' not in client.get(detail_url(entity)).content.decode()
    response = client.post(
        reverse("registry:entity_validate", args=[entity.id]),
        {"version": 1, "category_1": "EPV", "threat_level": "2"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("registry:entity_reject", args=[entity.id]), {"version": 1, "reason": "x"}
    )
    assert response.status_code == 403


# --- Contributions -------------------------------------------------------------------------------


def test_contribution_added_then_accepted_and_rejected(feeder, validator):
    entity = listed(feeder, validator)
    client = signed_in(feeder)
    client.post(detail_url(entity), {"purpose": "case 1"})
    url = reverse("registry:contribution_create", args=[entity.id])
    response = client.post(
        url,
        {
            "text": "New address known.",
            "reliability": "C",
            "credibility": "3",
            "classification": "0",
        },
    )
    assert response.status_code == 302
    client.post(
        url, {"text": "Other fact.", "reliability": "C", "credibility": "3", "classification": "0"}
    )
    refused = client.post(
        url, {"text": "Secret fact.", "reliability": "C", "credibility": "3", "classification": "2"}
    )
    assert "unclassified information only" in refused.content.decode()
    assert Contribution.objects.filter(status="proposed").count() == 2
    # The feeding service sees its own; it cannot decide.
    own = client.get("/registry/contributions/").content.decode()
    assert "New address known." in own and 'name="accept"' not in own
    first = Contribution.objects.get(text="New address known.")
    second = Contribution.objects.get(text="Other fact.")
    decide = "registry:contribution_decide"
    assert client.post(reverse(decide, args=[first.id]), {"accept": "1"}).status_code == 404
    validator_client = signed_in(validator)
    pending = validator_client.get("/registry/contributions/").content.decode()
    assert "New address known." in pending and 'name="accept"' in pending
    validator_client.post(reverse(decide, args=[first.id]), {"accept": "1"})
    no_reason = validator_client.post(reverse(decide, args=[second.id]), {"accept": "0"})
    assert no_reason.status_code == 302
    assert Contribution.objects.get(pk=second.pk).status == "proposed"
    validator_client.post(reverse(decide, args=[second.id]), {"accept": "0", "reason": "Unsure"})
    statuses = dict(Contribution.objects.values_list("text", "status"))
    assert statuses["New address known."] == "validated" and statuses["Other fact."] == "rejected"


def test_contributions_page_is_403_for_consult_only(card_reader):
    assert signed_in(card_reader).get("/registry/contributions/").status_code == 403


# --- Review and removal ------------------------------------------------------------------------


def test_review_due_list_for_the_body_only(feeder, validator, analyst, card_reader):
    entity = listed(feeder, validator)
    Entity.objects.filter(pk=entity.pk).update(review_due="2020-01-01")
    client = signed_in(analyst)
    html = client.get("/registry/reviews/due/").content.decode()
    assert entity.reference in html and "2020-01-01" in html
    partial = client.get(
        "/registry/reviews/due/", {"arrondissement": "no-such"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial
    assert signed_in(card_reader).get("/registry/reviews/due/").status_code == 403


def test_review_changes_the_level(feeder, validator, analyst):
    entity = listed(feeder, validator)
    url = reverse("registry:entity_review", args=[entity.id])
    client = signed_in(analyst)
    stale = client.post(url, {"version": 1, "outcome": "maintain", "reasons": "Stable."})
    assert "changed by someone else" in stale.content.decode()
    response = client.post(
        url,
        {
            "version": entity.version,
            "outcome": "change",
            "reasons": "Escalation.",
            "threat_level": "4",
        },
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.threat_level == 4


def test_four_eyes_removal(feeder, validator, validator2):
    entity = listed(feeder, validator)
    services.entity_review(
        actor=validator,
        entity=entity,
        outcome=ReviewOutcome.PROPOSE_REMOVAL,
        reasons="Long positive evolution.",
        version=entity.version,
    )
    client = signed_in(validator)
    html = client.get(detail_url(entity)).content.decode()
    assert "another validator must approve" in html and "Approve the removal" not in html
    url = reverse("registry:entity_remove", args=[entity.id])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Four-eyes rule: another validator must approve this removal." in (
        response.content.decode()
    )
    assert Entity.objects.filter(pk=entity.pk).exists()
    other = signed_in(validator2)
    assert "Approve the removal" in other.get(detail_url(entity)).content.decode()
    response = other.post(url, {"reason": ""})
    assert response.status_code == 302 and not Entity.objects.filter(pk=entity.pk).exists()


def test_removal_by_a_non_validator_is_403(feeder, validator, analyst):
    entity = listed(feeder, validator)
    services.entity_review(
        actor=validator,
        entity=entity,
        outcome="propose_removal",
        reasons="Positive.",
        version=entity.version,
    )
    response = signed_in(analyst).post(reverse("registry:entity_remove", args=[entity.id]))
    assert response.status_code == 403


# --- Hit/no-hit --------------------------------------------------------------------------------


def test_hit_check_says_listed_or_not_and_nothing_more(feeder, validator, checker):
    entity = listed(feeder, validator, "Yassin Testouri")
    client = signed_in(checker)
    assert client.get("/registry/hit-check/").status_code == 200
    html = client.post("/registry/hit-check/", {"name": "testouri yassin"}).content.decode()
    assert "Listed" in html and "contact:" in html and "Not listed" not in html
    assert entity.reference not in html and "3 – SERIOUS" not in html and "FTF" not in html
    html = client.post("/registry/hit-check/", {"name": "Nobody Here"}).content.decode()
    assert "Not listed" in html


def test_hit_check_403_for_oversight_and_rate_limited_429(checker, settings):
    oversight = UserFactory(organisation=OrganisationFactory(), role=Role.OVERSIGHT)
    assert signed_in(oversight).get("/registry/hit-check/").status_code == 403
    settings.HIT_CHECKS_PER_MINUTE = 2
    client = signed_in(checker)
    codes = [
        client.post("/registry/hit-check/", {"name": f"Name Number{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]
    html = client.post("/registry/hit-check/", {"name": "Name"}).content.decode()
    assert "At most 2 checks a minute" in html and "Not listed" not in html


def test_the_body_links_two_entries_and_a_bad_reference_is_a_form_error(client):
    from vigie.core.models import Organisation
    from vigie.registry.models import Relation

    body = Organisation.objects.get(code="ocam")
    feeder = UserFactory(
        organisation=Organisation.objects.get(code="police-federal"), role=Role.PARTNER_OFFICER
    )
    validator = UserFactory(organisation=body, role=Role.VALIDATOR)
    first, second = (
        services.entity_validate(
            actor=validator,
            entity=services.entity_propose(
                actor=feeder,
                data=services.EntityInput(
                    kind="person", names=[services.NameInput(full_name=name)]
                ),
            ),
            memberships=[services.MembershipInput("EPV")],
            threat_level=2,
        )
        for name in ("Samir Testbroer", "Karim Testbroer")
    )
    sign_in(client, validator)
    url = reverse("registry:entity_relate", args=[first.id])
    bad = client.post(url, {"kind": "sibling", "target": "P-1999-999999"})
    assert bad.status_code == 200 and b"No such entry." in bad.content
    assert not Relation.objects.exists()
    done = client.post(url, {"kind": "sibling", "target": second.reference})
    assert done.status_code == 302
    assert Relation.objects.filter(source=first, target=second, kind="sibling").exists()
    # A partner cannot link entries.
    sign_in(client, feeder)
    assert client.post(url, {"kind": "spouse", "target": second.reference}).status_code == 403
