"""Individual administrative measures: cases, consultations, advice, decisions, reviews,
appeals, and the publications of the national list (DOMAIN.md §3).

A case refers to an entry of the common database by foreign key (read through
`registry.selectors`) and keeps a copy of its reference, so that its history survives.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification
from vigie.core.models import Organisation, User, VersionedModel
from vigie.documents.models import DeliveryBase, Document
from vigie.registry.models import Entity

from .choices import (
    AdviceKind,
    AdviceStatus,
    AnswerKind,
    AppealOutcome,
    CaseStatus,
    DecisionOutcome,
    Language,
    MeasureType,
    Origin,
    Recommendation,
    ReviewOutcome,
)


class MeasureCase(VersionedModel):
    """One measure about one entry of the common database, from proposal to its end."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    measure_type = models.CharField(_("measure"), max_length=30, choices=MeasureType.choices)
    family = models.CharField(_("family"), max_length=20, editable=False)
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("person")
    )
    entity_reference = models.CharField(_("person or organisation"), max_length=20)
    entity_name = models.CharField(_("name"), max_length=300)
    authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("authority")
    )
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)
    proposer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposer = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reasons = models.TextField(_("reasons"))
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    linked_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="linked_cases"
    )
    period_start = models.DateField(_("in force from"), null=True, blank=True)
    period_end = models.DateField(_("in force until"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "measure_type"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.measure_type}"


class CaseEvent(models.Model):
    """The readable history of a case: each step, by whom, with what (deleted with the case)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(MeasureCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by_username = models.CharField(max_length=150)
    by_organisation = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=40)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at"]


class Consultation(models.Model):
    """A partner consulted on a case, with its deadline and its answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(MeasureCase, on_delete=models.CASCADE, related_name="consultations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    deadline = models.DateField(_("deadline"))
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    question = models.TextField(_("question"), blank=True)
    answer = models.CharField(_("answer"), max_length=12, choices=AnswerKind.choices, blank=True)
    answer_text = models.TextField(_("answer text"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by_username = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="one_consultation_per_partner"
            )
        ]

    def is_late(self, today=None) -> bool:  # type: ignore[no-untyped-def]
        return not self.answer and self.deadline < (today or timezone.localdate())


class Advice(VersionedModel):
    """The body's reasoned advice to the authority, four-eyes, issued as a marked PDF."""

    case = models.ForeignKey(MeasureCase, on_delete=models.CASCADE, related_name="advices")
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AdviceKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    classification = models.IntegerField(
        _("classification"), choices=Classification.choices, default=Classification.RESTREINT
    )
    restricted_diffusion = models.BooleanField(_("Diffusion restreinte"), default=True)
    facts = models.TextField(_("facts"), blank=True)
    criteria = models.TextField(_("criteria met"), blank=True)
    proportionality = models.TextField(_("proportionality"), blank=True)
    consultations_outcome = models.TextField(_("outcome of the consultations"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=14, choices=Recommendation.choices, blank=True
    )
    recommendation_text = models.TextField(_("recommendation (reasons)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AdviceStatus.choices, default=AdviceStatus.DRAFT
    )
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    validator = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.reference


class AdviceDelivery(DeliveryBase):
    """The authority's copy of an advice, in its Vigie inbox (the shared delivery pattern)."""

    delivered_field = "advice"
    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="recipients")

    class Meta(DeliveryBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["advice", "organisation"], name="one_advice_delivery_per_organisation"
            )
        ]


class Decision(models.Model):
    """The authority's decision as the body received it (recorded by the body)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(MeasureCase, on_delete=models.CASCADE, related_name="decisions")
    advice = models.OneToOneField(Advice, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("reference of the decision or Royal Decree"), max_length=120)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["decided_on", "recorded_at"]


class FreezeReview(models.Model):
    """A six-monthly review of an asset freeze: scheduled, reminded, then decided."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(MeasureCase, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(_("due on"), db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    reasons = models.TextField(_("reasons"), blank=True)
    advice = models.ForeignKey(
        Advice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]


class Appeal(models.Model):
    """An appeal against a measure (e.g. before the Council of State) and its outcome."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(MeasureCase, on_delete=models.CASCADE, related_name="appeals")
    court = models.CharField(_("court"), max_length=200)
    lodged_on = models.DateField(_("lodged on"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["lodged_on"]


class Publication(models.Model):
    """One publication of the national list: its entries as published and their hash.

    Kept so that the next one can be compared with it (added, removed, changed)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    entries = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64, db_index=True)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
