"""Fixtures of the assessments tests: fictitious services, officials and events."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from vigie.assessments import services
from vigie.core.choices import AccessType, Clearance, OrganisationKind, RecordView, Role

BRUSSELS, GHENT = "21004", "44021"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def body():
    return OrganisationFactory(
        code="test-body",
        kind=OrganisationKind.COORDINATION_BODY,
        access_type=AccessType.CONSULT_FEED,
        record_view=RecordView.FULL,
    )


@pytest.fixture
def police():
    return OrganisationFactory(code="test-police", access_type=AccessType.CONSULT_FEED)


@pytest.fixture
def crisis_centre():
    return OrganisationFactory(code="test-crisis-centre")


@pytest.fixture
def analyst(body):
    return UserFactory(
        organisation=body, role=Role.ANALYST, clearance=Clearance.SECRET, email="an@vigie.invalid"
    )


@pytest.fixture
def validator(body):
    return UserFactory(
        organisation=body, role=Role.VALIDATOR, clearance=Clearance.SECRET, email="va@vigie.invalid"
    )


@pytest.fixture
def officer(police):
    return UserFactory(
        organisation=police,
        role=Role.PARTNER_OFFICER,
        clearance=Clearance.CONFIDENTIEL,
        email="officer@vigie.invalid",
    )


@pytest.fixture
def event(analyst):
    start = timezone.localdate() + timedelta(days=20)
    return services.event_create(
        actor=analyst,
        data=services.EventInput(
            name="Winter market of Fictiville",
            kind="market",
            start_date=start,
            end_date=start + timedelta(days=3),
            municipality=BRUSSELS,
            venue="Main square",
            expected_attendance=20000,
            organiser="Fictiville events office",
        ),
    )


PERSON_RATINGS = {"intent": 2, "capability": 2, "history": 1, "psychological_problems": 0}
EVENT_RATINGS = {
    "known_threats": 1,
    "target_attractiveness": 2,
    "context_triggers": 1,
    "general_level": 1,
}


def draft_event_assessment(analyst, event, **extra):
    values = {
        "kind": "event",
        "event_id": event.id,
        "rationale": "No specific threat known; a busy public event.",
        "ratings": dict(EVENT_RATINGS),
        "level": 2,
        **extra,
    }
    data = services.AssessmentInput(**values)
    return services.assessment_create(actor=analyst, data=data)


def draft_person_assessment(analyst, **extra):
    data = services.AssessmentInput(
        kind="threatened_person",
        threatened_person="Mayor of Fictiville",
        rationale="Threats on social media after a council decision.",
        ratings={"known_threats": 2, "target_attractiveness": 2, "context_triggers": 1,
                 "general_level": 1},
        level=3,
        review_date=date.today() + timedelta(days=90),
        **extra,
    )  # fmt: skip
    return services.assessment_create(actor=analyst, data=data)


def approve(analyst, validator, assessment):
    assessment = services.assessment_submit(
        actor=analyst, assessment=assessment, version=assessment.version
    )
    return services.assessment_approve(
        actor=validator, assessment=assessment, version=assessment.version
    )
