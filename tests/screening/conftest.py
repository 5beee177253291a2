"""Fixtures of the screening app's tests: the actors of each view, and listed persons."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import OrganisationFactory, UserFactory
from vigie.core.choices import AccessType, OrganisationKind, RecordView, Role
from vigie.registry import services as registry


@pytest.fixture
def body():
    return OrganisationFactory(
        kind=OrganisationKind.COORDINATION_BODY,
        access_type=AccessType.CONSULT_FEED,
        record_view=RecordView.FULL,
    )


@pytest.fixture
def validator(body):
    return UserFactory(organisation=body, role=Role.VALIDATOR)


@pytest.fixture
def analyst(body):
    return UserFactory(organisation=body, role=Role.ANALYST)


@pytest.fixture
def card_user():
    """A partner who sees cards of category PH only."""
    org = OrganisationFactory(
        access_type=AccessType.CONSULT, record_view=RecordView.CARD, categories=["PH"]
    )
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def feeder():
    org = OrganisationFactory(access_type=AccessType.CONSULT_FEED, record_view=RecordView.FULL)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def hit_user():
    org = OrganisationFactory(access_type=AccessType.HIT_NO_HIT, record_view=RecordView.NONE)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


@pytest.fixture
def nobody():
    org = OrganisationFactory(access_type=AccessType.NONE, record_view=RecordView.NONE)
    return UserFactory(organisation=org, role=Role.PARTNER_OFFICER)


def listed(
    validator,
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    birth_date: str = "",
    category: str = "FTF",
    sub_status: str = "ftf_intending",
    validate: bool = True,
    **extra: Any,
):
    """A person proposed (and validated) through the registry's services."""
    names = [registry.NameInput(name)] + [registry.NameInput(a, name_type="alias") for a in aliases]
    entity = registry.entity_propose(
        actor=validator,
        data=registry.EntityInput(kind="person", names=names, birth_date=birth_date, **extra),
    )
    if validate:
        entity = registry.entity_validate(
            actor=validator,
            entity=entity,
            memberships=[registry.MembershipInput(category, sub_status)],
            threat_level=2,
        )
    return entity


@pytest.fixture
def youssef(validator):
    return listed(
        validator,
        "Youssef Abdelkader Ezzayani",
        aliases=("Abou Hafs",),
        birth_date="1984-03-02",
        nationalities=["MA"],
    )
