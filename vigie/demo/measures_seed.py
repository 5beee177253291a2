"""Demo measure cases (VIGIE_DEMO=1 only): fictitious people only, through the services.

`seed_measures()` is idempotent: it writes nothing when a case exists already, or when the
demo accounts or listed persons it needs are missing. Called by `vigie seed --demo`.
"""

from __future__ import annotations

from django.utils import timezone

from vigie.core.models import User
from vigie.measures import services
from vigie.measures.models import MeasureCase
from vigie.registry.selectors import visible_entities

ADVICE_TEXT = {
    "facts": "Fictitious demo facts: repeated contacts with a recruiter (source B2).",
    "criteria": "Fictitious demo criteria: serious indications of intent to travel.",
    "proportionality": "Limited in time; no less intrusive measure is effective.",
    "recommendation": "favourable",
    "recommendation_text": "Take the measure.",
}


def _advise(analyst: User, validator: User, case: MeasureCase, kind: str = "initial") -> None:
    advice = services.advice_create(
        actor=analyst, case=case, data=services.AdviceInput(kind=kind, language="fr")
    )
    advice = services.advice_update(
        actor=analyst, advice=advice, changes=ADVICE_TEXT, version=advice.version
    )
    advice = services.advice_submit(actor=analyst, advice=advice, version=advice.version)
    advice = services.advice_approve(actor=validator, advice=advice, version=advice.version)
    services.advice_send(actor=analyst, advice=advice, version=advice.version)


def _decide(analyst: User, case: MeasureCase, outcome: str, reference: str) -> None:
    today = timezone.localdate()
    services.decision_record(
        actor=analyst,
        case=case,
        data=services.DecisionInput(
            outcome=outcome,
            decided_on=today,
            reference=reference,
            published_on=today if case.family == "asset_freeze" else None,
        ),
    )


def seed_measures() -> list[str]:
    """A freeze in force (on the national list), an ID-card withdrawal in force with its linked
    passport measure, a partner's proposal under consultation, a refused passport measure.
    Returns the references created."""
    if MeasureCase.objects.exists():
        return []
    users = {
        u.username: u for u in User.objects.filter(username__in=["analyst", "validator", "feeder"])
    }
    if not {"analyst", "validator"} <= set(users):
        return []
    analyst, validator = users["analyst"], users["validator"]
    persons = list(visible_entities(analyst).filter(kind="person").order_by("reference")[:4])
    if len(persons) < 4:
        return []

    def case(person, measure_type, consult=None):  # type: ignore[no-untyped-def]
        return services.case_open(
            actor=analyst,
            data=services.CaseInput(
                measure_type=measure_type,
                entity_id=person.id,
                reasons="Fictitious demo case: see the contributions of the record.",
                consult=consult,
            ),
        )

    created = []
    freeze = case(persons[0], "asset_freeze", consult=[])
    _advise(analyst, validator, freeze)
    _decide(analyst, freeze, "granted", "AR/KB 2026/DEMO-1")
    created.append(freeze.reference)
    id_ban = case(persons[1], "id_withdrawal", consult=[])
    _advise(analyst, validator, id_ban)
    _decide(analyst, id_ban, "granted", "MI/2026/DEMO-2")
    created += [id_ban.reference, *[c.reference for c in id_ban.linked_cases.all()]]
    if "feeder" in users:
        proposal = services.case_propose(
            actor=users["feeder"],
            data=services.CaseInput(
                measure_type="passport_withdrawal",
                entity_id=persons[2].id,
                reasons="Fictitious demo proposal: a departure is being prepared.",
            ),
        )
        services.consultation_request(actor=analyst, case=proposal, organisations=["prosecution"])
        created.append(proposal.reference)
    refused = case(persons[3], "passport_refusal", consult=[])
    _advise(analyst, validator, refused)
    _decide(analyst, refused, "refused", "SPF AE/FOD BZ 2026/DEMO-4")
    created.append(refused.reference)
    return created
