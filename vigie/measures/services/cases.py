"""Opening a case (own initiative or a partner's proposal), consulting partners, answers,
the end of measures, and the guard that keeps a person under a measure in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.access.policy import MeasureAction
from vigie.core.errors import Conflict
from vigie.core.models import Organisation, User
from vigie.core.references import next_reference
from vigie.registry import selectors as registry_selectors
from vigie.registry.choices import EntryStatus
from vigie.registry.models import Entity

from .. import rules
from ..choices import AnswerKind, CaseStatus, MeasureFamily, MeasureType, Origin
from ..models import Consultation, MeasureCase
from .common import bump, check_version, clean_text, history, require

ACTIVE = (CaseStatus.OPEN, CaseStatus.ADVISED, CaseStatus.IN_FORCE)


@dataclass
class CaseInput:
    measure_type: str
    reasons: str
    entity_id: Any = None
    entity_reference: str = ""
    consult: list[str] | None = None  # organisation codes; None: the default (prosecution)
    deadline: date | None = None


def _entity(actor: User, data: CaseInput) -> Entity:
    """The listed person (or, for a freeze, organisation) the case is about; anything else is
    a validation error naming the field, and nothing is written."""
    found = None
    try:
        if data.entity_id:
            found = registry_selectors.entity_for_change(actor=actor, entity_id=data.entity_id)
        elif data.entity_reference:
            found = (
                registry_selectors.visible_entities(actor)
                .filter(reference=data.entity_reference.strip().upper())
                .first()
            )
    except (Http404, ValidationError, ValueError):
        found = None
    if found is None or found.status != EntryStatus.VALIDATED:
        raise ValidationError(
            {"entity_id": _("This person is not listed in the common database (or not visible).")}
        )
    if found.kind != Entity.Kind.PERSON and data.measure_type != MeasureType.ASSET_FREEZE:
        raise ValidationError({"entity_id": _("Only an asset freeze can concern an organisation.")})
    return found


def _check_type(measure_type: str) -> None:
    if measure_type not in MeasureType.values:
        raise ValidationError({"measure_type": _("Unknown measure.")})


def _refuse_duplicate(entity: Entity, family: str) -> None:
    if MeasureCase.objects.filter(entity=entity, family=family, status__in=ACTIVE).exists():
        raise Conflict(_("A case of this kind is already open or in force for this person."))


def _new_case(
    actor: User, data: CaseInput, entity: Entity, origin: str, **extra: Any
) -> MeasureCase:
    reasons = clean_text(data.reasons, "reasons")
    if not reasons:
        raise ValidationError({"reasons": _("Give the reasons for the measure.")})
    competence = rules.competence_of(data.measure_type)
    authority = Organisation.objects.filter(code=competence.authority_code).first()
    if authority is None:
        raise ValidationError(
            {"measure_type": _("The competent authority is not configured in Vigie.")}
        )
    _refuse_duplicate(entity, rules.family_of(data.measure_type))
    case = MeasureCase(
        reference=next_reference("MC", width=4),
        measure_type=data.measure_type,
        family=rules.family_of(data.measure_type),
        entity=entity,
        entity_reference=entity.reference,
        entity_name=entity.display_name,
        authority=authority,
        origin=origin,
        reasons=reasons,
        **extra,
    )
    case.full_clean(exclude=["entity", "authority", "owner", "proposer"])
    case.save()
    return case


def case_open(*, actor: User, data: CaseInput) -> MeasureCase:
    """The body opens a case on its own initiative; the default partners are consulted."""
    require(actor, MeasureAction.WRITE)
    _check_type(data.measure_type)
    entity = _entity(actor, data)
    with transaction.atomic():
        case = _new_case(actor, data, entity, Origin.OWN_INITIATIVE, owner=actor)
        history(case, actor, "open", measure_type=case.measure_type, origin=case.origin)
        codes = rules.rule("default_consulted") if data.consult is None else data.consult
        if codes:
            _consult(actor, case, codes, data.deadline)
        return case


def case_propose(*, actor: User, data: CaseInput) -> MeasureCase:
    """A partner (prosecutor, Foreign Affairs, a police service) proposes a measure with its
    reasons; the body takes it up (it becomes the owner's case) and the partner follows the
    outcome."""
    require(actor, MeasureAction.PROPOSE)
    _check_type(data.measure_type)
    entity = _entity(actor, data)
    with transaction.atomic():
        case = _new_case(
            actor,
            data,
            entity,
            Origin.PROPOSAL,
            proposer=actor,
            proposer_organisation=actor.organisation,
        )
        history(case, actor, "propose", measure_type=case.measure_type)
        return case


def case_take(*, actor: User, case: MeasureCase, version: int | None = None) -> MeasureCase:
    """An analyst of the body becomes the owner of a case (a proposal, a colleague's case)."""
    require(actor, MeasureAction.WRITE, case)
    with transaction.atomic():
        case = MeasureCase.objects.select_for_update().get(pk=case.pk)
        check_version(case, version)
        case.owner = actor
        bump(case)
        case.save()
        history(case, actor, "take")
        return case


def _consult(
    actor: User, case: MeasureCase, codes: list[str], deadline: date | None, question: str = ""
) -> list[Consultation]:
    codes = [c.strip() for c in codes if c and c.strip()]
    if not codes:
        raise ValidationError({"organisations": _("Choose at least one partner to consult.")})
    found = {o.code: o for o in Organisation.objects.filter(code__in=codes, is_active=True)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise ValidationError(
            {"organisations": _("Unknown organisation: %s.") % ", ".join(missing[:5])}
        )
    today = timezone.localdate()
    deadline = deadline or today + timedelta(days=rules.rule("consultation_days"))
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    made = []
    for code in codes:
        if case.consultations.filter(organisation=found[code]).exists():
            continue
        made.append(
            Consultation.objects.create(
                case=case,
                organisation=found[code],
                deadline=deadline,
                requested_by=actor,
                question=clean_text(question, "question"),
            )
        )
    if made:
        from vigie.documents.services import notify_organisations

        notify_organisations(
            [c.organisation for c in made],
            subject=_("Vigie: you are consulted on %(reference)s") % {"reference": case.reference},
            message=_(
                "The coordination body consults your service on the measure case "
                "%(reference)s. Sign in to Vigie to read the summary and answer by %(deadline)s."
            )
            % {"reference": case.reference, "deadline": deadline.isoformat()},
        )
        history(
            case,
            actor,
            "consult",
            organisations=[c.organisation.code for c in made],
            deadline=deadline.isoformat(),
        )
    return made


def consultation_request(
    *,
    actor: User,
    case: MeasureCase,
    organisations: list[str],
    deadline: date | None = None,
    question: str = "",
) -> list[Consultation]:
    """The analyst consults chosen partners, each with a deadline."""
    require(actor, MeasureAction.WRITE, case)
    with transaction.atomic():
        case = MeasureCase.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise Conflict(_("Partners are consulted while the case is open, before the advice."))
        made = _consult(actor, case, organisations, deadline, question)
        if not made:
            raise ValidationError({"organisations": _("These partners are already consulted.")})
        return made


def consultation_answer(
    *, actor: User, consultation: Consultation, answer: str, text: str
) -> Consultation:
    """A consulted partner answers: agree, object, or information to add, with a text."""
    require(actor, MeasureAction.ANSWER, consultation, obj=consultation)
    if answer not in AnswerKind.values:
        raise ValidationError({"answer": _("Answer agree, object or information.")})
    text = clean_text(text, "text")
    if not text:
        raise ValidationError({"text": _("Write your answer.")})
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.answer:
            raise Conflict(_("Your service has already answered."))
        case = consultation.case
        if case.status != CaseStatus.OPEN:
            raise Conflict(_("The advice was already given: the consultation is closed."))
        consultation.answer = answer
        consultation.answer_text = text
        consultation.answered_at = timezone.now()
        consultation.answered_by_username = actor.get_username()
        consultation.save()
        late = consultation.deadline < timezone.localdate()
        history(
            case,
            actor,
            "answer",
            organisation=consultation.organisation.code,
            outcome=answer,
            late=late,
        )
        return consultation


def measure_in_force_guard(entity: Entity) -> str | None:
    """REMOVAL_GUARDS entry: a person under a measure in force stays in the database."""
    found = MeasureCase.objects.filter(entity=entity, status=CaseStatus.IN_FORCE).first()
    if found is None:
        return None
    return _("%(reference)s: a measure in force concerns this entry; it cannot be removed.") % {
        "reference": found.reference
    }


def measures_expire(*, today: date | None = None) -> list[MeasureCase]:
    """End the ID-card and passport measures whose period is over (the system actor)."""
    today = today or timezone.localdate()
    ended = []
    with transaction.atomic():
        qs = MeasureCase.objects.select_for_update().filter(
            status=CaseStatus.IN_FORCE, period_end__lt=today
        )
        for case in qs.exclude(family=MeasureFamily.ASSET_FREEZE):
            case.status = CaseStatus.ENDED
            case.ended_on = case.period_end
            case.end_reason = "expired"
            bump(case)
            case.save()
            history(case, None, "expire", period_end=case.period_end.isoformat())
            ended.append(case)
    return ended
