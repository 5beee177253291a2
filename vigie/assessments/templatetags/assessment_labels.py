"""Labels of the assessments' vocabularies in templates, and a level shown with its meaning.

`{{ value|alabel:"urgency" }}`, `{% level_display level %}` (the label AND the meaning of
the Royal Decree of 28 November 2006, art. 11 §6, wherever a level is shown), `{{ code|area }}`
and `{% marking obj %}` (the classification and the handling mark of a text).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.assessments.choices import (
    BRUSSELS_REGION,
    INTAKE_TRANSITIONS,
    NATIONAL,
    AssessmentKind,
    EventKind,
    InfrastructureScope,
    InfrastructureSector,
    IntakeKind,
    IntakeStatus,
    Language,
    ReviewStatus,
    Urgency,
)
from vigie.assessments.method import FACTOR_LABELS
from vigie.core.choices import THREAT_LEVEL_MEANINGS, Classification, ThreatLevel
from vigie.core.models import Province

register = template.Library()

VOCABULARIES: dict[str, Any] = {
    "kind": AssessmentKind,
    "status": ReviewStatus,
    "urgency": Urgency,
    "intake_kind": IntakeKind,
    "intake_status": IntakeStatus,
    "event_kind": EventKind,
    "language": Language,
    "scope": InfrastructureScope,
    "sector": InfrastructureSector,
    "classification": Classification,
    "level": ThreatLevel,
}

# The fields of an assessment a reader compares between versions (selectors.DIFF_FIELDS).
FIELD_LABELS = {
    "level": gettext_lazy("Level"),
    "proposed_level": gettext_lazy("Proposed level"),
    "ratings": gettext_lazy("Ratings"),
    "level_justification": gettext_lazy("Justification of the level"),
    "rationale": gettext_lazy("Rationale"),
    "classification": gettext_lazy("Classification"),
    "restricted_diffusion": gettext_lazy("Diffusion restreinte"),
    "language": gettext_lazy("Language"),
    "valid_from": gettext_lazy("Valid from"),
    "valid_until": gettext_lazy("Valid until"),
    "review_date": gettext_lazy("Review date"),
    "area_levels": gettext_lazy("Levels per area"),
}


@register.filter
def alabel(value: Any, vocabulary: str) -> str:
    """The translated label of `value` in `vocabulary`; the value itself when unknown."""
    if value in (None, ""):
        return ""
    choices = VOCABULARIES[vocabulary]
    if vocabulary in {"level", "classification"}:
        try:
            value = int(value)
        except (TypeError, ValueError):
            return str(value)
    return str(dict(choices.choices).get(value, value))


@register.filter
def factor(name: str) -> str:
    return str(FACTOR_LABELS.get(name, name))


@register.filter
def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def level_meaning(level: Any) -> str:
    try:
        return str(THREAT_LEVEL_MEANINGS[ThreatLevel(int(level))])
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def level_display(level: Any, short: bool = False) -> str:
    """A level's label and its meaning: `3 – SERIOUS — A threat is possible and likely.`"""
    if level in (None, ""):
        return format_html('<span class="level level-none">{}</span>', _("No level yet"))
    try:
        value = ThreatLevel(int(level))
    except (TypeError, ValueError):
        return str(level)
    return format_html(
        '<span class="level level-{}"><strong>{}</strong> <span class="meaning">— {}</span></span>',
        value.value,
        value.label,
        level_meaning(value),
    )


@register.filter
def area(code: str) -> str:
    """The name of an area of the general level: the country, the Brussels region, a province."""
    if code == NATIONAL:
        return _("Belgium (national)")
    if code == BRUSSELS_REGION:
        return _("Brussels-Capital Region")
    province = Province.objects.filter(pk=code).first()  # reference data
    return province.name if province else str(code)


@register.simple_tag
def marking(obj: Any) -> str:
    """The marking of a text: classification, plus "Diffusion restreinte" when it applies."""
    text = str(Classification(int(obj.classification)).label)
    if getattr(obj, "restricted_diffusion", False):
        text += " — " + _("Diffusion restreinte")
    return text


@register.filter
def transitions(status: str) -> list[tuple[str, str]]:
    """The statuses an intake item may move to from `status` (INTAKE_TRANSITIONS)."""
    allowed = INTAKE_TRANSITIONS.get(IntakeStatus(status), set())
    return [(value, str(label)) for value, label in IntakeStatus.choices if value in allowed]
