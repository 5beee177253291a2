"""Forms of the assessments UI: input shapes only; the rules live in services and the method.

Reference data (organisations, provinces, municipalities) fills the selects. Persons and groups
are chosen by their reference among the entities the user may see (the registry's selector);
nothing here touches a manager of personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification, ThreatLevel
from vigie.core.models import Organisation, Province, User
from vigie.registry import selectors as registry_selectors
from vigie.registry.forms import PageForm, ServiceErrorsMixin, municipality_choices

from . import method, services
from .choices import (
    BRUSSELS_REGION,
    INTAKE_TRANSITIONS,
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

__all__ = ["PageForm"]

ANY = ("", _("Any"))
NOT_RATED = ("", _("Not rated"))
RATINGS = [NOT_RATED, ("0", _("0 – absent")), ("1", _("1 – low")), ("2", _("2 – medium")),
           ("3", _("3 – high"))]  # fmt: skip
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def classification_choices(user: User, *, minimum: int) -> list[tuple[int, Any]]:
    """Markings from `minimum` up to the user's own clearance (no text above what one may read)."""
    return [(v, label) for v, label in Classification.choices if minimum <= v <= user.clearance]


def organisation_choices() -> list[tuple[str, str]]:
    return [(o.code, o.name) for o in Organisation.objects.filter(is_active=True).order_by("code")]


def area_choices() -> list[tuple[str, str]]:
    provinces = [(p.nis_code, p.name) for p in Province.objects.order_by("name_fr")]
    return [(BRUSSELS_REGION, str(_("Brussels-Capital Region"))), *provinces]


def entity_by_reference(actor: User, reference: str) -> Any:
    """A person or group the actor may see, by its reference; None otherwise."""
    reference = reference.strip().upper()
    if not reference:
        return None
    return registry_selectors.visible_entities(actor).filter(reference=reference).first()


class VersionForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- Intake ----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class IntakeForm(ServiceErrorsMixin, forms.Form):
    """A request for an assessment or an information report, with attachments."""

    service_fields = {
        "deadline": "requested_deadline",
        "threat_source_id": "threat_source",
        "name": "event_name",
        "kind_of_event": "event_kind",
        "start_date": "event_start",
        "end_date": "event_end",
        "municipality": "event_municipality",
    }

    kind = forms.ChoiceField(label=_("What you send"), choices=IntakeKind.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices,
                                initial=Urgency.ROUTINE)  # fmt: skip
    subject_kind = forms.ChoiceField(
        label=_("Subject"), choices=[("", "—"), *AssessmentKind.choices[:3]], required=False
    )
    event_name = forms.CharField(label=_("Event name"), max_length=300, required=False)
    event_kind = forms.ChoiceField(
        label=_("Kind of event"), choices=[("", "—"), *EventKind.choices], required=False
    )
    event_start = forms.DateField(label=_("First day"), required=False, widget=DATE)
    event_end = forms.DateField(label=_("Last day"), required=False, widget=DATE)
    event_municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    event_venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    event_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=0, required=False
    )
    event_organiser = forms.CharField(label=_("Organiser"), max_length=300, required=False)
    event_description = forms.CharField(
        label=_("Description of the event"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    threatened_person = forms.CharField(
        label=_("Threatened person"),
        max_length=300,
        required=False,
        help_text=_('Name and office, e.g. "Mayor of Fictiville".'),
    )
    threat_source = forms.CharField(
        label=_("Person or group who threatens (reference)"),
        max_length=20,
        required=False,
        help_text=_("The reference of an entry of the common database you may see (P-…)."),
    )
    summary = forms.CharField(label=_("Request or information"), widget=forms.Textarea)
    requested_deadline = forms.DateTimeField(
        label=_("Answer needed by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, initial=0)
    restricted_diffusion = forms.BooleanField(label=_("Diffusion restreinte"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, text, Word (docx), PNG or JPEG; at most 10 MB each."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["event_municipality"].choices = [("", "—"), *municipality_choices()]
        self.fields["classification"].choices = classification_choices(actor, minimum=0)

    def clean_threat_source(self) -> Any:
        reference = self.cleaned_data.get("threat_source", "")
        if not reference.strip():
            return None
        entity = entity_by_reference(self.actor, reference)
        if entity is None:
            raise forms.ValidationError(
                _("No person or group with this reference that you may see.")
            )
        return entity

    def clean_attachments(self) -> list[services.AttachmentInput]:
        limit = settings.ASSESSMENT_ATTACHMENT_MAX_BYTES
        items = []
        for upload in self.cleaned_data.get("attachments") or []:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is too large: at most %(limit)d MB.")
                    % {"name": upload.name[:100], "limit": max(1, limit // (1024 * 1024))}
                )
            # Bytes and name, as the API passes them: the service recognises the type by content.
            items.append(services.AttachmentInput(name=upload.name, content=upload.read()))
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        event_fields = (
            "event_name",
            "event_kind",
            "event_start",
            "event_end",
            "event_municipality",
        )
        if any(data.get(f) for f in event_fields):
            for name in event_fields:
                if not data.get(name):
                    self.add_error(name, _("Needed to describe the event."))
        return data

    def to_input(self) -> services.IntakeInput:
        data = self.cleaned_data
        event = None
        if data.get("event_name"):
            event = services.EventInput(
                name=data["event_name"],
                kind=data["event_kind"],
                start_date=data["event_start"],
                end_date=data["event_end"],
                municipality=data["event_municipality"],
                venue=data["event_venue"],
                expected_attendance=data["event_attendance"],
                organiser=data["event_organiser"],
                description=data["event_description"],
            )
        source = data.get("threat_source")
        return services.IntakeInput(
            kind=data["kind"],
            urgency=data["urgency"],
            summary=data["summary"],
            subject_kind=data["subject_kind"],
            event=event,
            threatened_person=data["threatened_person"],
            threat_source_id=source.id if source else None,
            requested_deadline=data["requested_deadline"],
            classification=data["classification"],
            restricted_diffusion=data["restricted_diffusion"],
            attachments=data["attachments"],
        )


class AssignForm(VersionForm):
    owner = forms.CharField(label=_("Owner (username)"), max_length=150)


class IntakeStatusForm(VersionForm):
    status = forms.ChoiceField(label=_("Move to"), choices=IntakeStatus.choices)

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current:
            allowed = INTAKE_TRANSITIONS[IntakeStatus(current)]
            self.fields["status"].choices = [c for c in IntakeStatus.choices if c[0] in allowed]


class IntakeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *IntakeStatus.choices],
                               required=False)  # fmt: skip
    urgency = forms.ChoiceField(label=_("Urgency"), choices=[ANY, *Urgency.choices],
                                required=False)  # fmt: skip
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


# --- Assessments -------------------------------------------------------------------------------


class AssessmentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *AssessmentKind.choices],
                             required=False)  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *ReviewStatus.choices],
                               required=False)  # fmt: skip
    reference = forms.CharField(label=_("Reference"), max_length=20, required=False)
    current = forms.NullBooleanField(
        label=_("Current only"),
        required=False,
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class AssessmentForm(ServiceErrorsMixin, forms.Form):
    """A draft: subject (at creation), ratings, levels, text, validity, marking, distribution.

    Ratings are one field per published factor of the kind (`rating_<factor>`)."""

    service_fields = {"event_id": "event_name", "entity_id": "entity", "ratings": "__all__"}

    level = forms.TypedChoiceField(
        label=_("Final level"),
        choices=[("", "—"), *ThreatLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    level_justification = forms.CharField(
        label=_("Justification of the level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the final level differs from the method's proposal."),
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    review_date = forms.DateField(
        label=_("Review date (end of validity)"), required=False, widget=DATE
    )
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, initial=1)
    restricted_diffusion = forms.BooleanField(label=_("Diffusion restreinte"), required=False)
    language = forms.ChoiceField(label=_("Language of the document"), choices=Language.choices)
    distribution = forms.MultipleChoiceField(
        label=_("Distribution (recipient organisations)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, actor: User, kind: str, creating: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.kind, self.creating = actor, kind, creating
        self.fields["classification"].choices = classification_choices(actor, minimum=1)
        self.fields["distribution"].choices = organisation_choices()
        self.factor_names = method.factors_for(kind)
        for name in self.factor_names:
            self.fields[f"rating_{name}"] = forms.TypedChoiceField(
                label=method.FACTOR_LABELS.get(name, name),
                choices=RATINGS,
                coerce=int,
                empty_value=None,
                required=False,
            )
        if kind == AssessmentKind.GENERAL:
            for code, name in area_choices():
                self.fields[f"area_{code}"] = forms.TypedChoiceField(
                    label=name,
                    choices=[("", _("As the national level")), *ThreatLevel.choices],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
        if kind == AssessmentKind.EVENT:
            self.fields.pop("review_date")
        if creating:
            self._subject_fields()

    def _subject_fields(self) -> None:
        """The subject is chosen once, at creation (from the request when there is one)."""
        if self.kind == AssessmentKind.EVENT:
            self.fields["event_name"] = forms.CharField(label=_("Event name"), max_length=300)
            self.fields["event_kind"] = forms.ChoiceField(
                label=_("Kind of event"), choices=EventKind.choices
            )
            self.fields["event_start"] = forms.DateField(label=_("First day"), widget=DATE)
            self.fields["event_end"] = forms.DateField(label=_("Last day"), widget=DATE)
            self.fields["event_municipality"] = forms.ChoiceField(
                label=_("Municipality"), choices=municipality_choices()
            )
            self.fields["event_venue"] = forms.CharField(
                label=_("Venue"), max_length=300, required=False
            )
        elif self.kind == AssessmentKind.THREATENED_PERSON:
            self.fields["threatened_person"] = forms.CharField(
                label=_("Threatened person"), max_length=300
            )
        elif self.kind == AssessmentKind.THREAT_SOURCE:
            self.fields["entity"] = forms.CharField(
                label=_("Person or group (reference)"), max_length=20
            )

    def rating_fields(self) -> list[Any]:
        return [self[f"rating_{name}"] for name in self.factor_names]

    def area_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("area_")]

    def subject_fields(self) -> list[Any]:
        names = ("event_name", "event_kind", "event_start", "event_end", "event_municipality",
                 "event_venue", "threatened_person", "entity")  # fmt: skip
        return [self[n] for n in names if n in self.fields]

    def other_fields(self) -> list[Any]:
        special = {f.name for f in (*self.rating_fields(), *self.area_fields(),
                                    *self.subject_fields())}  # fmt: skip
        return [self[n] for n in self.fields if n not in special]

    def clean_entity(self) -> Any:
        entity = entity_by_reference(self.actor, self.cleaned_data.get("entity", ""))
        if entity is None:
            raise forms.ValidationError(
                _("No person or group with this reference that you may see.")
            )
        return entity

    def ratings(self) -> dict[str, int]:
        return {
            name: self.cleaned_data[f"rating_{name}"]
            for name in self.factor_names
            if self.cleaned_data.get(f"rating_{name}") is not None
        }

    def area_levels(self) -> dict[str, int]:
        return {
            name.removeprefix("area_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("area_") and value is not None
        }

    def changes(self) -> dict[str, Any]:
        """The editable fields, as `assessment_update` takes them."""
        data = self.cleaned_data
        changes = {
            "ratings": self.ratings(),
            "level": data["level"],
            "level_justification": data["level_justification"],
            "rationale": data["rationale"],
            "classification": data["classification"],
            "restricted_diffusion": data["restricted_diffusion"],
            "language": data["language"],
            "distribution": list(data["distribution"]),
        }
        if "review_date" in self.fields:
            changes["review_date"] = data["review_date"]
        if self.kind == AssessmentKind.GENERAL:
            changes["area_levels"] = self.area_levels()
        return changes

    def event_input(self) -> services.EventInput:
        data = self.cleaned_data
        return services.EventInput(
            name=data["event_name"],
            kind=data["event_kind"],
            start_date=data["event_start"],
            end_date=data["event_end"],
            municipality=data["event_municipality"],
            venue=data.get("event_venue", ""),
        )

    def to_input(self, **subject: Any) -> services.AssessmentInput:
        changes = self.changes()
        if self.creating and self.kind == AssessmentKind.THREATENED_PERSON:
            subject.setdefault("threatened_person", self.cleaned_data["threatened_person"])
        if self.creating and self.kind == AssessmentKind.THREAT_SOURCE:
            subject.setdefault("entity_id", self.cleaned_data["entity"].id)
        return services.AssessmentInput(kind=self.kind, **changes, **subject)

    @classmethod
    def initial_from(cls, assessment: Any) -> dict[str, Any]:
        initial = {
            "level": assessment.level,
            "level_justification": assessment.level_justification,
            "rationale": assessment.rationale,
            "review_date": assessment.review_date,
            "classification": assessment.classification,
            "restricted_diffusion": assessment.restricted_diffusion,
            "language": assessment.language,
            "distribution": [o.code for o in assessment.distribution.all()],
            "version": assessment.version,
        }
        initial |= {f"rating_{k}": v for k, v in (assessment.ratings or {}).items()}
        initial |= {f"area_{k}": v for k, v in (assessment.area_levels or {}).items()}
        return initial


class AssessmentEditForm(AssessmentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(VersionForm):
    reason = forms.CharField(
        label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AsKnownOnForm(forms.Form):
    SUBJECTS = [
        ("area", _("Area of the general level")),
        ("entity", _("Person or group of the common database (reference)")),
        ("person", _("Threatened person (name)")),
        ("event", _("Event (reference)")),
    ]
    subject_type = forms.ChoiceField(label=_("Subject"), choices=SUBJECTS)
    area = forms.ChoiceField(label=_("Area"), required=False)
    value = forms.CharField(label=_("Reference or name"), max_length=300, required=False)
    on = forms.DateField(label=_("On"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("BE", _("Belgium (national)")), *area_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("subject_type") in {"entity", "person", "event"}
            and not (data.get("value") or "").strip()
        ):
            self.add_error("value", _("Give the reference or the name."))
        return data


# --- Strategic analyses and infrastructure ----------------------------------------------------


def _references(text: str) -> list[str]:
    return [r.strip().upper() for r in text.replace(";", ",").split(",") if r.strip()]


class AnalysisForm(ServiceErrorsMixin, forms.Form):
    service_fields = {"entity_ids": "entities", "assessment_ids": "assessments",
                      "infrastructure_ids": "infrastructures"}  # fmt: skip

    title = forms.CharField(label=_("Title"), max_length=300)
    topic = forms.ChoiceField(label=_("Topic"))
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    entities = forms.CharField(
        label=_("Persons and groups (references, comma-separated)"), required=False
    )
    assessments = forms.CharField(
        label=_("Assessments (references, comma-separated)"), required=False
    )
    infrastructures = forms.MultipleChoiceField(
        label=_("Critical infrastructure"), required=False, widget=forms.CheckboxSelectMultiple
    )
    review_date = forms.DateField(label=_("Review date"), required=False, widget=DATE)
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, initial=1)
    restricted_diffusion = forms.BooleanField(label=_("Diffusion restreinte"), required=False)
    language = forms.ChoiceField(label=_("Language of the document"), choices=Language.choices)
    distribution = forms.MultipleChoiceField(
        label=_("Distribution (recipient organisations)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        actor: User,
        topics: list[Any],
        infrastructures: list[Any],
        find_assessment: Callable[[str], Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.find_assessment = find_assessment
        self.fields["topic"].choices = [(t.code, t.name_en) for t in topics]
        self.fields["infrastructures"].choices = [(str(i.id), str(i)) for i in infrastructures]
        self.fields["classification"].choices = classification_choices(actor, minimum=1)
        self.fields["distribution"].choices = organisation_choices()

    def clean_entities(self) -> list[Any]:
        ids = []
        for reference in _references(self.cleaned_data.get("entities", "")):
            entity = entity_by_reference(self.actor, reference)
            if entity is None:
                raise forms.ValidationError(
                    _("%(ref)s: no person or group with this reference that you may see.")
                    % {"ref": reference[:20]}
                )
            ids.append(entity.id)
        return ids

    def clean_assessments(self) -> list[Any]:
        ids = []
        for reference in _references(self.cleaned_data.get("assessments", "")):
            found = self.find_assessment(reference)
            if found is None:
                raise forms.ValidationError(
                    _("%(ref)s: no assessment with this reference that you may open.")
                    % {"ref": reference[:20]}
                )
            ids.append(found.id)
        return ids

    def to_input(self) -> services.AnalysisInput:
        data = self.cleaned_data
        return services.AnalysisInput(
            title=data["title"],
            topic=data["topic"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            text=data["text"],
            classification=data["classification"],
            restricted_diffusion=data["restricted_diffusion"],
            language=data["language"],
            review_date=data["review_date"],
            entity_ids=data["entities"],
            assessment_ids=data["assessments"],
            infrastructure_ids=list(data["infrastructures"]),
            distribution=list(data["distribution"]),
        )

    @classmethod
    def initial_from(cls, analysis: Any) -> dict[str, Any]:
        return {
            "title": analysis.title,
            "topic": analysis.topic_id,
            "period_start": analysis.period_start,
            "period_end": analysis.period_end,
            "text": analysis.text,
            "entities": ", ".join(e.reference for e in analysis.entities.all()),
            "assessments": ", ".join(sorted({a.reference for a in analysis.assessments.all()})),
            "infrastructures": [str(i.id) for i in analysis.infrastructures.all()],
            "review_date": analysis.review_date,
            "classification": analysis.classification,
            "restricted_diffusion": analysis.restricted_diffusion,
            "language": analysis.language,
            "distribution": [o.code for o in analysis.distribution.all()],
            "version": analysis.version,
        }


class InfrastructureForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    sector = forms.ChoiceField(label=_("Sector"), choices=InfrastructureSector.choices)
    operator = forms.CharField(label=_("Operator"), max_length=300)
    municipality = forms.ChoiceField(label=_("Municipality"))
    designation_reference = forms.CharField(label=_("Designation reference"), max_length=100)
    designation_date = forms.DateField(label=_("Designation date"), widget=DATE)
    scope = forms.ChoiceField(label=_("Scope"), choices=InfrastructureScope.choices)
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, initial=1)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipality_choices()
        self.fields["classification"].choices = classification_choices(actor, minimum=0)

    def to_input(self) -> services.InfrastructureInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return services.InfrastructureInput(**data)

    @classmethod
    def initial_from(cls, infra: Any) -> dict[str, Any]:
        names = ("name", "sector", "operator", "designation_reference", "designation_date",
                 "scope", "classification", "version")  # fmt: skip
        return {**{n: getattr(infra, n) for n in names}, "municipality": infra.municipality_id}
