"""The authority's decision (as the body receives it), the duration rules, the linked passport
measure, the six-monthly reviews of a freeze with their reminders, and appeals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.access.policy import MeasureAction
from vigie.core.errors import Conflict
from vigie.core.models import Organisation, User
from vigie.core.references import next_reference

from .. import rules
from ..choices import (
    AdviceKind,
    AdviceStatus,
    AppealOutcome,
    CaseStatus,
    DecisionOutcome,
    MeasureFamily,
    Origin,
    ReviewOutcome,
)
from ..models import Advice, Appeal, Decision, FreezeReview, MeasureCase
from .common import bump, check_version, clean_text, history, require


@dataclass
class DecisionInput:
    outcome: str
    decided_on: date
    reference: str
    period_start: date | None = None
    period_end: date | None = None
    published_on: date | None = None


def _awaiting_decision(case: MeasureCase) -> Advice:
    advice = (
        case.advices.filter(status=AdviceStatus.SENT, decision__isnull=True)
        .exclude(kind=AdviceKind.REVIEW)
        .order_by("-sent_at")
        .first()
    )
    if advice is None:
        raise ValidationError(
            _("No advice awaits a decision: the decision is recorded after the advice is sent.")
        )
    return advice


def _check_decision(data: DecisionInput, advice: Advice) -> str:
    if data.outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("The decision is granted or refused.")})
    today = timezone.localdate()
    if data.decided_on > today:
        raise ValidationError({"decided_on": _("A decision date cannot be in the future.")})
    if data.decided_on < timezone.localtime(advice.sent_at).date():
        raise ValidationError(
            {"decided_on": _("The decision cannot predate the advice it answers.")}
        )
    reference = clean_text(data.reference, "reference", 120)
    if not reference:
        raise ValidationError(
            {"reference": _("Give the reference of the decision or of the Royal Decree.")}
        )
    if data.published_on and data.published_on < data.decided_on:
        raise ValidationError({"published_on": _("The publication follows the decision.")})
    return reference


def decision_record(
    *, actor: User, case: MeasureCase, data: DecisionInput, version: int | None = None
) -> Decision:
    """The body records the authority's decision on the advice it sent: granted or refused,
    the date, the reference of the decision or Royal Decree, and the period."""
    require(actor, MeasureAction.WRITE, case)
    with transaction.atomic():
        case = MeasureCase.objects.select_for_update().get(pk=case.pk)
        check_version(case, version)
        advice = _awaiting_decision(case)
        reference = _check_decision(data, advice)
        decision = Decision(
            case=case,
            advice=advice,
            outcome=data.outcome,
            decided_on=data.decided_on,
            reference=reference,
            published_on=data.published_on,
            recorded_by=actor,
        )
        granted = data.outcome == DecisionOutcome.GRANTED
        if advice.kind == AdviceKind.RENEWAL:
            if granted:
                _renew(case, decision)
        elif granted:
            _start(case, decision, data)
        else:
            case.status = CaseStatus.REFUSED
            case.ended_on = data.decided_on
            case.end_reason = "refused"
        decision.save()
        bump(case)
        case.save()
        history(
            case,
            actor,
            "decision",
            outcome=data.outcome,
            decided_on=data.decided_on.isoformat(),
            reference=reference,
            kind=advice.kind,
            period_end=case.period_end.isoformat() if case.period_end else "",
        )
        if granted and case.family == MeasureFamily.ID_CARD:
            _link_passport(actor, case, decision, renewal=advice.kind == AdviceKind.RENEWAL)
        return decision


def _start(case: MeasureCase, decision: Decision, data: DecisionInput) -> None:
    start = data.period_start or data.decided_on
    if start < data.decided_on:
        raise ValidationError({"period_start": _("A measure cannot start before its decision.")})
    end = data.period_end
    if case.family == MeasureFamily.ID_CARD:
        longest = rules.add_months(start, rules.rule("id_card_months")) - timedelta(days=1)
        if end is not None and end > longest:
            raise ValidationError(
                {
                    "period_end": _("An identity card measure lasts at most %(months)d months.")
                    % {"months": rules.rule("id_card_months")}
                }
            )
        end = end or longest
    elif case.family == MeasureFamily.ASSET_FREEZE:
        end = None  # until lifted; reviewed every six months
    if end is not None and end < start:
        raise ValidationError({"period_end": _("The period ends after it starts.")})
    decision.period_start, decision.period_end = start, end
    case.status = CaseStatus.IN_FORCE
    case.period_start, case.period_end = start, end
    if case.family == MeasureFamily.ASSET_FREEZE:
        _schedule_review(case, start)


def _renew(case: MeasureCase, decision: Decision) -> None:
    if case.renewals >= rules.rule("id_card_renewals"):
        raise ValidationError(
            _("An identity card measure can be renewed only once: it was already renewed.")
        )
    start = case.period_end + timedelta(days=1)
    end = rules.add_months(start, rules.rule("id_card_months")) - timedelta(days=1)
    decision.period_start, decision.period_end = start, end
    case.period_end = end
    case.renewals += 1


def _link_passport(actor: User, case: MeasureCase, decision: Decision, renewal: bool) -> None:
    """An ID-card measure brings a passport measure for the same period: created (and
    extended on renewal) as a linked case, decided by operation of the same decision."""
    linked = case.linked_cases.first()
    if linked is None:
        measure_type = rules.LINKED_PASSPORT_MEASURE[case.measure_type]
        authority = Organisation.objects.filter(
            code=rules.competence_of(measure_type).authority_code
        ).first()
        if authority is None:
            raise ValidationError(_("The competent authority is not configured in Vigie."))
        linked = MeasureCase.objects.create(
            reference=next_reference("MC", width=4),
            measure_type=measure_type,
            family=MeasureFamily.PASSPORT,
            entity=case.entity,
            entity_reference=case.entity_reference,
            entity_name=case.entity_name,
            authority=authority,
            origin=Origin.LINKED,
            reasons=_("Brought by the identity card measure %(reference)s (same period).")
            % {"reference": case.reference},
            owner=case.owner,
            status=CaseStatus.IN_FORCE,
            linked_to=case,
            period_start=case.period_start,
            period_end=case.period_end,
        )
        history(
            linked,
            actor,
            "linked_open",
            linked_to=case.reference,
            period_end=linked.period_end.isoformat(),
        )
        history(case, actor, "link", linked=linked.reference)
        return
    linked.period_end = case.period_end
    linked.status = CaseStatus.IN_FORCE
    bump(linked)
    linked.save()
    history(
        linked,
        actor,
        "linked_renew" if renewal else "linked_update",
        linked_to=case.reference,
        period_end=linked.period_end.isoformat(),
    )


def _schedule_review(case: MeasureCase, after: date) -> FreezeReview:
    due = rules.add_months(after, rules.rule("freeze_review_months"))
    return FreezeReview.objects.create(case=case, due_on=due)


def review_record(
    *,
    actor: User,
    review: FreezeReview,
    outcome: str,
    reasons: str,
    advice: Advice | None = None,
    decided_on: date | None = None,
) -> FreezeReview:
    """The outcome of a six-monthly review: maintain (the next review is scheduled) or lift
    (the entry leaves the national list). Reasons are required; a review advice may be
    attached."""
    require(actor, MeasureAction.WRITE, review.case)
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("The review outcome is maintain or lift.")})
    reasons = clean_text(reasons, "reasons")
    if not reasons:
        raise ValidationError({"reasons": _("A review outcome needs its reasons.")})
    day = decided_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision date cannot be in the future.")})
    with transaction.atomic():
        review = FreezeReview.objects.select_for_update().select_related("case").get(pk=review.pk)
        case = MeasureCase.objects.select_for_update().get(pk=review.case_id)
        if review.outcome:
            raise Conflict(_("This review was already recorded."))
        if case.status != CaseStatus.IN_FORCE:
            raise Conflict(_("Only a freeze in force is reviewed."))
        if advice is not None and (
            advice.case_id != case.pk
            or advice.kind != AdviceKind.REVIEW
            or advice.status != AdviceStatus.SENT
        ):
            raise ValidationError({"advice": _("Attach a review advice of this case, sent.")})
        review.outcome = outcome
        review.reasons = reasons
        review.advice = advice
        review.recorded_at = timezone.now()
        review.recorded_by = actor
        review.save()
        if outcome == ReviewOutcome.LIFT:
            case.status = CaseStatus.ENDED
            case.ended_on = day
            case.period_end = day
            case.end_reason = "lifted"
        else:
            _schedule_review(case, review.due_on)
        bump(case)
        case.save()
        history(
            case,
            actor,
            "review",
            outcome=outcome,
            due_on=review.due_on.isoformat(),
            advice=advice.reference if advice else "",
            reasons=reasons,
        )
        return review


def reviews_remind(*, today: date | None = None) -> list[FreezeReview]:
    """E-mail the owner of each freeze whose review falls due within the reminder delay
    (once per review); run by `vigie measures remind` and the task of the same name."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=rules.rule("review_reminder_days"))
    reminded = []
    with transaction.atomic():
        due = (
            FreezeReview.objects.select_for_update(of=("self",))
            .filter(
                outcome="",
                reminded_at__isnull=True,
                due_on__lte=horizon,
                case__status=CaseStatus.IN_FORCE,
            )
            .select_related("case__owner")
        )
        for review in due:
            owner = review.case.owner
            if owner is not None and owner.email and owner.is_active:
                send_mail(
                    _("Vigie: review of %(reference)s due on %(due)s")
                    % {"reference": review.case.reference, "due": review.due_on.isoformat()},
                    _(
                        "The six-monthly review of the asset freeze %(reference)s is due on "
                        "%(due)s. Sign in to Vigie to record its outcome."
                    )
                    % {"reference": review.case.reference, "due": review.due_on.isoformat()},
                    settings.DEFAULT_FROM_EMAIL,
                    [owner.email],
                    fail_silently=True,
                )
            review.reminded_at = timezone.now()
            review.save(update_fields=["reminded_at"])
            history(review.case, None, "review_remind", due_on=review.due_on.isoformat())
            reminded.append(review)
    return reminded


def appeal_record(
    *, actor: User, case: MeasureCase, court: str, lodged_on: date, reference: str = ""
) -> Appeal:
    """An appeal lodged against the measure (e.g. before the Council of State)."""
    require(actor, MeasureAction.WRITE, case)
    court = clean_text(court, "court", 200)
    if not court:
        raise ValidationError({"court": _("Name the court (e.g. the Council of State).")})
    if lodged_on > timezone.localdate():
        raise ValidationError({"lodged_on": _("This date cannot be in the future.")})
    if not case.decisions.exists():
        raise ValidationError(_("An appeal is lodged against a decision: none is recorded."))
    with transaction.atomic():
        appeal = Appeal.objects.create(
            case=case,
            court=court,
            lodged_on=lodged_on,
            reference=clean_text(reference, "reference", 120),
            recorded_by=actor,
        )
        history(case, actor, "appeal", court=court, lodged_on=lodged_on.isoformat())
        return appeal


def appeal_outcome(
    *, actor: User, appeal: Appeal, outcome: str, outcome_on: date, notes: str = ""
) -> Appeal:
    """The outcome of an appeal; an annulment ends the measure."""
    require(actor, MeasureAction.WRITE, appeal.case)
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        raise ValidationError({"outcome": _("Give the outcome of the appeal.")})
    if outcome_on > timezone.localdate() or outcome_on < appeal.lodged_on:
        raise ValidationError(
            {"outcome_on": _("The outcome date lies between the appeal and today.")}
        )
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.outcome != AppealOutcome.PENDING:
            raise Conflict(_("The outcome of this appeal is already recorded."))
        appeal.outcome = outcome
        appeal.outcome_on = outcome_on
        appeal.notes = clean_text(notes, "notes")
        appeal.save()
        case = MeasureCase.objects.select_for_update().get(pk=appeal.case_id)
        if outcome == AppealOutcome.ANNULLED and case.status == CaseStatus.IN_FORCE:
            case.status = CaseStatus.ENDED
            case.ended_on = outcome_on
            case.end_reason = "annulled"
            bump(case)
            case.save()
            for linked in case.linked_cases.filter(status=CaseStatus.IN_FORCE):
                linked.status = CaseStatus.ENDED
                linked.ended_on = outcome_on
                linked.end_reason = "annulled"
                bump(linked)
                linked.save()
                history(linked, actor, "end", status="annulled")
        history(case, actor, "appeal_outcome", outcome=outcome, outcome_on=outcome_on.isoformat())
        return appeal
