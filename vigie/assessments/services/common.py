"""What every service of the app shares: the journal's domain, refusals, versions, text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from vigie.access.policy import assessment_can
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.errors import PreconditionFailed
from vigie.core.models import User
from vigie.registry.services import clean_text

DOMAIN = "assessments"

__all__ = ["DOMAIN", "check_version", "clean_text", "deny", "require"]


def deny(actor: User, action: str, target: Any = None, **detail: Any) -> None:
    """Journal a refusal (in its own transaction when there is none: it must outlive the error)."""
    record_event(
        actor=actor,
        action=action,
        target_type=target_type_of(target),
        target_id=getattr(target, "id", "") or "",
        outcome=Outcome.DENIED,
        domain=DOMAIN,
        detail=detail,
    )


def target_type_of(target: Any) -> str:
    if target is None:
        return ""
    return {
        "ThreatAssessment": "assessment",
        "StrategicAnalysis": "analysis",
        "IntakeItem": "intake",
        "CriticalInfrastructure": "infrastructure",
        "Recipient": "assessment_delivery",
        "AnalysisRecipient": "analysis_delivery",
    }.get(type(target).__name__, type(target).__name__.lower())


def require(actor: User, action: str, target: Any = None, obj: Any = None) -> None:
    """Called BEFORE the service opens its transaction, so the denied event is committed."""
    if not assessment_can(actor, action, obj if obj is not None else target):
        deny(actor, action, target)
        raise PermissionDenied(_("You are not allowed to do this."))


def check_version(obj: Any, version: int | None) -> None:
    if version is not None and int(version) != obj.version:
        raise PreconditionFailed(
            _("This record was changed by someone else (version %(current)d, yours %(yours)d).")
            % {"current": obj.version, "yours": int(version)}
        )
