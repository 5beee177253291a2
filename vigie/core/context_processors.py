from django.conf import settings
from django.http import HttpRequest

from vigie.access.policy import Action, MeasureAction, can
from vigie.core.middleware import is_fully_signed_in


def vigie(request: HttpRequest) -> dict:
    return {"VIGIE_DEMO": settings.DEMO, "nav": _nav(request)}


def _nav(request: HttpRequest) -> dict[str, bool]:
    """Which entries of the main menu the user may use (the policy decides; links only)."""
    if not is_fully_signed_in(request):
        return {}
    user = request.user
    return {
        "persons": can(user, Action.REGISTRY_LIST),
        "proposals": can(user, Action.REGISTRY_PROPOSE),
        "contributions": can(user, Action.REGISTRY_PROPOSE),
        "reviews": can(user, Action.REGISTRY_REVIEW),
        "hit_check": can(user, Action.REGISTRY_HIT_CHECK),
        "measures": can(user, MeasureAction.LIST),
        "journal": can(user, Action.JOURNAL_SEARCH),
        "accounts": can(user, Action.ACCOUNTS_MANAGE),
    }
