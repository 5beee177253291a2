"""Levels: the general level's timeline, "as known on", persons of the common database,
expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from vigie.assessments import method, selectors, services
from vigie.assessments.models import ThreatAssessment
from vigie.assessments.tasks import expire_assessments
from vigie.registry import assessment_services
from vigie.registry import services as registry
from vigie.registry.models import Entity, RecordChange

from .conftest import PERSON_RATINGS, approve, draft_event_assessment, draft_person_assessment

pytestmark = pytest.mark.django_db


def _general(analyst, level, area_levels=None):
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


def test_general_level_national_and_brussels_public_and_timeline(client, analyst, validator):
    assert client.get("/api/v1/threat-level").json() == []
    approve(analyst, validator, _general(analyst, 3, {"04000": 4}))
    body = client.get("/api/v1/threat-level").json()
    assert [(r["area"], r["level"]) for r in body] == [("BE", 3), ("04000", 4)]
    assert set(body[0]) == {"area", "level", "since"}
    approve(analyst, validator, _general(analyst, 2))
    body = client.get("/api/v1/threat-level").json()
    assert [(r["area"], r["level"]) for r in body] == [("BE", 2)]
    steps, count = selectors.general_level_timeline(actor=analyst)
    assert count == 3


def test_general_level_refuses_unknown_or_equal_areas(analyst):
    with pytest.raises(ValidationError, match="Unknown area"):
        _general(analyst, 3, {"99999": 4})
    with pytest.raises(ValidationError, match="differs"):
        _general(analyst, 3, {"04000": 3})


def test_as_known_on_for_an_area(analyst, validator):
    approve(analyst, validator, _general(analyst, 3, {"04000": 4}))
    today = timezone.localdate()
    known = selectors.level_as_known_on(actor=analyst, subject="area:04000", on=today)
    assert known.level == 4 and known.reference.startswith("TA-")
    assert selectors.level_as_known_on(actor=analyst, subject="area:60000", on=today).level == 3
    yesterday = today - timedelta(days=1)
    assert selectors.level_as_known_on(actor=analyst, subject="area:BE", on=yesterday) is None


def test_as_known_on_for_an_event_and_a_person(analyst, validator, event):
    a = approve(analyst, validator, draft_event_assessment(analyst, event))
    during = event.start_date + timedelta(days=1)
    known = selectors.level_as_known_on(actor=analyst, subject=f"event:{event.id}", on=during)
    assert (known.level, known.reference) == (2, a.reference)
    after = event.end_date + timedelta(days=1)
    assert selectors.level_as_known_on(actor=analyst, subject=f"event:{event.id}", on=after) is None
    p = approve(analyst, validator, draft_person_assessment(analyst))
    known = selectors.level_as_known_on(
        actor=analyst, subject="person:MAYOR of fictiville", on=timezone.localdate()
    )
    assert known.reference == p.reference


@pytest.fixture
def listed(analyst, validator):
    entity = registry.entity_propose(
        actor=analyst,
        data=registry.EntityInput(kind="person", names=[registry.NameInput("Fictive Person A")]),
    )
    return registry.entity_validate(
        actor=validator,
        entity=entity,
        memberships=[registry.MembershipInput(category="EPV")],
        threat_level=2,
        version=entity.version,
    )


def test_an_approved_assessment_sets_the_listed_persons_level(analyst, validator, listed):
    a = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            kind="threat_source",
            entity_id=listed.id,
            rationale="Intent expressed online.",
            ratings=dict(PERSON_RATINGS),
            level=3,
            review_date=date.today() + timedelta(days=180),
        ),
    )
    assert a.entity_reference == listed.reference
    approve(analyst, validator, a)
    listed.refresh_from_db()
    assert listed.threat_level == 3 and listed.version == 3
    change = RecordChange.objects.get(entity=listed, action="assessment")
    assert change.reason == a.reference and change.before["threat_level"] == 2
    with pytest.raises(ValidationError, match=a.reference):
        assessment_services.refuse_level_change_outside_assessment(listed)
    # A review can no longer change the level; maintaining it still works.
    with pytest.raises(ValidationError, match=a.reference):
        registry.entity_review(
            actor=validator, entity=listed, outcome="change", reasons="r", threat_level=4
        )
    listed.refresh_from_db()
    assert listed.threat_level == 3
    registry.entity_review(actor=validator, entity=listed, outcome="maintain", reasons="ok")
    # The assessment survives the entry's removal, with the copied reference.
    Entity.objects.filter(pk=listed.pk).delete()
    a = ThreatAssessment.objects.get(pk=a.pk)
    assert a.entity_id is None and a.entity_reference == listed.reference


def test_the_guard_lets_a_level_never_set_by_an_assessment_change(listed):
    assert assessment_services.refuse_level_change_outside_assessment(listed) is None


def test_expiry_marks_and_notifies_the_owner(analyst, validator, event):
    a = approve(analyst, validator, draft_event_assessment(analyst, event))
    assert services.assessments_expire() == []
    mail.outbox.clear()
    expired = services.assessments_expire(today=event.end_date + timedelta(days=1))
    assert [e.pk for e in expired] == [a.pk]
    assert mail.outbox[0].to == [analyst.email] and a.reference in mail.outbox[0].subject
    assert services.assessments_expire(today=event.end_date + timedelta(days=2)) == []


def test_expiry_runs_as_a_command_and_as_a_task(analyst, validator, capsys):
    a = approve(analyst, validator, draft_person_assessment(analyst))
    ThreatAssessment.objects.filter(pk=a.pk).update(valid_until=date.today() - timedelta(days=1))
    call_command("assessments", "expire")
    assert "1 assessment(s) expired" in capsys.readouterr().out
    assert expire_assessments.call() == []


def test_cli_lists_what_a_user_may_open(analyst, validator, officer, capsys):
    a = approve(analyst, validator, draft_person_assessment(analyst))
    call_command("assessments", "list", "--as", analyst.username)
    assert a.reference in capsys.readouterr().out
    call_command("assessments", "list", "--as", officer.username)
    assert "0 assessment(s)" in capsys.readouterr().out


def test_method_proposal_is_configurable(settings):
    ratings = dict(PERSON_RATINGS)
    assert method.propose_level("threat_source", ratings) == 3
    settings.ASSESSMENT_METHOD = {"thresholds": [0.9, 0.95, 0.99]}
    assert method.propose_level("threat_source", ratings) == 1
    assert method.propose_level("threat_source", {**ratings, "intent": 3, "capability": 3}) == 3
    with pytest.raises(ValidationError):
        method.clean_ratings("threat_source", {**ratings, "intent": 4})
    with pytest.raises(ValidationError):
        method.clean_ratings("threat_source", {"intent": 1})
