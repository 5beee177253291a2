"""Access rules of measures, each both ways: the body, consulted and proposing partners,
authorities, administrators and oversight; a person's measures on the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from vigie.access.policy import MeasureAction, MeasureView, can
from vigie.measures import selectors, services

from .conftest import answer, grant, open_case, sent_advice

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who, action, allowed",
    [
        ("analyst", MeasureAction.WRITE, True),
        ("validator", MeasureAction.APPROVE, True),
        ("analyst", MeasureAction.APPROVE, False),
        ("prosecutor", MeasureAction.WRITE, False),
        ("police", MeasureAction.PROPOSE, True),
        ("analyst", MeasureAction.PROPOSE, False),
        ("interior", MeasureAction.PROPOSE, False),
        ("admin", MeasureAction.LIST, False),
        ("oversight", MeasureAction.LIST, False),
        ("admin", MeasureAction.STATISTICS, False),
        ("analyst", MeasureAction.STATISTICS, True),
        ("police", MeasureAction.NATIONAL_LIST_EXPORT, False),
        ("analyst", MeasureAction.NATIONAL_LIST_EXPORT, True),
    ],
)
def test_policy_matrix(request, who, action, allowed):
    assert can(request.getfixturevalue(who), action) is allowed


def test_system_actor_exports_the_list_but_reads_no_case():
    from vigie.core.services import system_user

    system = system_user()
    assert can(system, MeasureAction.NATIONAL_LIST_EXPORT)
    assert not can(system, MeasureAction.WRITE) and not can(system, MeasureAction.LIST)


def test_consulted_partner_sees_summary_and_answers_others_do_not(
    analyst, person, prosecutor, police, customs
):
    case = open_case(analyst, person)
    seen, view = selectors.case_get(actor=prosecutor, case_id=case.id)
    assert view == MeasureView.CONSULTED
    assert [c.reference for c in selectors.case_list(actor=prosecutor)[0]] == [case.reference]
    for outsider in (police, customs):
        with pytest.raises(Http404):
            selectors.case_get(actor=outsider, case_id=case.id)
        assert selectors.case_list(actor=outsider)[1] == 0
    consultation = case.consultations.get()
    with pytest.raises(PermissionDenied):
        answer(police, consultation)
    answer(prosecutor, consultation)


def test_proposer_sees_its_proposal_and_outcome_only(analyst, validator, person, police, customs):
    case = services.case_propose(
        actor=police,
        data=services.CaseInput("passport_withdrawal", "Departure planned.", entity_id=person.id),
    )
    _, view = selectors.case_get(actor=police, case_id=case.id)
    assert view == MeasureView.PROPOSER
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    seen, view = selectors.case_get(actor=police, case_id=case.id)
    assert seen.decisions.get().outcome == "granted"
    with pytest.raises(Http404):
        selectors.case_get(actor=customs, case_id=case.id)


def test_authority_sees_advice_sent_to_it_only(
    analyst, validator, person, interior, foreign_affairs, admin, oversight
):
    case = open_case(analyst, person)
    advice = sent_advice(analyst, validator, case)
    _, view = selectors.case_get(actor=interior, case_id=case.id)
    assert view == MeasureView.AUTHORITY
    assert selectors.advice_get(actor=interior, advice_id=advice.id) == advice
    assert selectors.inbox(actor=interior)[1] == 1
    assert bytes(selectors.advice_document(actor=interior, advice=advice).content)[:4] == b"%PDF"
    for other in (foreign_affairs, admin, oversight):
        with pytest.raises(Http404):
            selectors.advice_get(actor=other, advice_id=advice.id)
        with pytest.raises(Http404):
            selectors.case_get(actor=other, case_id=case.id)
        assert selectors.inbox(actor=other)[1] == 0
    with pytest.raises(PermissionDenied):
        services.advice_acknowledge(actor=foreign_affairs, advice=advice)
    # The body records the decision as received: the authority does not.
    with pytest.raises(PermissionDenied):
        grant(interior, case)


def test_authority_without_clearance_does_not_open_the_advice(analyst, validator, person):
    from tests.factories import OrganisationFactory, UserFactory
    from vigie.core.choices import Clearance, Role

    case = open_case(analyst, person)
    advice = sent_advice(analyst, validator, case)
    uncleared = UserFactory(
        organisation=OrganisationFactory(code="minister-interior"),
        role=Role.PARTNER_OFFICER,
        clearance=Clearance.NONE,
    )
    with pytest.raises(Http404):
        selectors.advice_get(actor=uncleared, advice_id=advice.id)
    with pytest.raises(PermissionDenied):
        services.advice_acknowledge(actor=uncleared, advice=advice)


def test_measures_of_person_body_and_full_view_only(analyst, person, prosecutor, customs, admin):
    from tests.factories import OrganisationFactory, UserFactory
    from vigie.core.choices import Role

    case = open_case(analyst, person)
    assert selectors.measures_of(actor=analyst, entity=person) == [case]
    # prosecution: full record view (reference profile) -> sees the measures
    assert selectors.measures_of(actor=prosecutor, entity=person) == [case]
    card = UserFactory(
        organisation=OrganisationFactory(code="dg-prisons"), role=Role.PARTNER_OFFICER
    )
    for user in (customs, admin, card):
        assert selectors.measures_of(actor=user, entity=person) is None


def test_statistics_for_the_body_only(analyst, validator, person, police):
    case = open_case(analyst, person)
    sent_advice(analyst, validator, case)
    grant(analyst, case)
    rows = selectors.statistics(actor=analyst)
    row = next(r for r in rows if r["measure_type"] == "id_withdrawal")
    assert (row["opened"], row["advised"], row["granted"], row["refused"]) == (1, 1, 1, 0)
    assert selectors.statistics(actor=police) is None
