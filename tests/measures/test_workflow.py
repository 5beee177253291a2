"""Each transition of a measure case, the duration rules and the bad inputs (nothing changed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigie.audit.models import AuditEvent, Outcome
from vigie.core.errors import Conflict
from vigie.documents.rendering import sha256_of
from vigie.measures import services
from vigie.measures.models import CaseEvent, Decision, MeasureCase
from vigie.measures.rules import add_months
from vigie.registry import services as registry

from .conftest import answer, grant, listed, open_case, sent_advice, write_advice

pytestmark = pytest.mark.django_db


def test_open_case_names_authority_and_basis_and_consults_the_prosecutor(
    analyst, person, prosecutor
):
    case = open_case(analyst, person)
    assert case.reference.startswith("MC-")
    assert case.authority.code == "minister-interior"
    assert case.family == "id_card" and case.status == "open"
    assert [c.organisation.code for c in case.consultations.all()] == ["prosecution"]
    assert case.consultations.get().deadline == timezone.localdate() + timedelta(days=10)
    assert mail.outbox[-1].to == [prosecutor.email]
    freeze = open_case(analyst, person, "asset_freeze", consult=[])
    assert freeze.authority.code == "national-security-council"
    assert not freeze.consultations.exists()
    passport = open_case(analyst, person, "passport_refusal", consult=["dg-consular"])
    assert passport.authority.code == "minister-foreign-affairs"


def test_a_measure_on_someone_not_in_the_database_is_refused(analyst):
    import uuid

    before = MeasureCase.objects.count()
    for data in (
        services.CaseInput("id_withdrawal", "reasons", entity_id=uuid.uuid4()),
        services.CaseInput("id_withdrawal", "reasons", entity_reference="P-2026-999999"),
        services.CaseInput("id_withdrawal", "reasons"),
    ):
        with pytest.raises(ValidationError) as error:
            services.case_open(actor=analyst, data=data)
        assert "entity_id" in error.value.message_dict
    assert MeasureCase.objects.count() == before


def test_organisation_only_for_asset_freeze(analyst, validator):
    group = listed(analyst, validator, "Fictive Brotherhood", kind="organisation")
    with pytest.raises(ValidationError):
        open_case(analyst, group, "id_withdrawal")
    assert open_case(analyst, group, "asset_freeze").entity_id == group.id


def test_second_open_case_of_the_same_family_is_a_conflict(analyst, person):
    open_case(analyst, person)
    with pytest.raises(Conflict):
        open_case(analyst, person, "id_refusal")


def test_partner_proposal_reaches_the_body_with_its_reasons(police, analyst, person):
    case = services.case_propose(
        actor=police,
        data=services.CaseInput("passport_withdrawal", "Planned departure.", entity_id=person.id),
    )
    assert case.origin == "proposal" and case.proposer_organisation.code == "police-federal"
    assert case.owner is None
    case = services.case_take(actor=analyst, case=case)
    assert case.owner == analyst


def test_consultation_answers_and_lateness(analyst, person, prosecutor, police):
    case = open_case(analyst, person, deadline=timezone.localdate())
    [consultation] = services.consultation_request(
        actor=analyst,
        case=case,
        organisations=["police-federal"],
        deadline=timezone.localdate() + timedelta(days=3),
    )
    prosecution = case.consultations.get(organisation__code="prosecution")
    assert not prosecution.is_late() and prosecution.is_late(timezone.localdate() + timedelta(1))
    answer(prosecutor, prosecution, "object")
    with pytest.raises(Conflict):
        answer(prosecutor, prosecution)
    with pytest.raises(PermissionDenied):
        answer(prosecutor, consultation)  # not its consultation
    with pytest.raises(ValidationError):
        services.consultation_answer(
            actor=police, consultation=consultation, answer="maybe", text="x"
        )
    with pytest.raises(ValidationError):
        services.consultation_request(actor=analyst, case=case, organisations=["nope"])
    with pytest.raises(ValidationError):
        services.consultation_request(
            actor=analyst,
            case=case,
            organisations=["customs"],
            deadline=timezone.localdate() - timedelta(days=1),
        )
    advice = write_advice(analyst, case)
    assert (
        "objection" in advice.consultations_outcome
        and "pas de réponse" in advice.consultations_outcome
    )


def test_advice_four_eyes_pdf_hash_in_journal_and_delivery(analyst, validator, person, interior):
    case = open_case(analyst, person)
    draft = services.advice_create(
        actor=analyst, case=case, data=services.AdviceInput(language="nl")
    )
    assert "Rechtsgrond: Wet van 19 juli 1991" in draft.criteria
    draft.delete()
    advice = write_advice(analyst, case, language="nl")
    advice = services.advice_submit(actor=analyst, advice=advice, version=advice.version)
    with pytest.raises(PermissionDenied):
        services.advice_approve(actor=analyst, advice=advice, version=advice.version)
    author_validator = advice.author  # an analyst cannot approve at all, nor the author
    assert author_validator == analyst
    advice = services.advice_return(
        actor=validator, advice=advice, reason="Add dates.", version=advice.version
    )
    assert advice.status == "draft" and advice.returned_reason == "Add dates."
    advice = services.advice_submit(actor=analyst, advice=advice, version=advice.version)
    advice = services.advice_approve(actor=validator, advice=advice, version=advice.version)
    content = bytes(advice.document.content)
    assert content.startswith(b"%PDF") and advice.document.sha256 == sha256_of(content)
    event = AuditEvent.objects.filter(action="measure.advice_approve").latest("seq")
    assert event.detail["sha256"] == advice.document.sha256
    with pytest.raises(Conflict):
        services.advice_update(
            actor=analyst, advice=advice, changes={"facts": "x"}, version=advice.version
        )
    advice = services.advice_send(actor=analyst, advice=advice, version=advice.version)
    case.refresh_from_db()
    assert case.status == "advised"
    [row] = advice.recipients.all()
    assert row.organisation.code == "minister-interior"
    services.advice_acknowledge(actor=interior, advice=advice)
    row.refresh_from_db()
    assert row.acknowledged_by_username == interior.username


def test_submit_needs_every_part_of_the_advice(analyst, person):
    case = open_case(analyst, person)
    advice = services.advice_create(actor=analyst, case=case, data=services.AdviceInput())
    with pytest.raises(ValidationError) as error:
        services.advice_submit(actor=analyst, advice=advice, version=advice.version)
    assert "recommendation" in error.value.message_dict


def test_decision_before_the_advice_is_refused(analyst, person):
    case = open_case(analyst, person)
    write_advice(analyst, case)
    with pytest.raises(ValidationError):
        grant(analyst, case)
    assert not Decision.objects.exists()
    case.refresh_from_db()
    assert case.status == "open"


def test_decision_date_in_the_future_is_refused(analyst, validator, person):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    with pytest.raises(ValidationError) as error:
        grant(analyst, case, decided_on=timezone.localdate() + timedelta(days=1))
    assert "decided_on" in error.value.message_dict
    assert not Decision.objects.exists()


def test_id_card_lasts_three_months_brings_passport_and_renews_once(analyst, validator, person):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    today = timezone.localdate()
    grant(analyst, case)
    case.refresh_from_db()
    assert case.status == "in_force"
    assert case.period_end == add_months(today, 3) - timedelta(days=1)
    [passport] = case.linked_cases.all()
    assert passport.measure_type == "passport_withdrawal" and passport.status == "in_force"
    assert passport.authority.code == "minister-foreign-affairs"
    assert (passport.period_start, passport.period_end) == (case.period_start, case.period_end)
    first_end = case.period_end
    sent_advice(analyst, validator, case, kind="renewal")
    grant(analyst, case)
    case.refresh_from_db()
    passport.refresh_from_db()
    assert case.renewals == 1
    assert case.period_end == add_months(first_end + timedelta(days=1), 3) - timedelta(days=1)
    assert passport.period_end == case.period_end
    with pytest.raises(ValidationError) as error:
        services.advice_create(actor=analyst, case=case, data=services.AdviceInput(kind="renewal"))
    assert "only once" in str(error.value)
    assert case.advices.count() == 2


def test_id_card_period_longer_than_three_months_is_refused(analyst, validator, person):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        grant(analyst, case, period_end=add_months(today, 3) + timedelta(days=1))
    assert not MeasureCase.objects.filter(origin="linked").exists()


def test_refused_decision_closes_the_case(analyst, validator, person):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    services.decision_record(
        actor=analyst,
        case=case,
        data=services.DecisionInput("refused", timezone.localdate(), "MI/2026/7"),
    )
    case.refresh_from_db()
    assert case.status == "refused" and not case.linked_cases.exists()


def test_expiry_ends_id_and_passport_measures(analyst, validator, person):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    case.refresh_from_db()
    ended = services.measures_expire(today=case.period_end + timedelta(days=1))
    assert {c.family for c in ended} == {"id_card", "passport"}


def _freeze(analyst, validator, person):
    case = open_case(analyst, person, "asset_freeze", consult=[])
    sent_advice(analyst, validator, case)
    grant(analyst, case, published_on=timezone.localdate())
    case.refresh_from_db()
    return case


def test_freeze_reviews_every_six_months_reminders_and_lift(analyst, validator, person):
    case = _freeze(analyst, validator, person)
    [review] = case.reviews.all()
    assert review.due_on == add_months(case.period_start, 6) and case.period_end is None
    assert services.reviews_remind(today=review.due_on - timedelta(days=30)) == []
    mail.outbox.clear()
    assert services.reviews_remind(today=review.due_on - timedelta(days=10)) == [review]
    assert mail.outbox[0].to == [analyst.email] and case.reference in mail.outbox[0].subject
    assert services.reviews_remind(today=review.due_on) == []  # once
    with pytest.raises(ValidationError):
        services.review_record(actor=analyst, review=review, outcome="maintain", reasons=" ")
    review.refresh_from_db()
    assert review.outcome == "" and case.reviews.count() == 1
    services.review_record(
        actor=analyst, review=review, outcome="maintain", reasons="Still active in the network."
    )
    nxt = case.reviews.get(outcome="")
    assert nxt.due_on == add_months(review.due_on, 6)
    advice = sent_advice(analyst, validator, case, kind="review")
    services.review_record(
        actor=analyst, review=nxt, outcome="lift", reasons="Left the group.", advice=advice
    )
    case.refresh_from_db()
    assert case.status == "ended" and case.end_reason == "lifted"


def test_appeal_and_annulment(analyst, validator, person):
    case = _freeze(analyst, validator, person)
    appeal = services.appeal_record(
        actor=analyst,
        case=case,
        court="Council of State",
        lodged_on=timezone.localdate(),
        reference="G/A 1234",
    )
    with pytest.raises(ValidationError):
        services.appeal_outcome(
            actor=analyst, appeal=appeal, outcome="pending", outcome_on=timezone.localdate()
        )
    services.appeal_outcome(
        actor=analyst, appeal=appeal, outcome="annulled", outcome_on=timezone.localdate()
    )
    case.refresh_from_db()
    assert case.status == "ended" and case.end_reason == "annulled"


def test_person_under_a_measure_in_force_cannot_be_removed(analyst, validator, person):
    case = _freeze(analyst, validator, person)
    registry.entity_review(
        actor=analyst, entity=person, outcome="propose_removal", reasons="Long positive evolution."
    )
    with pytest.raises(ValidationError) as error:
        registry.entity_remove(actor=validator, entity=person)
    assert case.reference in str(error.value)


def test_history_is_complete_and_journal_holds_no_text(analyst, validator, person, prosecutor):
    case = open_case(analyst, person)
    answer(prosecutor, case.consultations.get())
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "open",
        "consult",
        "answer",
        "advice_create",
        "advice_update",
        "advice_submit",
        "advice_approve",
        "advice_send",
        "decision",
        "link",
    ]
    for event in AuditEvent.objects.filter(domain="measures"):
        assert "No objection" not in str(event.detail)


def test_denied_attempts_are_journaled(police, person, analyst):
    case = open_case(analyst, person)
    with pytest.raises(PermissionDenied):
        services.advice_create(actor=police, case=case, data=services.AdviceInput())
    assert AuditEvent.objects.filter(outcome=Outcome.DENIED, domain="measures").exists()
