"""The structured method: published factors rated 0-3, and the rule proposing a level.

This module is the only place the rule lives (docs/assessments.md explains it). The analyst
rates each factor of the assessment's kind from 0 (absent) to 3 (high); the rule proposes a
level; the analyst sets the final level and must justify in writing a level that differs.

Rule: score = sum(weight x rating) / (3 x sum(weights)), between 0 and 1; the proposed level is
1 + the number of thresholds the score reaches. A "floor" factor rated 3 raises the proposal to
at least the floor's level (e.g. a person with high intent and high capability is at least 3).
Weights, thresholds and floors come from `DEFAULT_METHOD`, overridden key by key by the
`ASSESSMENT_METHOD` setting.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import AssessmentKind

FACTOR_LABELS = {
    "intent": gettext_lazy("Intent"),
    "capability": gettext_lazy("Capability"),
    "history": gettext_lazy("History"),
    "psychological_problems": gettext_lazy("Psychological problems"),
    "known_threats": gettext_lazy("Known threats"),
    "target_attractiveness": gettext_lazy("Attractiveness as a target"),
    "context_triggers": gettext_lazy("Context and trigger events"),
    "general_level": gettext_lazy("The general threat level"),
    "reports": gettext_lazy("Number and seriousness of reports"),
    "open_cases": gettext_lazy("Open terrorism cases"),
    "trigger_events": gettext_lazy("Trigger events"),
}

_PERSON = {"intent": 3, "capability": 3, "history": 2, "psychological_problems": 1}
_TARGET = {
    "known_threats": 3,
    "target_attractiveness": 2,
    "context_triggers": 2,
    "general_level": 1,
}

DEFAULT_METHOD: dict[str, Any] = {
    "weights": {
        AssessmentKind.THREAT_SOURCE.value: _PERSON,
        AssessmentKind.EVENT.value: _TARGET,
        AssessmentKind.THREATENED_PERSON.value: _TARGET,
        AssessmentKind.GENERAL.value: {"reports": 2, "open_cases": 2, "trigger_events": 1},
    },
    # Scores from which levels 2, 3 and 4 are proposed.
    "thresholds": [0.25, 0.5, 0.75],
    # kind -> [(factors all rated 3, minimum level)]
    "floors": {
        AssessmentKind.THREAT_SOURCE.value: [(["intent", "capability"], 3)],
        AssessmentKind.EVENT.value: [(["known_threats"], 3)],
        AssessmentKind.THREATENED_PERSON.value: [(["known_threats"], 3)],
    },
}


def method_config() -> dict[str, Any]:
    return {**DEFAULT_METHOD, **(getattr(settings, "ASSESSMENT_METHOD", None) or {})}


def factors_for(kind: str) -> list[str]:
    """The factors rated for an assessment of `kind`, in the method's order."""
    return list(method_config()["weights"].get(kind, {}))


def clean_ratings(kind: str, ratings: dict[str, Any]) -> dict[str, int]:
    """Every factor of the kind rated 0 to 3, and no other factor."""
    expected = factors_for(kind)
    errors = []
    unknown = sorted(set(ratings) - set(expected))
    if unknown:
        errors.append(_("Unknown factors for this kind: %s.") % ", ".join(unknown[:10]))
    missing = [f for f in expected if f not in ratings]
    if missing:
        errors.append(_("Rate every factor: %s is missing.") % ", ".join(missing))
    cleaned: dict[str, int] = {}
    for factor in expected:
        value = ratings.get(factor)
        if factor in ratings and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3
        ):
            errors.append(_("Rate %s from 0 to 3.") % factor)
        elif factor in ratings:
            cleaned[factor] = value
    if errors:
        raise ValidationError({"ratings": errors})
    return cleaned


def score(kind: str, ratings: dict[str, int]) -> float:
    weights = method_config()["weights"].get(kind, {})
    total = sum(weights.values())
    if not total:
        return 0.0
    return sum(w * ratings.get(f, 0) for f, w in weights.items()) / (3 * total)


def propose_level(kind: str, ratings: dict[str, int]) -> int:
    """The level the method proposes for these ratings (1 to 4)."""
    config = method_config()
    value = score(kind, ratings)
    level = 1 + sum(1 for threshold in config["thresholds"] if value >= threshold)
    for factors, minimum in config.get("floors", {}).get(kind, []):
        if factors and all(ratings.get(f) == 3 for f in factors):
            level = max(level, minimum)
    return min(max(level, 1), 4)
