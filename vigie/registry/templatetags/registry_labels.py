"""Labels of the common database's vocabularies in templates: `{{ value|label:"category" }}`."""

from __future__ import annotations

from typing import Any

from django import template

from vigie.core.choices import Category, RecordView, ThreatLevel
from vigie.registry.choices import (
    Credibility,
    DocumentType,
    EntryStatus,
    NameType,
    RelationKind,
    Reliability,
    ReviewOutcome,
    Script,
    SubStatus,
)
from vigie.registry.forms import ProposalForm

register = template.Library()

VOCABULARIES: dict[str, Any] = {
    "category": Category,
    "sub_status": SubStatus,
    "status": EntryStatus,
    "name_type": NameType,
    "script": Script,
    "reliability": Reliability,
    "credibility": Credibility,
    "document_type": DocumentType,
    "relation": RelationKind,
    "outcome": ReviewOutcome,
    "view": RecordView,
    "level": ThreatLevel,
    "gender": dict(ProposalForm.base_fields["gender"].choices),
}


@register.filter
def label(value: Any, vocabulary: str) -> str:
    """The translated label of `value` in `vocabulary`; the value itself when unknown."""
    if value in (None, ""):
        return ""
    choices = VOCABULARIES[vocabulary]
    labels = choices if isinstance(choices, dict) else dict(choices.choices)
    if vocabulary == "level":
        value = int(value)
    return str(labels.get(value, value))
