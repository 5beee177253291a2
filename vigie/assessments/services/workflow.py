"""The review shared by assessments and analyses: submit, return, approve (four-eyes), issue
the PDF, deliver, acknowledge, correct. Each kind plugs in its checks and its document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.access.policy import AssessmentAction, assessment_can, document_visible
from vigie.audit.services import record_event
from vigie.core.errors import Conflict
from vigie.core.models import Organisation, User
from vigie.documents import services as documents

from ..choices import ReviewStatus
from ..models import ReviewedDocument
from .common import DOMAIN, check_version, clean_text, deny, require, target_type_of

FOUR_EYES = gettext_lazy(
    "Four-eyes rule: you wrote this text, so another validator must approve it."
)
FROZEN = gettext_lazy(
    "An approved version cannot be changed: make a correction, which becomes a new version."
)


def bump(obj: ReviewedDocument) -> None:
    obj.version += 1
    obj.updated_at = timezone.now()


def refuse_frozen(actor: User, obj: ReviewedDocument) -> None:
    if obj.is_frozen:
        raise Conflict(str(FROZEN))
    if obj.status != ReviewStatus.DRAFT:
        raise Conflict(_("A submitted text is edited only after it is returned to draft."))


def _journal(actor: User, obj: ReviewedDocument, action: str, **detail: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        target_type=target_type_of(obj),
        target_id=obj.id,
        domain=DOMAIN,
        detail={"reference": obj.reference, "revision": obj.revision, **detail},
    )


def locked(obj: ReviewedDocument, version: int | None) -> Any:
    fresh = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_version(fresh, version)
    return fresh


def submit(
    *, actor: User, obj: ReviewedDocument, version: int | None, check: Callable[[Any], None]
) -> Any:
    require(actor, AssessmentAction.WRITE, obj)
    kind = target_type_of(obj)
    with transaction.atomic():
        obj = locked(obj, version)
        if obj.status != ReviewStatus.DRAFT:
            raise Conflict(_("Only a draft can be submitted."))
        check(obj)
        obj.status = ReviewStatus.SUBMITTED
        obj.submitted_at = timezone.now()
        obj.returned_reason = ""
        bump(obj)
        obj.save()
        _journal(actor, obj, f"{kind}.submit")
        return obj


def return_to_draft(*, actor: User, obj: ReviewedDocument, reason: str, version: int | None) -> Any:
    """The validator sends a submitted text back to its author, with the reason."""
    require(actor, AssessmentAction.APPROVE, obj)
    kind = target_type_of(obj)
    reason = clean_text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": _("Say what must change.")})
    with transaction.atomic():
        obj = locked(obj, version)
        if obj.status != ReviewStatus.SUBMITTED:
            raise Conflict(_("Only a submitted text can be returned to draft."))
        obj.status = ReviewStatus.DRAFT
        obj.returned_reason = reason
        bump(obj)
        obj.save()
        _journal(actor, obj, f"{kind}.return")
        return obj


def approve(
    *,
    actor: User,
    obj: ReviewedDocument,
    version: int | None,
    document_context: Callable[[Any], tuple[str, dict[str, Any]]],
    on_approve: Callable[[Any, User], dict[str, Any]] | None = None,
) -> Any:
    """Four-eyes approval; the PDF is issued once, its SHA-256 goes to the journal."""
    kind = target_type_of(obj)
    require(actor, AssessmentAction.APPROVE, obj)
    if obj.author_id == actor.id:
        deny(actor, f"{kind}.approve", obj, reason="four_eyes")
        raise PermissionDenied(str(FOUR_EYES))
    with transaction.atomic():
        obj = locked(obj, version)
        if obj.author_id == actor.id:  # the author may have changed since the check above
            raise PermissionDenied(str(FOUR_EYES))
        if obj.status != ReviewStatus.SUBMITTED:
            raise Conflict(_("Only a submitted text can be approved."))
        obj.status = ReviewStatus.APPROVED
        obj.validator = actor
        obj.approved_at = timezone.now()
        bump(obj)
        obj.save()
        detail = on_approve(obj, actor) if on_approve else {}
        template, context = document_context(obj)
        document = documents.document_issue(
            actor=actor,
            template=template,
            context=context,
            language=obj.language,
            reference=obj.reference,
            revision=obj.revision,
            classification=obj.classification,
            target_type=kind,
            target_id=obj.id,
        )
        obj.document = document
        obj.save(update_fields=["document"])
        _journal(
            actor, obj, f"{kind}.approve", sha256=document.sha256, size=document.size, **detail
        )
        return obj


def recipients_of(obj: ReviewedDocument) -> list[Organisation]:
    """The requester's organisation (when there is one) and the chosen distribution."""
    found = list(obj.distribution.all())
    requester = getattr(obj, "requester_organisation", None)
    if requester is not None and requester not in found:
        found.insert(0, requester)
    return found


def deliver(
    *, actor: User, obj: ReviewedDocument, version: int | None, delivery_model: type
) -> Any:
    """Deliver an approved text to the recipients' inboxes and notify them by e-mail."""
    require(actor, AssessmentAction.DELIVER, obj)
    kind = target_type_of(obj)
    with transaction.atomic():
        obj = locked(obj, version)
        if obj.status != ReviewStatus.APPROVED:
            raise Conflict(_("Only an approved text can be delivered."))
        organisations = recipients_of(obj)
        if not organisations:
            raise ValidationError({"distribution": _("Choose at least one recipient.")})
        rows = documents.deliver(
            actor=actor,
            delivery_model=delivery_model,
            delivered=obj,
            organisations=organisations,
            subject=_("Vigie: %(reference)s is in your inbox") % {"reference": obj.reference},
            message=_(
                "The document %(reference)s (version %(revision)d) was delivered to your "
                "organisation's Vigie inbox. Sign in to read it and acknowledge receipt."
            )
            % {"reference": obj.reference, "revision": obj.revision},
        )
        obj.status = ReviewStatus.DELIVERED
        obj.delivered_at = timezone.now()
        bump(obj)
        obj.save()
        _journal(actor, obj, f"{kind}.deliver", organisations=[r.organisation.code for r in rows])
        return obj


def acknowledge(*, actor: User, obj: ReviewedDocument) -> Any:
    """A member of a recipient organisation acknowledges receipt."""
    kind = target_type_of(obj)
    row = obj.recipients.filter(organisation_id=actor.organisation_id).first()
    if row is None or not assessment_can(actor, AssessmentAction.ACKNOWLEDGE, row):
        deny(actor, f"{kind}.acknowledge", obj)
        raise PermissionDenied(_("Your organisation did not receive this document."))
    if not document_visible(actor, obj, [row.organisation_id]):
        deny(actor, f"{kind}.acknowledge", obj, reason="clearance")
        raise PermissionDenied(_("Your clearance does not allow you to open this document."))
    with transaction.atomic():
        already = row.acknowledged_at is not None
        documents.acknowledge(row=row, actor=actor)
        if not already:
            _journal(actor, obj, f"{kind}.acknowledge")
        return row


def correct(*, actor: User, obj: ReviewedDocument, copy: Callable[[Any, User], Any]) -> Any:
    """A correction of an approved text: a new draft, same reference, next revision."""
    require(actor, AssessmentAction.WRITE, obj)
    kind = target_type_of(obj)
    with transaction.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        if not obj.is_frozen:
            raise Conflict(_("Only an approved text is corrected; edit the draft instead."))
        model = type(obj)
        latest = model.objects.filter(reference=obj.reference).order_by("-revision").first()
        if latest.pk != obj.pk:
            raise Conflict(
                _("Version %(revision)d already corrects this text.")
                % {"revision": latest.revision}
            )
        new = copy(obj, actor)
        _journal(actor, new, f"{kind}.correct", corrects=obj.revision)
        return new
