"""`{% entity_measures %}`: a person's measures on their record, for those who may see them."""

from __future__ import annotations

from typing import Any

from django import template

from vigie.measures.selectors import measures_of

register = template.Library()


@register.inclusion_tag("measures/_entity_measures.html", takes_context=True)
def entity_measures(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    entity = context.get("entity")
    if request is None or entity is None:
        return {"measures": None}
    return {"measures": measures_of(actor=request.user, entity=entity)}
