"""Forms of the measures UI: thin, the services validate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification

from .choices import (
    AdviceKind,
    AnswerKind,
    AppealOutcome,
    DecisionOutcome,
    Language,
    MeasureType,
    Recommendation,
    ReviewOutcome,
)

DATE = forms.DateInput(attrs={"type": "date"})


class CaseFilterForm(forms.Form):
    measure_type = forms.ChoiceField(
        label=_("Measure"), required=False, choices=[("", "—"), *MeasureType.choices]
    )
    status = forms.CharField(label=_("Status"), required=False)
    entity_reference = forms.CharField(label=_("Person reference"), required=False)


class CaseForm(forms.Form):
    measure_type = forms.ChoiceField(label=_("Measure"), choices=MeasureType.choices)
    entity_reference = forms.CharField(label=_("Person reference (e.g. P-2026-000042)"))
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class ConsultForm(forms.Form):
    organisations = forms.CharField(label=_("Partners to consult (codes, comma-separated)"))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    question = forms.CharField(label=_("Question"), required=False, widget=forms.Textarea)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=AnswerKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class AdviceCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AdviceKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    classification = forms.TypedChoiceField(
        label=_("Classification"), coerce=int, choices=Classification.choices, initial=1
    )


class AdviceEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    criteria = forms.CharField(label=_("Criteria met"), widget=forms.Textarea(attrs={"rows": 4}))
    proportionality = forms.CharField(
        label=_("Proportionality"), widget=forms.Textarea(attrs={"rows": 4})
    )
    consultations_outcome = forms.CharField(
        label=_("Outcome of the consultations"), widget=forms.Textarea(attrs={"rows": 4})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=[("", "—"), *Recommendation.choices], required=False
    )
    recommendation_text = forms.CharField(
        label=_("Recommendation (reasons)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), required=False)


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    reference = forms.CharField(label=_("Reference of the decision or Royal Decree"))
    period_start = forms.DateField(label=_("From"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Until"), required=False, widget=DATE)
    published_on = forms.DateField(label=_("Published on"), required=False, widget=DATE)


class ReviewForm(forms.Form):
    review = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    court = forms.CharField(label=_("Court"), initial=_("Council of State"))
    lodged_on = forms.DateField(label=_("Lodged on"), widget=DATE)
    reference = forms.CharField(label=_("Reference"), required=False)


class AppealOutcomeForm(forms.Form):
    appeal = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in AppealOutcome.choices if c[0] != "pending"]
    )
    outcome_on = forms.DateField(label=_("Outcome on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False)


class ScreenFileForm(forms.Form):
    file = forms.FileField(label=_("List to screen (CSV or JSON)"), required=False)
