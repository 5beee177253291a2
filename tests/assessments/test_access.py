"""Classification and need-to-know: each rule both ways, refusals journaled, 404 not 403."""

from __future__ import annotations

import pytest
from django.http import Http404

from tests.factories import OrganisationFactory, UserFactory
from vigie.access.policy import AssessmentAction, assessment_can, document_visible
from vigie.assessments import selectors, services
from vigie.audit.models import AuditEvent, Outcome
from vigie.core.choices import Clearance, Role

from .conftest import approve, draft_event_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(analyst, validator, police, event):
    a = draft_event_assessment(analyst, event, distribution=[police.code], classification=2)
    a = approve(analyst, validator, a)
    return services.assessment_deliver(actor=analyst, assessment=a, version=a.version)


def _opens(user, assessment) -> bool:
    try:
        selectors.assessment_get(actor=user, assessment_id=assessment.id)
    except Http404:
        return False
    return True


def test_recipient_with_clearance_opens_it(officer, delivered):
    assert _opens(officer, delivered)
    page, count = selectors.assessment_list(actor=officer)
    assert count == 1 and page[0].id == delivered.id


def test_recipient_below_the_marking_cannot_open_it_and_it_is_journaled(police, delivered):
    low = UserFactory(organisation=police, role=Role.PARTNER_OFFICER, clearance=Clearance.RESTREINT)
    assert not _opens(low, delivered)
    assert selectors.assessment_list(actor=low)[1] == 0
    assert AuditEvent.objects.filter(
        actor_id=low.id, action="assessment.open", outcome=Outcome.DENIED
    ).exists()


def test_cleared_user_of_a_non_recipient_organisation_cannot_open_it(delivered):
    other = UserFactory(
        organisation=OrganisationFactory(), role=Role.PARTNER_OFFICER, clearance=Clearance.SECRET
    )
    assert not _opens(other, delivered)
    assert AuditEvent.objects.filter(actor_id=other.id, outcome=Outcome.DENIED).exists()


def test_body_analyst_opens_it_only_with_clearance(body, analyst, delivered):
    assert _opens(analyst, delivered)
    uncleared = UserFactory(organisation=body, role=Role.ANALYST, clearance=Clearance.RESTREINT)
    assert not _opens(uncleared, delivered)


def test_recipient_cannot_see_a_draft_or_an_undelivered_approval(
    analyst, validator, officer, police, event
):
    draft = draft_event_assessment(analyst, event, distribution=[police.code])
    assert not _opens(officer, draft)
    approved = approve(analyst, validator, draft)
    assert not _opens(officer, approved)


def test_administrator_and_oversight_see_no_content(body, delivered):
    for role in (Role.ADMINISTRATOR, Role.OVERSIGHT):
        user = UserFactory(organisation=body, role=role, clearance=Clearance.TRES_SECRET)
        assert not _opens(user, delivered)


def test_inactive_organisation_closes_access(police, officer, delivered):
    police.is_active = False
    police.save()
    officer.refresh_from_db()
    assert not document_visible(officer, delivered, [police.id])


def test_the_pdf_download_follows_the_same_rule(officer, police, delivered):
    assert selectors.document_for(actor=officer, obj=delivered).sha256
    low = UserFactory(organisation=police, role=Role.PARTNER_OFFICER, clearance=Clearance.RESTREINT)
    with pytest.raises(Http404):
        selectors.document_for(actor=low, obj=delivered)


@pytest.mark.parametrize(
    ("action", "body_member", "allowed"),
    [
        (AssessmentAction.WRITE, {Role.ANALYST, Role.VALIDATOR}, set()),
        (AssessmentAction.APPROVE, {Role.VALIDATOR}, set()),
        (AssessmentAction.DELIVER, {Role.ANALYST, Role.VALIDATOR}, set()),
        (AssessmentAction.INTAKE_MANAGE, {Role.ANALYST, Role.VALIDATOR}, set()),
        (
            AssessmentAction.INTAKE_SUBMIT,
            {Role.ANALYST, Role.VALIDATOR, Role.PARTNER_OFFICER},
            {Role.PARTNER_OFFICER},
        ),
    ],
)
def test_action_matrix(body, police, action, body_member, allowed):
    for organisation, expected in ((body, body_member), (police, allowed)):
        for user_role in Role.values:
            user = UserFactory.build(organisation=organisation, role=user_role)
            assert assessment_can(user, action) == (user_role in expected), (
                organisation.code,
                user_role,
                action,
            )
