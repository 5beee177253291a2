"""The access matrix of the common database: role × profile × action × view, both ways.

Users belong to the seeded reference organisations, so the matrix also proves their profiles.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.factories import UserFactory
from vigie.access.policy import Action, can, registry_view_level
from vigie.core.choices import RecordView, Role
from vigie.core.models import Organisation
from vigie.registry import selectors, services
from vigie.registry.services import AddressInput, EntityInput, MembershipInput, NameInput

pytestmark = pytest.mark.django_db

GHENT, BRUSSELS = "44021", "21004"

# who: (organisation code, role, user territory municipality)
PROFILES = {
    "body_analyst": ("ocam", Role.ANALYST, None),
    "body_validator": ("ocam", Role.VALIDATOR, None),
    "body_admin": ("ocam", Role.ADMINISTRATOR, None),
    "feeder_police": ("police-federal", Role.PARTNER_OFFICER, None),
    "reader_immigration": ("immigration-office", Role.PARTNER_OFFICER, None),
    "reader_worship_ph_only": ("worship-secularism", Role.PARTNER_OFFICER, None),
    "hit_customs": ("customs", Role.PARTNER_OFFICER, None),
    "local_ghent": ("csil-r", Role.LOCAL_OFFICER, GHENT),
    "local_without_territory": ("csil-r", Role.LOCAL_OFFICER, None),
    "oversight_coc": ("coc", Role.OVERSIGHT, None),
    "authority": ("minister-interior", Role.PARTNER_OFFICER, None),
}

# action -> the profiles allowed; every other profile is refused.
ALLOWED = {
    Action.REGISTRY_PROPOSE: {"body_analyst", "body_validator", "feeder_police"},
    Action.REGISTRY_VALIDATE: {"body_validator"},
    Action.REGISTRY_APPROVE_REMOVAL: {"body_validator"},
    Action.REGISTRY_REVIEW: {"body_analyst", "body_validator"},
    Action.REGISTRY_EDIT: {"body_analyst", "body_validator"},
    Action.REGISTRY_LIST: {
        "body_analyst",
        "body_validator",
        "feeder_police",
        "reader_immigration",
        "reader_worship_ph_only",
        "local_ghent",
    },
    Action.REGISTRY_HIT_CHECK: {
        "body_analyst",
        "body_validator",
        "feeder_police",
        "reader_immigration",
        "reader_worship_ph_only",
        "hit_customs",
        "local_ghent",
        "local_without_territory",
    },
}

VIEW = {
    "body_analyst": RecordView.FULL,
    "body_validator": RecordView.FULL,
    "body_admin": RecordView.NONE,
    "feeder_police": RecordView.FULL,
    "reader_immigration": RecordView.CARD,
    "reader_worship_ph_only": RecordView.CARD,
    "hit_customs": RecordView.NONE,
    "local_ghent": RecordView.CARD,
    "local_without_territory": RecordView.NONE,
    "oversight_coc": RecordView.NONE,
    "authority": RecordView.NONE,
}


def make_user(profile: str):
    code, role, municipality = PROFILES[profile]
    return UserFactory(
        organisation=Organisation.objects.get(code=code),
        role=role,
        territory_municipality_id=municipality,
    )


@pytest.mark.parametrize("profile", sorted(PROFILES))
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_action_matrix(profile: str, action: str) -> None:
    assert can(make_user(profile), action) is (profile in ALLOWED[action])


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_view_matrix(profile: str) -> None:
    assert registry_view_level(make_user(profile)) == VIEW[profile]


def test_inactive_user_and_inactive_organisation_see_nothing() -> None:
    user = make_user("body_analyst")
    user.is_active = False
    assert registry_view_level(user) == RecordView.NONE
    assert not can(user, Action.REGISTRY_PROPOSE)
    other = make_user("feeder_police")
    other.organisation.is_active = False
    assert registry_view_level(other) == RecordView.NONE


@pytest.fixture
def listed_entries():
    """An FTF in Ghent and a hate propagandist in Brussels, validated by the body."""
    feeder, validator = make_user("feeder_police"), make_user("body_validator")

    def entry(name, municipality, category, sub_status):
        entity = services.entity_propose(
            actor=feeder,
            data=EntityInput(
                kind="person",
                names=[NameInput(full_name=name)],
                addresses=[AddressInput(municipality=municipality)],
            ),
        )
        return services.entity_validate(
            actor=validator,
            entity=entity,
            memberships=[MembershipInput(category, sub_status)],
            threat_level=3,
        )

    return {
        "ftf_ghent": entry("Ghent Testfighter", GHENT, "FTF", "ftf_returned"),
        "ph_brussels": entry("Brussels Testpreacher", BRUSSELS, "PH", "ph_person"),
    }


# profile -> which of the two listed entries it sees
SEES = {
    "body_analyst": {"ftf_ghent", "ph_brussels"},
    "feeder_police": {"ftf_ghent", "ph_brussels"},
    "reader_immigration": {"ftf_ghent", "ph_brussels"},
    "reader_worship_ph_only": {"ph_brussels"},
    "local_ghent": {"ftf_ghent"},
    "local_without_territory": set(),
    "hit_customs": set(),
    "body_admin": set(),
    "oversight_coc": set(),
    "authority": set(),
}


@pytest.mark.parametrize("profile", sorted(SEES))
def test_scope_by_categories_and_territory_both_ways(profile: str, listed_entries) -> None:
    user = make_user(profile)
    page, count, _ = selectors.entity_list(actor=user, filters=selectors.EntityFilters())
    assert {e.id for e in page} == {listed_entries[k].id for k in SEES[profile]}
    assert count == len(SEES[profile])
    for key, entity in listed_entries.items():
        if key in SEES[profile]:
            _, view = selectors.entity_get(actor=user, entity_id=entity.id)
            assert view == VIEW[profile]
        else:
            with pytest.raises(Http404):
                selectors.entity_get(actor=user, entity_id=entity.id)
