"""The common database: proposals, validation, need-to-know scopes, review and removal."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.factories import OrganisationFactory, UserFactory
from vigie.audit.models import AuditEvent
from vigie.core.choices import AccessType, OrganisationKind, RecordView, Role
from vigie.core.errors import PreconditionFailed
from vigie.registry import selectors, services
from vigie.registry.choices import EntryStatus, ReviewOutcome
from vigie.registry.models import Entity
from vigie.registry.services import (
    AddressInput,
    DocumentInput,
    EntityInput,
    MembershipInput,
    NameInput,
)

pytestmark = pytest.mark.django_db

BRUSSELS = "21004"
GHENT = "44021"


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
def feeder():
    org = OrganisationFactory(access_type=AccessType.CONSULT_FEED, record_view=RecordView.FULL)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


def person_input(name="Karim Testaoui", municipality=BRUSSELS, **kw) -> EntityInput:
    return EntityInput(
        kind="person",
        names=[NameInput(full_name=name)],
        birth_date=kw.pop("birth_date", "1990-04-12"),
        nationalities=["BE"],
        addresses=[AddressInput(municipality=municipality)],
        **kw,
    )


def listed(feeder, validator, category="FTF", sub_status="ftf_returned", **kw) -> Entity:
    entity = services.entity_propose(actor=feeder, data=person_input(**kw))
    return services.entity_validate(
        actor=validator,
        entity=entity,
        memberships=[MembershipInput(category=category, sub_status=sub_status)],
        threat_level=3,
    )


def test_feeder_proposes_and_proposal_is_invisible_to_other_partners(feeder, validator):
    entity = services.entity_propose(actor=feeder, data=person_input())
    assert entity.status == EntryStatus.PROPOSED
    assert entity.reference.startswith("P-")
    other = UserFactory(
        organisation=OrganisationFactory(record_view=RecordView.FULL), role=Role.PARTNER_OFFICER
    )
    with pytest.raises(Http404):
        selectors.entity_get(actor=other, entity_id=entity.id)
    # The body sees proposals.
    seen, view = selectors.entity_get(actor=validator, entity_id=entity.id)
    assert seen == entity and view == RecordView.FULL


def test_consultation_only_cannot_propose_and_the_attempt_is_journaled():
    reader = UserFactory(
        organisation=OrganisationFactory(access_type=AccessType.CONSULT), role=Role.PARTNER_OFFICER
    )
    with pytest.raises(PermissionDenied):
        services.entity_propose(actor=reader, data=person_input())
    assert Entity.objects.count() == 0
    assert AuditEvent.objects.filter(
        action="registry.propose", outcome="denied", actor_id=reader.id
    ).exists()


def test_classified_contribution_is_refused_with_where_to_send_it(feeder):
    with pytest.raises(ValidationError) as err:
        services.entity_propose(
            actor=feeder, data=person_input(), contribution_text="x", classification=2
        )
    assert "threat-assessment channel" in str(err.value)
    assert Entity.objects.count() == 0


@pytest.mark.parametrize("bad", ["1990-02-30", "1990-13", "12-04-1990", "2999", "1990-4-1"])
def test_impossible_birth_dates_are_refused(feeder, bad):
    with pytest.raises(ValidationError):
        services.entity_propose(actor=feeder, data=person_input(birth_date=bad))
    assert Entity.objects.count() == 0


def test_year_alone_is_a_valid_birth_date(feeder):
    entity = services.entity_propose(actor=feeder, data=person_input(birth_date="1987"))
    assert entity.birth_year == 1987


def test_unknown_municipality_changes_nothing(feeder):
    with pytest.raises(ValidationError):
        services.entity_propose(actor=feeder, data=person_input(municipality="99999"))
    assert Entity.objects.count() == 0


def test_duplicate_document_number_is_refused(feeder):
    doc = DocumentInput(document_type="passport", number="EM123456", country="BE")
    services.entity_propose(actor=feeder, data=person_input(documents=[doc]))
    with pytest.raises(ValidationError):
        services.entity_propose(actor=feeder, data=person_input(name="Other Name", documents=[doc]))
    assert Entity.objects.count() == 1


def test_only_a_validator_of_the_body_validates(feeder, analyst, validator):
    entity = services.entity_propose(actor=feeder, data=person_input())
    with pytest.raises(PermissionDenied):
        services.entity_validate(
            actor=analyst, entity=entity, memberships=[MembershipInput("EPV")], threat_level=2
        )
    done = services.entity_validate(
        actor=validator, entity=entity, memberships=[MembershipInput("EPV")], threat_level=2
    )
    assert done.status == EntryStatus.VALIDATED and done.review_due is not None


def test_sub_status_must_belong_to_category(feeder, validator):
    entity = services.entity_propose(actor=feeder, data=person_input())
    with pytest.raises(ValidationError):
        services.entity_validate(
            actor=validator,
            entity=entity,
            memberships=[MembershipInput("FTF", "htf_support")],
            threat_level=2,
        )
    entity.refresh_from_db()
    assert entity.status == EntryStatus.PROPOSED


def test_stale_version_is_refused(feeder, validator):
    entity = services.entity_propose(actor=feeder, data=person_input())
    with pytest.raises(PreconditionFailed):
        services.entity_reject(actor=validator, entity=entity, reason="no", version=99)


def test_categories_of_the_profile_narrow_what_a_partner_sees(feeder, validator):
    ftf = listed(feeder, validator, "FTF", "ftf_returned")
    epv = listed(feeder, validator, "EPV", "", name="Other Testperson")
    org = OrganisationFactory(categories=["FTF"], record_view=RecordView.CARD)
    reader = UserFactory(organisation=org, role=Role.PARTNER_OFFICER)
    page, count, view = selectors.entity_list(actor=reader, filters=selectors.EntityFilters())
    assert [e.id for e in page] == [ftf.id] and count == 1 and view == RecordView.CARD
    with pytest.raises(Http404):
        selectors.entity_get(actor=reader, entity_id=epv.id)


def test_local_officer_sees_cards_of_their_municipality_only(feeder, validator):
    brussels = listed(feeder, validator, municipality=BRUSSELS)
    ghent = listed(feeder, validator, name="Gent Testperson", municipality=GHENT)
    local = UserFactory(
        organisation=OrganisationFactory(kind=OrganisationKind.LOCAL_PARTNER),
        role=Role.LOCAL_OFFICER,
        territory_municipality_id=GHENT,
    )
    page, _, view = selectors.entity_list(actor=local, filters=selectors.EntityFilters())
    assert [e.id for e in page] == [ghent.id] and view == RecordView.CARD
    with pytest.raises(Http404):
        selectors.entity_get(actor=local, entity_id=brussels.id)


def test_hit_no_hit_user_cannot_list_but_can_check(feeder, validator):
    listed(feeder, validator, name="Karim Testaoui")
    hit_user = UserFactory(
        organisation=OrganisationFactory(
            access_type=AccessType.HIT_NO_HIT, record_view=RecordView.NONE
        ),
        role=Role.PARTNER_OFFICER,
    )
    page, count, _ = selectors.entity_list(actor=hit_user, filters=selectors.EntityFilters())
    assert page == [] and count == 0
    assert selectors.hit_check(actor=hit_user, name="TESTAOUI, Karim").listed is True
    assert selectors.hit_check(actor=hit_user, name="Nobody Known").listed is False
    assert AuditEvent.objects.filter(action="entity.hit_check", actor_id=hit_user.id).count() == 2


def test_each_read_is_journaled_with_ids_and_purpose(feeder, validator):
    entity = listed(feeder, validator)
    selectors.entity_list(actor=feeder, filters=selectors.EntityFilters())
    selectors.entity_get(actor=feeder, entity_id=entity.id, purpose="case 42")
    listing = AuditEvent.objects.filter(action="entity.list", actor_id=feeder.id).get()
    assert listing.detail["ids"] == [str(entity.id)]
    opened = AuditEvent.objects.filter(action="entity.open", actor_id=feeder.id).get()
    assert opened.purpose == "case 42" and opened.domain == "database"


def test_removal_needs_a_second_validator_and_leaves_only_the_journal(feeder, validator, body):
    entity = listed(feeder, validator)
    services.entity_review(
        actor=validator,
        entity=entity,
        outcome=ReviewOutcome.PROPOSE_REMOVAL,
        reasons="long positive evolution",
    )
    entity.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.entity_remove(actor=validator, entity=entity)
    assert Entity.objects.filter(pk=entity.pk).exists()
    second = UserFactory(organisation=body, role=Role.VALIDATOR)
    reference = services.entity_remove(actor=second, entity=entity)
    assert not Entity.objects.filter(pk=entity.pk).exists()
    event = AuditEvent.objects.get(action="entity.remove", outcome="done")
    assert event.detail["reference"] == reference and event.actor_id == second.id


def test_removal_guard_refuses(feeder, validator, body, monkeypatch):
    entity = listed(feeder, validator)
    services.entity_review(
        actor=validator, entity=entity, outcome=ReviewOutcome.PROPOSE_REMOVAL, reasons="r"
    )
    monkeypatch.setattr(services, "REMOVAL_GUARDS", [lambda e: "a measure is in force"])
    second = UserFactory(organisation=body, role=Role.VALIDATOR)
    with pytest.raises(ValidationError):
        services.entity_remove(actor=second, entity=entity)
    assert Entity.objects.filter(pk=entity.pk).exists()


def test_administrator_and_oversight_see_no_content(feeder, validator, body):
    entity = listed(feeder, validator)
    for role in (Role.ADMINISTRATOR, Role.OVERSIGHT):
        user = UserFactory(organisation=body, role=role)
        with pytest.raises(Http404):
            selectors.entity_get(actor=user, entity_id=entity.id)


@pytest.mark.parametrize("bad", ["XX", "be1", "EU"])
def test_unknown_country_is_refused(feeder, bad):
    data = person_input()
    data.nationalities = [bad]
    with pytest.raises(ValidationError, match="country"):
        services.entity_propose(actor=feeder, data=data)
    doc = DocumentInput(document_type="passport", number="ZZ1", country=bad)
    with pytest.raises(ValidationError, match="country"):
        services.entity_propose(actor=feeder, data=person_input(documents=[doc]))
    assert Entity.objects.count() == 0
