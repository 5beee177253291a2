"""The common database's side of threat assessments (DOMAIN.md §1: the body validates each
entity by entering its own threat assessment).

An approved assessment of a listed person or group sets the entry's individual threat level
here; from then on the level changes only through another approved assessment:
`refuse_level_change_outside_assessment` is the guard the periodic review must call.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigie.audit.services import record_event
from vigie.core.models import User

from .choices import EntryStatus
from .models import Entity, RecordChange
from .services import DOMAIN, _bump, _history, _snapshot

ASSESSMENT_ACTION = "assessment"


def threat_level_set_by_assessment(
    *, entity_id: Any, level: int, assessment_reference: str, actor: User
) -> Entity | None:
    """Set the entry's level from an approved assessment: version, history, journal.

    Runs in the approval's transaction (the assessments service has checked the approver).
    Returns None when the entry is gone (removed since) or not listed."""
    if level not in (1, 2, 3, 4):
        raise ValidationError({"level": _("The threat level is 1, 2, 3 or 4.")})
    with transaction.atomic():
        entity = Entity.objects.select_for_update().filter(pk=entity_id).first()
        if entity is None or entity.status != EntryStatus.VALIDATED:
            return None
        before = _snapshot(entity)
        entity.threat_level = level
        _bump(entity)
        entity.save()
        _history(entity, actor, ASSESSMENT_ACTION, before, assessment_reference)
        record_event(
            actor=actor,
            action="entity.level_by_assessment",
            target_type="entity",
            target_id=entity.id,
            domain=DOMAIN,
            detail={"assessment": assessment_reference, "level": level},
        )
        return entity


def level_set_by_assessment(entity: Entity) -> str | None:
    """The reference of the assessment that last set the entry's level, if any."""
    change = (
        RecordChange.objects.filter(entity=entity, action=ASSESSMENT_ACTION)
        .order_by("-changed_at")
        .values_list("reason", flat=True)
        .first()
    )
    return change


def refuse_level_change_outside_assessment(entity: Entity) -> None:
    """The guard: once an approved assessment set the level, a review cannot change it."""
    reference = level_set_by_assessment(entity)
    if reference:
        raise ValidationError(
            {
                "threat_level": _(
                    "The level of this entry was set by the threat assessment %(reference)s: "
                    "only a new approved assessment can change it."
                )
                % {"reference": reference}
            }
        )
