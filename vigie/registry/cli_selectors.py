"""Reads the command line needs beyond `selectors`: an entity by UUID or human reference.

Same scope as `selectors.visible_entities` (the access policy's `registry_scope`): an entity the
actor may not see is "not found", exactly like one that does not exist. A failed look-up is
journaled (denied), as a refused opening is.
"""

from __future__ import annotations

import re
import uuid

from django.http import Http404

from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.models import User

from .models import Entity
from .selectors import visible_entities
from .services import DOMAIN

REFERENCE = re.compile(r"^[A-Z]{1,4}-\d{4}-\d{1,9}$")


def _as_uuid(key: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(key)
    except ValueError:
        return None


def entity_lookup(*, actor: User, key: str) -> Entity:
    """The entity whose UUID or reference is `key`, within the actor's scope; else Http404."""
    key = key.strip()
    as_uuid = _as_uuid(key)
    reference = key.upper() if as_uuid is None and REFERENCE.match(key.upper()) else ""
    found = None
    if as_uuid or reference:
        qs = visible_entities(actor)
        qs = qs.filter(pk=as_uuid) if as_uuid else qs.filter(reference=reference)
        found = qs.first()
    if found is None:
        # Only a well-formed key goes to the journal: whatever else was typed (a name?) is not.
        record_event(
            actor=actor,
            action="entity.lookup",
            target_type="entity",
            target_id=str(as_uuid) if as_uuid else "",
            outcome=Outcome.DENIED,
            domain=DOMAIN,
            detail={"reference": reference} if reference else {},
        )
        raise Http404("not found")
    return found
