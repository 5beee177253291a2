"""What every measures service shares: the journal's domain, refusals, versions, history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.access.policy import can
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.errors import PreconditionFailed
from vigie.core.models import User
from vigie.registry.services import clean_text

from ..models import CaseEvent, MeasureCase

DOMAIN = "measures"

__all__ = ["DOMAIN", "bump", "check_version", "clean_text", "deny", "history", "require"]

TARGET_TYPES = {
    "MeasureCase": "measure_case",
    "Advice": "measure_advice",
    "Consultation": "measure_consultation",
    "AdviceDelivery": "measure_advice_delivery",
    "Publication": "national_list",
}


def target_type_of(target: Any) -> str:
    return TARGET_TYPES.get(type(target).__name__, type(target).__name__.lower())


def deny(actor: User, action: str, target: Any = None, **detail: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        target_type=target_type_of(target) if target is not None else "",
        target_id=getattr(target, "id", "") or "",
        outcome=Outcome.DENIED,
        domain=DOMAIN,
        detail=detail,
    )


def require(actor: User, action: str, target: Any = None, obj: Any = None) -> None:
    """Called BEFORE the service opens its transaction, so the denied event is committed."""
    if not can(actor, action, obj if obj is not None else target):
        deny(actor, action, target)
        raise PermissionDenied(_("You are not allowed to do this."))


def check_version(obj: Any, version: int | None) -> None:
    if version is not None and int(version) != obj.version:
        raise PreconditionFailed(
            _("This record was changed by someone else (version %(current)d, yours %(yours)d).")
            % {"current": obj.version, "yours": int(version)}
        )


def bump(obj: Any) -> None:
    obj.version += 1
    obj.updated_at = timezone.now()


def history(case: MeasureCase, actor: User | None, action: str, **detail: Any) -> None:
    """One readable step of the case's history (kept with the case), and its journal event
    (metadata only) in the same transaction."""
    org = getattr(actor, "organisation", None)
    CaseEvent.objects.create(
        case=case,
        by_username=actor.get_username() if actor is not None else "system",
        by_organisation=org.code if org else "",
        action=action,
        detail={
            k: str(v) if not isinstance(v, int | bool | list | dict) else v
            for k, v in detail.items()
        },
    )
    record_event(
        actor=actor,
        action=f"measure.{action}",
        target_type="measure_case",
        target_id=case.id,
        domain=DOMAIN,
        detail={"reference": case.reference, **_journal_detail(detail)},
    )


# Only identifiers, dates and codes reach the journal: never the texts of the case.
_JOURNALED = {
    "measure_type",
    "sha256",
    "size",
    "organisation",
    "organisations",
    "outcome",
    "decided_on",
    "period_end",
    "advice",
    "kind",
    "due_on",
    "deadline",
    "renewals",
    "linked",
    "linked_to",
    "status",
}


def _journal_detail(detail: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in detail.items() if k in _JOURNALED}
