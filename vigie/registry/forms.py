"""Forms of the common database UI: input shapes only; the rules live in services.

Territory choices (provinces, arrondissements, municipalities) are reference data, not
personal data: reading them here is fine. Nothing here touches a registry manager.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Category, Classification, ThreatLevel
from vigie.core.models import Arrondissement, Municipality, Province
from vigie.registry import services
from vigie.registry.choices import (
    SUB_STATUSES,
    Credibility,
    DocumentType,
    EntryStatus,
    NameType,
    RelationKind,
    Reliability,
    ReviewOutcome,
    SubStatus,
)
from vigie.registry.models import Entity

ANY = ("", _("Any"))
NONE = ("", "—")
ALIAS_TYPES = [(t.value, t.label) for t in NameType if t != NameType.PRIMARY]
MAX_ALIASES = 3
MAX_MEMBERSHIPS = 3


# --- Reference data for the selects ------------------------------------------------------


def province_choices() -> list[tuple[str, str]]:
    return [(p.nis_code, p.name) for p in Province.objects.order_by("name_fr")]


def arrondissement_choices() -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in Arrondissement.objects.order_by("name_fr")]


def municipality_choices() -> list[tuple[str, str]]:
    return [
        (m.nis_code, f"{m.name} ({m.nis_code})")
        for m in Municipality.objects.select_related(None).order_by("name_fr")
    ]


def sub_status_choices() -> list[tuple[str, Any]]:
    """Sub-statuses grouped by the category that admits them (optgroups)."""
    labels = dict(SubStatus.choices)
    return [
        (str(Category(category).label), [(s, labels[s]) for s in allowed])
        for category, allowed in SUB_STATUSES.items()
        if allowed
    ]


class ServiceErrorsMixin:
    """Attach a service's ValidationError to the fields it names (or to the form)."""

    # The service's field names that this form calls differently.
    service_fields: dict[str, str] = {}

    def add_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                field = self.service_fields.get(name, name)
                self.add_error(field if field in self.fields else None, errors)  # type: ignore[attr-defined]
        else:
            self.add_error(None, exc)  # type: ignore[attr-defined]


# --- Lists ---------------------------------------------------------------------------------


class EntitySearchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[ANY, *Category.choices], required=False
    )
    sub_status = forms.ChoiceField(label=_("Sub-status"), required=False)
    status = forms.ChoiceField(
        label=_("Validation status"), choices=[ANY, *EntryStatus.choices], required=False
    )
    threat_level = forms.TypedChoiceField(
        label=_("Threat level"),
        choices=[ANY, *ThreatLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    arrondissement = forms.ChoiceField(label=_("Arrondissement"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_status"].choices = [ANY, *sub_status_choices()]
        self.fields["province"].choices = [ANY, *province_choices()]
        self.fields["arrondissement"].choices = [ANY, *arrondissement_choices()]
        self.fields["municipality"].choices = [ANY, *municipality_choices()]

    def filters(self, kind: str) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "page"}
        return {**data, "kind": kind}


class ReviewDueFilterForm(forms.Form):
    arrondissement = forms.ChoiceField(label=_("Arrondissement"), required=False)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrondissement"].choices = [ANY, *arrondissement_choices()]


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


# --- Record --------------------------------------------------------------------------------


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        help_text=_("Why you open this record (a case or file number); the journal keeps it."),
    )


def _partial_date_field() -> forms.CharField:
    return forms.CharField(
        label=_("Birth date"),
        max_length=10,
        required=False,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"),
    )


class ContributionFieldsMixin(forms.Form):
    reliability = forms.ChoiceField(
        label=_("Reliability of the source"), choices=Reliability.choices, initial="F"
    )
    credibility = forms.ChoiceField(
        label=_("Credibility of the information"), choices=Credibility.choices, initial="6"
    )
    restricted_diffusion = forms.BooleanField(label=_("Diffusion restreinte"), required=False)
    classification = forms.TypedChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        coerce=int,
        initial=Classification.UNCLASSIFIED,
        help_text=_("The common database holds unclassified information only."),
    )


class ProposalForm(ServiceErrorsMixin, ContributionFieldsMixin):
    service_fields = {
        "names": "name",
        "full_name": "name",
        "display_name": "name",
        "name_type": "name",
        "addresses": "municipality",
        "documents": "document_number",
        "number": "document_number",
        "country": "document_country",
        "text": "contribution",
    }

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Entity.Kind.choices,
        initial=Entity.Kind.PERSON,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    birth_date = _partial_date_field()
    birth_place = forms.CharField(label=_("Birth place"), max_length=200, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[NONE, ("M", _("Male")), ("F", _("Female")), ("X", _("Other"))],
        required=False,
    )
    nationalities = forms.CharField(
        label=_("Nationalities"),
        max_length=100,
        required=False,
        help_text=_("ISO country codes, separated by commas (BE, MA)."),
    )
    municipality = forms.ChoiceField(label=_("Municipality of the address"), required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    document_type = forms.ChoiceField(
        label=_("Identity document"), choices=[NONE, *DocumentType.choices], required=False
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    document_country = forms.CharField(label=_("Issuing country"), max_length=2, required=False)
    recommended_action = forms.CharField(
        label=_("Recommended action for first-line officers"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contribution = forms.CharField(
        label=_("First contribution"),
        max_length=services.MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [NONE, *municipality_choices()]
        for i in range(1, MAX_ALIASES + 1):
            self.fields[f"alias_{i}"] = forms.CharField(
                label=_("Alias %(number)d") % {"number": i}, max_length=300, required=False
            )
            self.fields[f"alias_type_{i}"] = forms.ChoiceField(
                label=_("Type of alias %(number)d") % {"number": i},
                choices=ALIAS_TYPES,
                initial=NameType.ALIAS,
                required=False,
            )
        # Order: the aliases right after the name.
        order = ["kind", "name"]
        for i in range(1, MAX_ALIASES + 1):
            order += [f"alias_{i}", f"alias_type_{i}"]
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        document = [data.get(f"document_{part}") for part in ("type", "number", "country")]
        if any(document) and not all(document):
            self.add_error("document_number", _("Give the type, number and country."))
        return data

    def to_input(self) -> services.EntityInput:
        data = self.cleaned_data
        names = [services.NameInput(full_name=data["name"])]
        for i in range(1, MAX_ALIASES + 1):
            alias = (data.get(f"alias_{i}") or "").strip()
            if alias:
                names.append(
                    services.NameInput(
                        full_name=alias, name_type=data.get(f"alias_type_{i}") or NameType.ALIAS
                    )
                )
        addresses = []
        if data.get("municipality"):
            addresses.append(
                services.AddressInput(municipality=data["municipality"], street=data["street"])
            )
        documents = []
        if data.get("document_type") and data.get("document_number"):
            documents.append(
                services.DocumentInput(
                    document_type=data["document_type"],
                    number=data["document_number"],
                    country=data["document_country"],
                )
            )
        return services.EntityInput(
            kind=data["kind"],
            names=names,
            birth_date=data["birth_date"],
            birth_place=data["birth_place"],
            gender=data["gender"],
            nationalities=[c for c in data["nationalities"].split(",") if c.strip()],
            addresses=addresses,
            documents=documents,
            recommended_action=data["recommended_action"],
        )


class ContributionForm(ServiceErrorsMixin, ContributionFieldsMixin):
    text = forms.CharField(
        label=_("Information"),
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["text"])


class VersionedForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ValidateForm(VersionedForm):
    """One or more categories (with sub-status and criteria met) and the threat level."""

    threat_level = forms.TypedChoiceField(
        label=_("Threat level"), choices=[NONE, *ThreatLevel.choices], coerce=int
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [NONE, *sub_status_choices()]
        for i in range(1, MAX_MEMBERSHIPS + 1):
            self.fields[f"category_{i}"] = forms.ChoiceField(
                label=_("Category %(number)d") % {"number": i},
                choices=[NONE, *Category.choices],
                required=i == 1,
            )
            self.fields[f"sub_status_{i}"] = forms.ChoiceField(
                label=_("Sub-status %(number)d") % {"number": i}, choices=statuses, required=False
            )
            self.fields[f"criteria_{i}"] = forms.CharField(
                label=_("Criteria met %(number)d") % {"number": i},
                required=False,
                max_length=5000,
                help_text=_("One criterion a line."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.order_fields([*(f for f in self.fields if f != "threat_level"), "threat_level"])

    def memberships(self) -> list[services.MembershipInput]:
        data = self.cleaned_data
        return [
            services.MembershipInput(
                category=data[f"category_{i}"],
                sub_status=data.get(f"sub_status_{i}") or "",
                criteria_met=[c.strip() for c in data[f"criteria_{i}"].splitlines() if c.strip()],
            )
            for i in range(1, MAX_MEMBERSHIPS + 1)
            if data.get(f"category_{i}")
        ]


class RejectForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    reasons = forms.CharField(
        label=_("Reasons"), max_length=services.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    threat_level = forms.TypedChoiceField(
        label=_("New threat level"),
        choices=[NONE, *ThreatLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


class RelationForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    target = forms.CharField(label=_("Other entry (reference, e.g. P-2026-000042)"), max_length=40)


class RemoveForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (the proposal's reasons if empty)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(ServiceErrorsMixin, forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Reject"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("Reason"), max_length=5000, required=False)


class HitCheckForm(forms.Form):
    name = forms.CharField(label=_("Name"), min_length=2, max_length=300)
    birth_date = _partial_date_field()
