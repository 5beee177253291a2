"""Four-eyes review of assessments: each transition allowed and refused."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from vigie.assessments import selectors, services
from vigie.assessments.choices import ReviewStatus
from vigie.audit.models import AuditEvent, Outcome
from vigie.core.choices import Role
from vigie.core.errors import Conflict, PreconditionFailed

from .conftest import approve, draft_event_assessment, draft_person_assessment

pytestmark = pytest.mark.django_db


def test_draft_gets_a_ta_reference_and_the_method_proposal(analyst, event):
    assessment = draft_event_assessment(analyst, event)
    assert assessment.reference.startswith("TA-") and len(assessment.reference.split("-")[2]) == 4
    assert assessment.status == ReviewStatus.DRAFT
    assert assessment.proposed_level == 2
    assert (assessment.valid_from, assessment.valid_until) == (event.start_date, event.end_date)
    assert assessment.own_initiative


def test_a_level_other_than_the_proposal_needs_a_justification(analyst, event):
    with pytest.raises(ValidationError) as error:
        draft_event_assessment(analyst, event, level=4)
    assert "level_justification" in error.value.message_dict
    ok = draft_event_assessment(analyst, event, level=4, level_justification="Recent call to act.")
    assert ok.level == 4 and ok.proposed_level == 2


def test_submit_then_return_then_submit_again(analyst, validator, event):
    a = draft_event_assessment(analyst, event)
    a = services.assessment_submit(actor=analyst, assessment=a, version=a.version)
    assert a.status == ReviewStatus.SUBMITTED
    with pytest.raises(Conflict):
        services.assessment_submit(actor=analyst, assessment=a, version=a.version)
    with pytest.raises(Conflict):  # a submitted text is not edited
        services.assessment_update(
            actor=analyst, assessment=a, changes={"level": 3}, version=a.version
        )
    a = services.assessment_return(
        actor=validator, assessment=a, reason="Rate the context again.", version=a.version
    )
    assert a.status == ReviewStatus.DRAFT and a.returned_reason
    with pytest.raises(Conflict):  # only a submitted text is returned
        services.assessment_return(actor=validator, assessment=a, reason="x", version=a.version)
    a = services.assessment_submit(actor=analyst, assessment=a, version=a.version)
    assert a.status == ReviewStatus.SUBMITTED


def test_submit_refuses_an_incomplete_draft(analyst):
    a = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(kind="threatened_person", threatened_person="Alderman X"),
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(actor=analyst, assessment=a, version=a.version)
    assert "ratings" in error.value.message_dict


def test_the_author_cannot_approve_their_own_draft_and_it_is_journaled(validator, event):
    a = draft_event_assessment(validator, event)
    a = services.assessment_submit(actor=validator, assessment=a, version=a.version)
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        services.assessment_approve(actor=validator, assessment=a, version=a.version)
    a.refresh_from_db()
    assert a.status == ReviewStatus.SUBMITTED and a.document_id is None
    denied = AuditEvent.objects.filter(action="assessment.approve", outcome=Outcome.DENIED)
    assert denied.filter(actor_id=validator.id, target_id=str(a.id)).exists()


def test_an_analyst_cannot_approve(analyst, body, event):
    other = UserFactory(organisation=body, role=Role.ANALYST, clearance=3)
    a = draft_event_assessment(analyst, event)
    a = services.assessment_submit(actor=analyst, assessment=a, version=a.version)
    with pytest.raises(PermissionDenied):
        services.assessment_approve(actor=other, assessment=a, version=a.version)
    assert AuditEvent.objects.filter(action="assessment.approve", outcome=Outcome.DENIED).exists()


def test_a_draft_cannot_be_approved(analyst, validator, event):
    a = draft_event_assessment(analyst, event)
    with pytest.raises(Conflict):
        services.assessment_approve(actor=validator, assessment=a, version=a.version)


def test_a_stale_version_is_refused(analyst, event):
    a = draft_event_assessment(analyst, event)
    with pytest.raises(PreconditionFailed):
        services.assessment_update(actor=analyst, assessment=a, changes={"level": 2}, version=99)


def test_approval_issues_the_pdf_once_with_its_hash_in_the_journal(analyst, validator, event):
    a = approve(analyst, validator, draft_event_assessment(analyst, event))
    assert a.status == ReviewStatus.APPROVED and a.validator == validator
    content = bytes(a.document.content)
    assert content.startswith(b"%PDF")
    assert a.document.sha256 == hashlib.sha256(content).hexdigest()
    event_row = AuditEvent.objects.get(action="assessment.approve", outcome=Outcome.DONE)
    assert event_row.detail["sha256"] == a.document.sha256


def test_an_approved_version_is_immutable_and_a_correction_is_a_new_version(
    analyst, validator, event
):
    a = approve(analyst, validator, draft_event_assessment(analyst, event))
    with pytest.raises(Conflict, match="correction"):
        services.assessment_update(
            actor=analyst, assessment=a, changes={"level": 3}, version=a.version
        )
    a.refresh_from_db()
    assert a.level == 2
    v2 = services.assessment_correct(actor=analyst, assessment=a)
    assert (v2.reference, v2.revision, v2.previous_id) == (a.reference, 2, a.id)
    with pytest.raises(Conflict):  # one correction at a time
        services.assessment_correct(actor=analyst, assessment=a)
    with pytest.raises(Conflict):  # a draft is edited, not corrected
        services.assessment_correct(actor=analyst, assessment=v2)
    v2 = services.assessment_update(
        actor=analyst,
        assessment=v2,
        changes={"level": 3, "level_justification": "A call to act was published."},
        version=v2.version,
    )
    changes = {c["field"]: c for c in selectors.assessment_diff(actor=analyst, assessment=v2)}
    assert changes["level"] == {"field": "level", "before": 2, "after": 3}
    assert "level_justification" in changes
    v2 = approve(analyst, validator, v2)
    a.refresh_from_db()
    assert a.superseded_by_id == v2.id  # both readable, the old one marked
    assert selectors.assessment_get(actor=analyst, assessment_id=a.id).level == 2


def test_a_new_assessment_of_the_same_subject_supersedes_the_old(analyst, validator):
    first = approve(analyst, validator, draft_person_assessment(analyst))
    second = approve(analyst, validator, draft_person_assessment(analyst))
    first.refresh_from_db()
    assert first.reference != second.reference
    assert first.superseded_by_id == second.id and second.superseded_by_id is None


def test_delivery_inbox_and_acknowledgement(analyst, validator, officer, police, event):
    a = draft_event_assessment(analyst, event, distribution=[police.code])
    a = approve(analyst, validator, a)
    with pytest.raises(PermissionDenied):  # not delivered yet: nothing to acknowledge
        services.assessment_acknowledge(actor=officer, assessment=a)
    a = services.assessment_deliver(actor=analyst, assessment=a, version=a.version)
    assert a.status == ReviewStatus.DELIVERED
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert a.reference in mail.outbox[0].subject and "Winter" not in mail.outbox[0].body
    rows, count = selectors.inbox(actor=officer)
    assert count == 1 and rows[0]["acknowledged_at"] is None
    status = selectors.acknowledgements(actor=analyst, obj=a)
    assert status[0]["organisation"] == police.code and status[0]["acknowledged_at"] is None
    services.assessment_acknowledge(actor=officer, assessment=a)
    status = selectors.acknowledgements(actor=analyst, obj=a)
    assert status[0]["acknowledged_by"] == officer.username
    assert selectors.acknowledgements(actor=officer, obj=a) == []  # the body follows it up
    with pytest.raises(Conflict):
        services.assessment_deliver(actor=analyst, assessment=a, version=a.version)


def test_delivery_needs_a_recipient_and_an_approved_text(analyst, validator, event):
    a = draft_event_assessment(analyst, event)
    with pytest.raises(Conflict):
        services.assessment_deliver(actor=analyst, assessment=a, version=a.version)
    a = approve(analyst, validator, a)
    with pytest.raises(ValidationError):
        services.assessment_deliver(actor=analyst, assessment=a, version=a.version)


def test_partners_cannot_write_assessments(officer, event):
    with pytest.raises(PermissionDenied):
        draft_event_assessment(officer, event)
    assert AuditEvent.objects.filter(action="assessment.write", outcome=Outcome.DENIED).exists()
