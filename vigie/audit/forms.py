"""The journal search form of the oversight UI."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigie.audit.models import Outcome
from vigie.audit.selectors import EventFilters


class DateInput(forms.DateInput):
    input_type = "date"


class EventSearchForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Organisation code"), max_length=40, required=False)
    action = forms.CharField(label=_("Action"), max_length=60, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Any")), *Outcome.choices],
        required=False,
    )
    target_type = forms.CharField(label=_("Target type"), max_length=60, required=False)
    target_id = forms.CharField(label=_("Target id"), max_length=64, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def to_filters(self) -> EventFilters:
        return EventFilters.from_values(self.cleaned_data)
