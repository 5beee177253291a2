"""Forms of the screening UI: the search box, a list upload with its column mapping, a review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .lists import FIELDS
from .models import ScreeningHit


class SearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=500)
    birth_date = forms.CharField(
        label=_("Birth date"),
        max_length=10,
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=2, required=False)

    def query(self) -> dict[str, Any]:
        data = self.cleaned_data
        query: dict[str, Any] = {"id": "1", "name": data["name"]}
        if data.get("birth_date"):
            query["birth_date"] = data["birth_date"].strip()
        if data.get("nationality"):
            query["nationality"] = data["nationality"].strip().upper()
        return query


class UploadForm(forms.Form):
    file = forms.FileField(label=_("List (CSV or XLSX)"))
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    threshold = forms.FloatField(label=_("Threshold"), min_value=0.5, max_value=1.0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            self.fields[f"column_{name}"] = forms.CharField(
                label=_("Column for %(field)s") % {"field": name},
                max_length=100,
                required=name == "name",
                initial=name,
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SCREENING_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": settings.SCREENING_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(f"column_{name}", "").strip()
            for name in FIELDS
            if self.cleaned_data.get(f"column_{name}", "").strip()
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in ScreeningHit.Decision.choices if c[0] != ScreeningHit.Decision.PENDING],
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DuplicateCheckForm(forms.Form):
    """The proposal form's fields the duplicate check reads (names, date, nationalities)."""

    name = forms.CharField(max_length=300, required=False)
    birth_date = forms.CharField(max_length=10, required=False)
    nationalities = forms.CharField(max_length=100, required=False)
    document_number = forms.CharField(max_length=40, required=False)

    def record(self, aliases: list[str]) -> dict[str, Any] | None:
        data = self.cleaned_data
        if len(data.get("name", "").strip()) < 2:
            return None
        record: dict[str, Any] = {"id": "proposal", "name": data["name"].strip()}
        record["aliases"] = [a.strip() for a in aliases if a.strip()]
        if data.get("birth_date"):
            record["birth_date"] = data["birth_date"].strip()
        codes = [c.strip().upper() for c in data.get("nationalities", "").split(",") if c.strip()]
        if codes:
            record["nationality"] = codes
        if data.get("document_number"):
            record["identifiers"] = [data["document_number"]]
        return record
