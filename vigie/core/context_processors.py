from django.conf import settings
from django.http import HttpRequest

from vigie.access.policy import Action, AssessmentAction, MeasureAction, can
from vigie.core.middleware import is_fully_signed_in


def vigie(request: HttpRequest) -> dict:
    return {
        "VIGIE_DEMO": settings.DEMO,
        "nav": _nav(request),
        # A callable: the template calls it only where the banner is drawn (not in fragments).
        "general_level": lambda: _general_level(request),
    }


def _nav(request: HttpRequest) -> dict[str, bool]:
    """Which entries of the main menu the user may use (the policy decides; links only)."""
    if not is_fully_signed_in(request):
        return {}
    user = request.user
    reads = can(user, AssessmentAction.LIST)
    return {
        "persons": can(user, Action.REGISTRY_LIST),
        "proposals": can(user, Action.REGISTRY_PROPOSE),
        "contributions": can(user, Action.REGISTRY_PROPOSE),
        "reviews": can(user, Action.REGISTRY_REVIEW),
        "hit_check": can(user, Action.REGISTRY_HIT_CHECK),
        "measures": can(user, MeasureAction.LIST),
        "journal": can(user, Action.JOURNAL_SEARCH),
        "accounts": can(user, Action.ACCOUNTS_MANAGE),
        "intake": can(user, AssessmentAction.INTAKE_SUBMIT),
        "board": can(user, AssessmentAction.INTAKE_MANAGE),
        "dashboard": can(user, AssessmentAction.INTAKE_MANAGE),
        "assessments": reads,
        "inbox": reads,
        "general_level": reads,
        "analyses": reads,
        "infrastructures": reads,
    }


def _general_level(request: HttpRequest) -> list[dict]:
    """The current general level per area, for the banner of every internal page (public data,
    shown to signed-in users only)."""
    if not is_fully_signed_in(request):
        return []
    from vigie.assessments.selectors import general_level_current

    return general_level_current()
