"""The reasoned advice: drafted from the FR or NL template, four-eyes approval, the PDF issued
once (SHA-256 in the journal), sent to the authority's inbox (the shared delivery pattern)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.access.policy import MeasureAction
from vigie.core.choices import Classification
from vigie.core.errors import Conflict
from vigie.core.models import User
from vigie.documents import services as documents
from vigie.documents.rendering import marking_text

from .. import rules, wording
from ..choices import (
    AdviceKind,
    AdviceStatus,
    CaseStatus,
    Language,
    MeasureFamily,
    Recommendation,
)
from ..models import Advice, AdviceDelivery, Decision, MeasureCase
from .common import bump, check_version, clean_text, deny, history, require

FOUR_EYES = gettext_lazy(
    "Four-eyes rule: you wrote this advice, so another validator must approve it."
)
TEXT_FIELDS = (
    "facts",
    "criteria",
    "proportionality",
    "consultations_outcome",
    "recommendation_text",
)
EDITABLE = (*TEXT_FIELDS, "recommendation", "classification", "restricted_diffusion", "language")


@dataclass
class AdviceInput:
    kind: str = AdviceKind.INITIAL
    language: str = Language.FR
    classification: int = Classification.RESTREINT
    restricted_diffusion: bool = True


def consultations_summary(case: MeasureCase, language: str) -> str:
    """The consultations' outcome as the template writes it: who answered what, who did not."""
    labels = wording.ANSWER_LABELS[language]
    lines = []
    for c in case.consultations.select_related("organisation"):
        name = c.organisation.name_nl if language == "nl" else c.organisation.name_fr
        if c.answer:
            lines.append(f"- {name} : {labels[c.answer]}. {c.answer_text}".strip())
        else:
            lines.append(f"- {name} : {wording.SKELETON[language]['no_answer']}.")
    return "\n".join(lines) or wording.SKELETON[language]["no_consultation"]


def _pending_advice(case: MeasureCase) -> Advice | None:
    """An advice not yet sent, or sent but not yet followed by its decision (or review),
    blocks a new one."""
    for advice in case.advices.all():
        if advice.status != AdviceStatus.SENT:
            return advice
        if advice.kind == AdviceKind.REVIEW:
            if not case.reviews.filter(advice=advice).exists():
                return advice
        elif not Decision.objects.filter(advice=advice).exists():
            return advice
    return None


def _check_kind(case: MeasureCase, kind: str) -> None:
    if kind not in AdviceKind.values:
        raise ValidationError({"kind": _("Unknown kind of advice.")})
    if kind == AdviceKind.INITIAL and case.status != CaseStatus.OPEN:
        raise Conflict(_("The initial advice is written while the case is open."))
    if kind == AdviceKind.RENEWAL:
        if case.family != MeasureFamily.ID_CARD or case.status != CaseStatus.IN_FORCE:
            raise ValidationError({"kind": _("Only an identity card measure in force is renewed.")})
        if case.renewals >= rules.rule("id_card_renewals"):
            raise ValidationError(
                {
                    "kind": _(
                        "An identity card measure can be renewed only once: it was already renewed."
                    )
                }
            )
    if kind == AdviceKind.REVIEW and (
        case.family != MeasureFamily.ASSET_FREEZE or case.status != CaseStatus.IN_FORCE
    ):
        raise ValidationError({"kind": _("A review advice concerns an asset freeze in force.")})


def advice_create(*, actor: User, case: MeasureCase, data: AdviceInput) -> Advice:
    """A draft advice, prefilled from the template of its language."""
    require(actor, MeasureAction.WRITE, case)
    if data.language not in Language.values:
        raise ValidationError({"language": _("The advice is written in French or Dutch.")})
    if data.classification not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification.")})
    with transaction.atomic():
        case = MeasureCase.objects.select_for_update().get(pk=case.pk)
        _check_kind(case, data.kind)
        pending = _pending_advice(case)
        if pending is not None:
            raise Conflict(
                _("The advice %(reference)s is still in progress.")
                % {"reference": pending.reference}
            )
        lang = data.language
        skeleton = wording.SKELETON[lang]
        basis = wording.legal_basis(rules.competence_of(case.measure_type), lang)
        number = case.advices.count() + 1
        advice = Advice(
            case=case,
            reference=f"{case.reference}-A{number}",
            kind=data.kind,
            language=lang,
            classification=data.classification,
            restricted_diffusion=data.restricted_diffusion,
            facts=skeleton["facts"],
            criteria=skeleton["criteria"].format(basis=basis),
            proportionality=skeleton["proportionality"],
            consultations_outcome=consultations_summary(case, lang),
            author=actor,
        )
        advice.save()
        history(case, actor, "advice_create", advice=advice.reference, kind=advice.kind)
        return advice


def _locked(advice: Advice, version: int | None) -> Advice:
    fresh = Advice.objects.select_for_update().select_related("case").get(pk=advice.pk)
    check_version(fresh, version)
    return fresh


def advice_update(
    *, actor: User, advice: Advice, changes: dict[str, Any], version: int | None
) -> Advice:
    """Edit a draft (If-Match); approved and sent texts are frozen."""
    require(actor, MeasureAction.WRITE, advice.case)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({f: [_("This field cannot be changed here.")] for f in unknown})
    with transaction.atomic():
        advice = _locked(advice, version)
        if advice.status != AdviceStatus.DRAFT:
            raise Conflict(_("Only a draft advice is edited."))
        for name, value in changes.items():
            if name in TEXT_FIELDS:
                value = clean_text(value or "", name)
            setattr(advice, name, value)
        if advice.recommendation and advice.recommendation not in Recommendation.values:
            raise ValidationError({"recommendation": _("Favourable or unfavourable.")})
        if advice.language not in Language.values:
            raise ValidationError({"language": _("The advice is written in French or Dutch.")})
        if advice.classification not in Classification.values:
            raise ValidationError({"classification": _("Unknown classification.")})
        bump(advice)
        advice.save()
        history(advice.case, actor, "advice_update", advice=advice.reference)
        return advice


def advice_submit(*, actor: User, advice: Advice, version: int | None) -> Advice:
    require(actor, MeasureAction.WRITE, advice.case)
    with transaction.atomic():
        advice = _locked(advice, version)
        if advice.status != AdviceStatus.DRAFT:
            raise Conflict(_("Only a draft can be submitted."))
        missing = {
            name: [_("This part of the advice is required.")]
            for name in TEXT_FIELDS
            if not getattr(advice, name).strip()
        }
        if not advice.recommendation:
            missing["recommendation"] = [_("Give the recommendation.")]
        if missing:
            raise ValidationError(missing)
        advice.status = AdviceStatus.SUBMITTED
        advice.submitted_at = timezone.now()
        advice.returned_reason = ""
        bump(advice)
        advice.save()
        history(advice.case, actor, "advice_submit", advice=advice.reference)
        return advice


def advice_return(*, actor: User, advice: Advice, reason: str, version: int | None) -> Advice:
    require(actor, MeasureAction.APPROVE, advice.case)
    reason = clean_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("Say what must change.")})
    with transaction.atomic():
        advice = _locked(advice, version)
        if advice.status != AdviceStatus.SUBMITTED:
            raise Conflict(_("Only a submitted advice can be returned to draft."))
        advice.status = AdviceStatus.DRAFT
        advice.returned_reason = reason
        bump(advice)
        advice.save()
        history(advice.case, actor, "advice_return", advice=advice.reference, reason=reason)
        return advice


def _document_context(advice: Advice) -> tuple[str, dict[str, Any]]:
    case, lang = advice.case, advice.language
    competence = rules.competence_of(case.measure_type)
    authority = case.authority
    return "measures/pdf/advice_{language}.html", {
        "advice": advice,
        "case": case,
        "language": lang,
        "reference": advice.reference,
        "revision": advice.version,
        "marking": marking_text(advice.classification, advice.restricted_diffusion, lang),
        "date": timezone.localdate(),
        "measure": wording.MEASURE_LABELS[lang][case.measure_type],
        "legal_basis": wording.legal_basis(competence, lang),
        "authority": authority.name_nl if lang == "nl" else authority.name_fr,
        "recommendation": wording.RECOMMENDATION_LABELS[lang].get(advice.recommendation, ""),
        "kind": advice.kind,
    }


def advice_approve(*, actor: User, advice: Advice, version: int | None) -> Advice:
    """Four-eyes approval; the PDF is issued once and its SHA-256 goes to the journal."""
    require(actor, MeasureAction.APPROVE, advice.case)
    if advice.author_id == actor.id:
        deny(actor, "measure.advice_approve", advice, reason="four_eyes")
        raise PermissionDenied(str(FOUR_EYES))
    with transaction.atomic():
        advice = _locked(advice, version)
        if advice.author_id == actor.id:
            raise PermissionDenied(str(FOUR_EYES))
        if advice.status != AdviceStatus.SUBMITTED:
            raise Conflict(_("Only a submitted advice can be approved."))
        advice.status = AdviceStatus.APPROVED
        advice.validator = actor
        advice.approved_at = timezone.now()
        bump(advice)
        advice.save()
        template, context = _document_context(advice)
        document = documents.document_issue(
            actor=actor,
            template=template,
            context=context,
            language=advice.language,
            reference=advice.reference,
            revision=1,
            classification=advice.classification,
            target_type="measure_advice",
            target_id=advice.id,
        )
        advice.document = document
        advice.save(update_fields=["document"])
        history(
            advice.case,
            actor,
            "advice_approve",
            advice=advice.reference,
            sha256=document.sha256,
            size=document.size,
        )
        return advice


def advice_send(*, actor: User, advice: Advice, version: int | None) -> Advice:
    """Send the approved advice (its PDF) to the competent authority's inbox."""
    require(actor, MeasureAction.WRITE, advice.case)
    with transaction.atomic():
        advice = _locked(advice, version)
        if advice.status != AdviceStatus.APPROVED:
            raise Conflict(_("Only an approved advice can be sent."))
        case = MeasureCase.objects.select_for_update().get(pk=advice.case_id)
        documents.deliver(
            actor=actor,
            delivery_model=AdviceDelivery,
            delivered=advice,
            organisations=[case.authority],
            subject=_("Vigie: advice %(reference)s is in your inbox")
            % {"reference": advice.reference},
            message=_(
                "The coordination body sent its advice %(reference)s to your Vigie inbox. "
                "Sign in to read it and acknowledge receipt."
            )
            % {"reference": advice.reference},
        )
        advice.status = AdviceStatus.SENT
        advice.sent_at = timezone.now()
        bump(advice)
        advice.save()
        if advice.kind == AdviceKind.INITIAL:
            case.status = CaseStatus.ADVISED
            bump(case)
            case.save()
        history(
            case,
            actor,
            "advice_send",
            advice=advice.reference,
            organisation=case.authority.code,
            sha256=advice.document.sha256 if advice.document else "",
        )
        return advice


def advice_acknowledge(*, actor: User, advice: Advice) -> AdviceDelivery:
    """A member of the authority acknowledges receipt (the first acknowledgement stands)."""
    row = advice.recipients.filter(organisation_id=actor.organisation_id).first()
    if row is None:
        deny(actor, MeasureAction.ACKNOWLEDGE, advice)
        raise PermissionDenied(_("Your organisation did not receive this advice."))
    require(actor, MeasureAction.ACKNOWLEDGE, advice, obj=row)
    if int(actor.clearance) < int(advice.classification):
        deny(actor, MeasureAction.ACKNOWLEDGE, advice, reason="clearance")
        raise PermissionDenied(_("Your clearance does not allow you to open this document."))
    with transaction.atomic():
        already = row.acknowledged_at is not None
        documents.acknowledge(row=row, actor=actor)
        if not already:
            history(advice.case, actor, "advice_acknowledge", advice=advice.reference)
        return row
