"""Fixtures of the measures tests: the reference services (after migrate), fictitious
officials and listed persons, and helpers that walk a case through its steps."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from vigie.core.choices import Clearance, Role
from vigie.measures import services
from vigie.measures.choices import AnswerKind
from vigie.registry import services as registry
from vigie.registry.services import (
    DocumentInput,
    EntityInput,
    MembershipInput,
    NameInput,
)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _user(code, role, clearance=Clearance.RESTREINT, **extra):
    return UserFactory(
        organisation=OrganisationFactory(code=code),
        role=role,
        clearance=clearance,
        email=f"{code}-{role}@vigie.invalid",
        **extra,
    )


@pytest.fixture
def analyst():
    return _user("ocam", Role.ANALYST, Clearance.SECRET)


@pytest.fixture
def validator():
    return _user("ocam", Role.VALIDATOR, Clearance.SECRET)


@pytest.fixture
def prosecutor():
    return _user("prosecution", Role.PARTNER_OFFICER)


@pytest.fixture
def police():
    return _user("police-federal", Role.PARTNER_OFFICER)


@pytest.fixture
def customs():
    return _user("customs", Role.PARTNER_OFFICER)


@pytest.fixture
def interior():
    return _user("minister-interior", Role.PARTNER_OFFICER)


@pytest.fixture
def foreign_affairs():
    return _user("minister-foreign-affairs", Role.PARTNER_OFFICER)


@pytest.fixture
def council():
    return _user("national-security-council", Role.PARTNER_OFFICER)


@pytest.fixture
def admin():
    return _user("ocam", Role.ADMINISTRATOR, Clearance.NONE)


@pytest.fixture
def oversight():
    return _user("comite-r", Role.OVERSIGHT, Clearance.SECRET)


def listed(
    analyst,
    validator,
    name="Nadia Fictivi",
    kind="person",
    given="Nadia",
    surname="Fictivi",
    document=None,
    birth_date="1991-04-12",
    aliases=(),
):
    names = [NameInput(full_name=name, given_names=given, surname=surname)]
    names += [NameInput(full_name=a, name_type="alias") for a in aliases]
    entity = registry.entity_propose(
        actor=analyst,
        data=EntityInput(
            kind=kind,
            names=names,
            birth_date=birth_date if kind == "person" else "",
            birth_place="Fictiville" if kind == "person" else "",
            gender="F" if kind == "person" else "",
            nationalities=["BE"],
            addresses=[],
            documents=[DocumentInput("passport", document, "BE")] if document else [],
        ),
    )
    return registry.entity_validate(
        actor=validator,
        entity=entity,
        memberships=[MembershipInput(category="HTF", sub_status="htf_intent")],
        threat_level=3,
    )


@pytest.fixture
def person(analyst, validator):
    return listed(analyst, validator)


def open_case(analyst, person, measure_type="id_withdrawal", **extra):
    return services.case_open(
        actor=analyst,
        data=services.CaseInput(
            measure_type=measure_type,
            entity_id=person.id,
            reasons="Serious indications of intent to travel to a conflict zone.",
            **extra,
        ),
    )


def write_advice(analyst, case, kind="initial", language="fr"):
    advice = services.advice_create(
        actor=analyst, case=case, data=services.AdviceInput(kind=kind, language=language)
    )
    return services.advice_update(
        actor=analyst,
        advice=advice,
        changes={
            "facts": "Bought a ticket to a conflict zone (source B2).",
            "criteria": "Risk to public order and security.",
            "proportionality": "Three months; no less intrusive measure is effective.",
            "recommendation": "favourable",
            "recommendation_text": "Withdraw the identity card.",
        },
        version=advice.version,
    )


def sent_advice(analyst, validator, case, **extra):
    advice = write_advice(analyst, case, **extra)
    advice = services.advice_submit(actor=analyst, advice=advice, version=advice.version)
    advice = services.advice_approve(actor=validator, advice=advice, version=advice.version)
    return services.advice_send(actor=analyst, advice=advice, version=advice.version)


def grant(analyst, case, decided_on=None, **extra):
    return services.decision_record(
        actor=analyst,
        case=case,
        data=services.DecisionInput(
            outcome="granted",
            decided_on=decided_on or timezone.localdate(),
            reference="MI/2026/0042",
            **extra,
        ),
    )


def answer(user, consultation, kind=AnswerKind.AGREE):
    return services.consultation_answer(
        actor=user, consultation=consultation, answer=kind, text="No objection from our side."
    )


TODAY = date.today
