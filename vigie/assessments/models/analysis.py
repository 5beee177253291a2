"""Strategic analyses of trends, and the register of critical infrastructure."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification
from vigie.core.models import Municipality, User, VersionedModel
from vigie.documents.models import DeliveryBase
from vigie.registry.models import Entity

from ..choices import InfrastructureScope, InfrastructureSector
from .assessment import ReviewedDocument, ThreatAssessment
from .intake import Event


class Topic(models.Model):
    """A topic of strategic analysis (jihadism, far right, ...): data the body extends."""

    code = models.SlugField(max_length=40, primary_key=True)
    name_fr = models.CharField(max_length=200)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_en


class CriticalInfrastructure(VersionedModel):
    """An infrastructure the Crisis Centre designated as critical (national or European)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    sector = models.CharField(_("sector"), max_length=20, choices=InfrastructureSector.choices)
    operator = models.CharField(_("operator"), max_length=300)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    designation_reference = models.CharField(_("designation reference"), max_length=100)
    designation_date = models.DateField(_("designation date"))
    scope = models.CharField(_("scope"), max_length=10, choices=InfrastructureScope.choices)
    classification = models.IntegerField(
        _("classification"), choices=Classification.choices, default=Classification.RESTREINT
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class StrategicAnalysis(ReviewedDocument):
    """An analysis of a trend over a period, linked to persons, groups, events, assessments and
    infrastructure; reviewed, classified, issued and delivered as assessments are."""

    title = models.CharField(_("title"), max_length=300)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="analyses")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    text = models.TextField(_("text"))
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    entities = models.ManyToManyField(Entity, blank=True, related_name="+")
    events = models.ManyToManyField(Event, blank=True, related_name="analyses")
    assessments = models.ManyToManyField(ThreatAssessment, blank=True, related_name="analyses")
    infrastructures = models.ManyToManyField(
        CriticalInfrastructure, blank=True, related_name="analyses"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "revision"], name="unique_analysis_revision"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="analysis_period_in_order",
            ),
        ]


class AnalysisRecipient(DeliveryBase):
    """An organisation that received a strategic analysis."""

    delivered_field = "analysis"
    analysis = models.ForeignKey(
        StrategicAnalysis, on_delete=models.CASCADE, related_name="recipients"
    )

    class Meta(DeliveryBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "organisation"], name="one_analysis_delivery_per_organisation"
            )
        ]
