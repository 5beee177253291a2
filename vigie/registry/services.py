"""Every write to the common database: validated, transactional, journaled.

Services take the actor first and keyword-only arguments; they raise PermissionDenied (with a
denied event in the journal) when the policy refuses, ValidationError for bad input.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.access.policy import Action, can
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.errors import PreconditionFailed
from vigie.core.models import Municipality, User
from vigie.core.references import next_reference

from .choices import EntryStatus, NameType, RelationKind, ReviewOutcome, Script
from .models import (
    COUNTRY_CODES,
    Address,
    CategoryMembership,
    Contribution,
    Entity,
    EntityName,
    IdentityDocument,
    NameToken,
    RecordChange,
    Relation,
    Review,
)

DOMAIN = "database"
MAX_TEXT = 20_000
FOUR_EYES_REMOVAL = gettext_lazy("Four-eyes rule: another validator must approve this removal.")
REVIEW_MONTHS = int(getattr(settings, "REGISTRY_REVIEW_MONTHS", 6))

# Other apps register here what forbids a removal (e.g. a measure in force); each returns a
# reason or None. Keeps `registry` free of imports from the apps that refer to it.
REMOVAL_GUARDS: list[Callable[[Entity], str | None]] = []


# --- Input ---------------------------------------------------------------------------------


@dataclass
class NameInput:
    full_name: str
    name_type: str = NameType.PRIMARY
    given_names: str = ""
    surname: str = ""


@dataclass
class AddressInput:
    municipality: str  # NIS code
    street: str = ""


@dataclass
class DocumentInput:
    document_type: str
    number: str
    country: str


@dataclass
class EntityInput:
    kind: str
    names: list[NameInput]
    birth_date: str = ""
    birth_place: str = ""
    gender: str = ""
    nationalities: list[str] = field(default_factory=list)
    addresses: list[AddressInput] = field(default_factory=list)
    documents: list[DocumentInput] = field(default_factory=list)
    recommended_action: str = ""


@dataclass
class MembershipInput:
    category: str
    sub_status: str = ""
    criteria_met: list[str] = field(default_factory=list)


def normalise_name(value: str) -> str:
    """Case, diacritics, punctuation and spacing folded: the exact hit/no-hit key."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(sorted(kept.split()))


def detect_script(value: str) -> str:
    for char in value:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("ARABIC"):
            return Script.ARABIC
        if name.startswith("CYRILLIC"):
            return Script.CYRILLIC
        if name.startswith("LATIN"):
            return Script.LATIN
        return Script.OTHER
    return Script.LATIN


def clean_text(value: str, field_name: str, limit: int = MAX_TEXT) -> str:
    """Refuse oversize text and control characters (tabs and newlines are kept)."""
    if len(value) > limit:
        raise ValidationError({field_name: _("At most %(limit)d characters.") % {"limit": limit}})
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise ValidationError({field_name: _("Control characters are not allowed.")})
    return value.strip()


def refuse_classified(classification: int | str | None) -> None:
    """The common database holds unclassified information only (DOMAIN.md §1)."""
    if classification not in (None, "", 0, "0"):
        raise ValidationError(
            {
                "classification": _(
                    "The common database holds unclassified information only. Send classified "
                    "information to the coordination body through the threat-assessment "
                    "channel (an information report), not as a contribution."
                )
            }
        )


# --- Helpers -----------------------------------------------------------------------------


def _deny(actor: User, action: str, target: Entity | None = None, **detail: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        target_type="entity" if target else "",
        target_id=target.id if target else "",
        outcome=Outcome.DENIED,
        domain=DOMAIN,
        detail=detail,
    )


def _require(actor: User, action: str, target: Entity | None = None) -> None:
    # Called before the service opens its transaction, so the denied event is committed.
    if not can(actor, action, target):
        _deny(actor, action, target)
        raise PermissionDenied(_("You are not allowed to do this."))


def _check_version(entity: Entity, version: int | None) -> None:
    if version is not None and int(version) != entity.version:
        raise PreconditionFailed(
            _("This record was changed by someone else (version %(current)d, yours %(yours)d).")
            % {"current": entity.version, "yours": int(version)}
        )


def _bump(entity: Entity) -> None:
    entity.version += 1
    entity.updated_at = timezone.now()


def _snapshot(entity: Entity) -> dict[str, Any]:
    return {
        "status": entity.status,
        "threat_level": entity.threat_level,
        "categories": sorted(
            f"{m.category}/{m.sub_status}" if m.sub_status else m.category
            for m in entity.memberships.all()
        ),
        "review_due": entity.review_due.isoformat() if entity.review_due else None,
    }


def _history(entity: Entity, actor: User, action: str, before: dict, reason: str = "") -> None:
    RecordChange.objects.create(
        entity=entity,
        changed_by=actor,
        action=action,
        before=before,
        after=_snapshot(entity),
        reason=reason,
    )


def review_due_from(day: date) -> date:
    """Six months later by default (REGISTRY_REVIEW_MONTHS): reviewed twice a year."""
    month = day.month - 1 + REVIEW_MONTHS
    year, month = day.year + month // 12, month % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    return day + timedelta(days=182)


# --- Proposals -----------------------------------------------------------------------------


def entity_propose(
    *,
    actor: User,
    data: EntityInput,
    contribution_text: str = "",
    reliability: str = "F",
    credibility: str = "6",
    restricted_diffusion: bool = False,
    classification: int | str | None = None,
) -> Entity:
    """A service proposes a new person or organisation; only it and the body see it."""
    _require(actor, Action.REGISTRY_PROPOSE)
    with transaction.atomic():
        refuse_classified(classification)
        if data.kind not in Entity.Kind.values:
            raise ValidationError({"kind": _("Unknown kind: %s.") % data.kind[:40]})
        names = [n for n in data.names if n.full_name.strip()]
        if not names:
            raise ValidationError({"names": _("Give at least one name.")})
        prefix = "P" if data.kind == Entity.Kind.PERSON else "O"
        entity = Entity(
            reference=next_reference(prefix),
            kind=data.kind,
            status=EntryStatus.PROPOSED,
            display_name=clean_text(names[0].full_name, "names", 300),
            birth_date=data.birth_date.strip(),
            birth_place=clean_text(data.birth_place, "birth_place", 200),
            gender=data.gender,
            nationalities=[c.strip().upper() for c in data.nationalities if c.strip()],
            recommended_action=clean_text(data.recommended_action, "recommended_action"),
            proposed_by=actor,
            proposed_by_organisation=actor.organisation,
        )
        entity.full_clean()
        entity.save()
        _add_details(entity, data, names)
        if contribution_text:
            _contribution_create(
                actor=actor,
                entity=entity,
                text=contribution_text,
                reliability=reliability,
                credibility=credibility,
                restricted_diffusion=restricted_diffusion,
            )
        _history(entity, actor, "propose", {})
        record_event(
            actor=actor,
            action="entity.propose",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
            detail={"reference": entity.reference, "kind": entity.kind},
        )
        return entity


def _add_details(entity: Entity, data: EntityInput, names: Iterable[NameInput]) -> None:
    for name in names:
        full = clean_text(name.full_name, "names", 300)
        row = EntityName(
            entity=entity,
            full_name=full,
            given_names=clean_text(name.given_names, "names", 200),
            surname=clean_text(name.surname, "names", 200),
            name_type=name.name_type,
            script=detect_script(full),
            normalised=normalise_name(full),
        )
        row.full_clean(exclude=["entity", "normalised"])
        row.save()
        NameToken.objects.bulk_create(
            NameToken(entity=entity, token=token)
            for token in NameToken.tokens_of(row.normalised)
            if not NameToken.objects.filter(entity=entity, token=token).exists()
        )
    for address in data.addresses:
        if not Municipality.objects.filter(pk=address.municipality).exists():
            raise ValidationError(
                {"addresses": _("Unknown municipality (NIS code %s).") % address.municipality[:10]}
            )
        Address.objects.create(
            entity=entity,
            municipality_id=address.municipality,
            street=clean_text(address.street, "addresses", 200),
        )
    for document in data.documents:
        if document.country.upper() not in COUNTRY_CODES:
            raise ValidationError(
                {"documents": _("Unknown issuing country: %s.") % document.country[:10]}
            )
        doc = IdentityDocument(
            entity=entity,
            document_type=document.document_type,
            number=clean_text(document.number, "documents", 40).upper(),
            country=document.country.upper(),
        )
        doc.full_clean(exclude=["entity"], validate_unique=False, validate_constraints=False)
        if IdentityDocument.objects.filter(
            document_type=doc.document_type, country=doc.country, number=doc.number
        ).exists():
            raise ValidationError(
                {"documents": _("Document %s is already recorded for another entry.") % doc.number}
            )
        try:
            with transaction.atomic():
                doc.save()
        except IntegrityError:
            raise ValidationError(
                {"documents": _("Document %s is already recorded for another entry.") % doc.number}
            ) from None


def _contribution_create(
    *,
    actor: User,
    entity: Entity,
    text: str,
    reliability: str,
    credibility: str,
    restricted_diffusion: bool,
) -> Contribution:
    contribution = Contribution(
        entity=entity,
        organisation=actor.organisation,
        author=actor,
        text=clean_text(text, "text"),
        reliability=reliability,
        credibility=credibility,
        restricted_diffusion=restricted_diffusion,
        status=EntryStatus.PROPOSED,
    )
    contribution.full_clean()
    contribution.save()
    return contribution


def entity_validate(
    *,
    actor: User,
    entity: Entity,
    memberships: list[MembershipInput],
    threat_level: int,
    version: int | None = None,
) -> Entity:
    """A validator of the body lists a proposed entity: categories, sub-status, level."""
    _require(actor, Action.REGISTRY_VALIDATE, entity)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        _check_version(entity, version)
        if entity.status != EntryStatus.PROPOSED:
            raise ValidationError(_("Only a proposal can be validated."))
        if not memberships:
            raise ValidationError({"memberships": _("Give at least one category.")})
        if threat_level not in (1, 2, 3, 4):
            raise ValidationError({"threat_level": _("The threat level is 1, 2, 3 or 4.")})
        before = _snapshot(entity)
        now = timezone.now()
        for item in memberships:
            membership = CategoryMembership(
                entity=entity,
                category=item.category,
                sub_status=item.sub_status,
                criteria_met=item.criteria_met,
                validated_by=actor,
                validated_at=now,
            )
            membership.full_clean(exclude=["entity"], validate_constraints=False)
            membership.save()
        entity.status = EntryStatus.VALIDATED
        entity.threat_level = threat_level
        entity.validated_by = actor
        entity.validated_at = now
        entity.review_due = review_due_from(timezone.localdate())
        _bump(entity)
        entity.save()
        entity.contributions.filter(status=EntryStatus.PROPOSED).update(
            status=EntryStatus.VALIDATED, validated_by=actor
        )
        _history(entity, actor, "validate", before)
        record_event(
            actor=actor,
            action="entity.validate",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
            detail={"reference": entity.reference},
        )
        return entity


def entity_reject(
    *, actor: User, entity: Entity, reason: str, version: int | None = None
) -> Entity:
    """A validator refuses a proposal, with a reason the proposer sees."""
    _require(actor, Action.REGISTRY_VALIDATE, entity)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        _check_version(entity, version)
        if entity.status != EntryStatus.PROPOSED:
            raise ValidationError(_("Only a proposal can be rejected."))
        reason = clean_text(reason, "reason")
        if not reason:
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        before = _snapshot(entity)
        entity.status = EntryStatus.REJECTED
        entity.rejection_reason = reason
        _bump(entity)
        entity.save()
        _history(entity, actor, "reject", before, reason)
        record_event(
            actor=actor,
            action="entity.reject",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
        )
        return entity


# --- Review and removal ------------------------------------------------------------------


def entity_review(
    *,
    actor: User,
    entity: Entity,
    outcome: str,
    reasons: str,
    threat_level: int | None = None,
    version: int | None = None,
) -> Review:
    """The periodic review: maintain, change the level, or propose removal (four-eyes)."""
    _require(actor, Action.REGISTRY_REVIEW, entity)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        _check_version(entity, version)
        if entity.status != EntryStatus.VALIDATED:
            raise ValidationError(_("Only a listed entry is reviewed."))
        if outcome not in ReviewOutcome.values:
            raise ValidationError({"outcome": _("Unknown review outcome.")})
        reasons = clean_text(reasons, "reasons")
        if not reasons:
            raise ValidationError({"reasons": _("A review needs its reasons.")})
        before = _snapshot(entity)
        if outcome == ReviewOutcome.CHANGE:
            # Local import: assessment_services builds on this module.
            from .assessment_services import refuse_level_change_outside_assessment

            refuse_level_change_outside_assessment(entity)
            if threat_level not in (1, 2, 3, 4) or threat_level == entity.threat_level:
                raise ValidationError({"threat_level": _("Give the new threat level (1 to 4).")})
            entity.threat_level = threat_level
        if outcome == ReviewOutcome.PROPOSE_REMOVAL:
            entity.removal_proposed_by = actor
            entity.removal_reason = reasons
        entity.review_due = review_due_from(timezone.localdate())
        _bump(entity)
        entity.save()
        review = Review.objects.create(
            entity=entity, reviewed_by=actor, outcome=outcome, reasons=reasons
        )
        _history(entity, actor, f"review:{outcome}", before, reasons)
        record_event(
            actor=actor,
            action="entity.review",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
            detail={"outcome": outcome},
        )
        return review


def entity_remove(*, actor: User, entity: Entity, reason: str = "") -> str:
    """A validator approves a proposed removal: the content and history go; the journal keeps
    that it happened, by whom, when and why. Returns the removed entity's reference."""
    _require(actor, Action.REGISTRY_APPROVE_REMOVAL, entity)
    if entity.removal_proposed_by_id == actor.id:
        _deny(actor, "entity.remove", entity, reason="four_eyes")
        raise PermissionDenied(FOUR_EYES_REMOVAL)
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        if entity.removal_proposed_by_id is None:
            raise ValidationError(_("Removal must first be proposed at a review."))
        if entity.removal_proposed_by_id == actor.id:
            raise PermissionDenied(FOUR_EYES_REMOVAL)
        for guard in REMOVAL_GUARDS:
            refusal = guard(entity)
            if refusal:
                raise ValidationError(refusal)
        reference, entity_id = entity.reference, entity.id
        why = clean_text(reason, "reason") or entity.removal_reason
        entity.delete()
        record_event(
            actor=actor,
            action="entity.remove",
            target_type="entity",
            target_id=entity_id,
            domain=DOMAIN,
            detail={"reference": reference},
            purpose=why[:500],
        )
        return reference


# --- Contributions to a listed entry -----------------------------------------------------------


def contribution_propose(
    *,
    actor: User,
    entity: Entity,
    text: str,
    reliability: str,
    credibility: str,
    restricted_diffusion: bool = False,
    classification: int | str | None = None,
) -> Contribution:
    """A feeding service adds what it knows to an entry; a validator accepts it."""
    _require(actor, Action.REGISTRY_PROPOSE, entity)
    refuse_classified(classification)
    if not text.strip():
        raise ValidationError({"text": _("Write the information.")})
    with transaction.atomic():
        contribution = _contribution_create(
            actor=actor,
            entity=entity,
            text=text,
            reliability=reliability,
            credibility=credibility,
            restricted_diffusion=restricted_diffusion,
        )
        record_event(
            actor=actor,
            action="contribution.propose",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
            detail={"contribution": str(contribution.id)},
        )
        return contribution


def contribution_decide(
    *, actor: User, contribution: Contribution, accept: bool, reason: str = ""
) -> Contribution:
    """A validator accepts or rejects a pending contribution (with a reason)."""
    _require(actor, Action.REGISTRY_VALIDATE, contribution.entity)
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if contribution.status != EntryStatus.PROPOSED:
            raise ValidationError(_("This contribution was already decided."))
        reason = clean_text(reason, "reason")
        if not accept and not reason:
            raise ValidationError({"reason": _("Give the reason for the rejection.")})
        contribution.status = EntryStatus.VALIDATED if accept else EntryStatus.REJECTED
        contribution.validated_by = actor
        contribution.rejection_reason = reason
        contribution.version += 1
        contribution.save()
        record_event(
            actor=actor,
            action="contribution.validate" if accept else "contribution.reject",
            target_type="entity",
            target_id=contribution.entity_id,
            domain=DOMAIN,
            detail={"contribution": str(contribution.id)},
        )
        return contribution


def relation_add(*, actor: User, source: Entity, target: Entity, kind: str) -> Relation:
    """The body links two entries (siblings, membership of a group, ...)."""
    _require(actor, Action.REGISTRY_REVIEW, source)
    if source.pk == target.pk:
        raise ValidationError({"target": _("An entry cannot be related to itself.")})
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Unknown relation.")})
    with transaction.atomic():
        relation, created = Relation.objects.get_or_create(source=source, target=target, kind=kind)
        if not created:
            raise ValidationError(_("This relation is already recorded."))
        record_event(
            actor=actor,
            action="relation.add",
            target_type="entity",
            target_id=source.id,
            domain=DOMAIN,
            detail={"target": str(target.id), "kind": kind},
        )
        return relation


# Fields an analyst may correct on an entry; categories and level change through validation,
# review and (later) assessments.
EDITABLE_FIELDS = ("birth_date", "birth_place", "gender", "nationalities", "recommended_action")


def entity_update(
    *, actor: User, entity: Entity, changes: dict[str, Any], version: int | None
) -> Entity:
    """An analyst of the body corrects identity fields; the change is kept in the history."""
    _require(actor, Action.REGISTRY_EDIT, entity)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {field: [_("This field cannot be changed here.")] for field in sorted(unknown)}
        )
    with transaction.atomic():
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
        _check_version(entity, version)
        before = {field: getattr(entity, field) for field in changes}
        for field, value in changes.items():
            if field == "nationalities":
                value = [str(c).strip().upper() for c in value if str(c).strip()]
            elif isinstance(value, str):
                value = clean_text(value, field)
            setattr(entity, field, value)
        entity.full_clean()
        _bump(entity)
        entity.save()
        RecordChange.objects.create(
            entity=entity,
            changed_by=actor,
            action="update",
            before=before,
            after={field: getattr(entity, field) for field in changes},
        )
        record_event(
            actor=actor,
            action="entity.update",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
            detail={"fields": sorted(changes)},
        )
        return entity
