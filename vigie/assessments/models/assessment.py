"""Threat assessments (four-eyes, versioned, classified) and the general level's timeline."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification, ThreatLevel
from vigie.core.models import Organisation, User, VersionedModel
from vigie.documents.models import DeliveryBase, Document
from vigie.registry.models import Entity

from ..choices import AssessmentKind, Language, ReviewStatus
from .intake import Event, IntakeItem


class ReviewedDocument(VersionedModel):
    """What assessments and strategic analyses share: a reference and a revision number, the
    four-eyes review, a marking, a language, and the PDF issued at approval.

    `version` (from VersionedModel) counts edits for If-Match; `revision` numbers corrections:
    a correction of an approved text is a new row with the same reference and revision + 1.
    """

    reference = models.CharField(_("reference"), max_length=20, db_index=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    validator = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    classification = models.IntegerField(
        _("classification"), choices=Classification.choices, default=Classification.RESTREINT
    )
    restricted_diffusion = models.BooleanField(_("Diffusion restreinte"), default=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    # Who will receive it besides the requester: printed on the document at approval.
    distribution = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("distribution")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.reference} v{self.revision}"

    @property
    def is_frozen(self) -> bool:
        """Approved (or delivered) text is immutable: a correction is a new revision."""
        return self.status in {ReviewStatus.APPROVED, ReviewStatus.DELIVERED}


class ThreatAssessment(ReviewedDocument):
    """A point assessment (event, threatened person, threat from a person or group) or the
    general level (national, and per area where it differs), with the method's ratings."""

    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    intake = models.ForeignKey(
        IntakeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    requester_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The subject: one of these, by kind.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    threatened_person = models.CharField(_("threatened person"), max_length=300, blank=True)
    # A listed person or group: survives the entry's removal through the copied reference.
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entity_reference = models.CharField(_("person or group"), max_length=20, blank=True)
    area = models.CharField(_("area"), max_length=5, blank=True)
    # General level only: {area code: level} where an area differs from the national level.
    area_levels = models.JSONField(_("levels per area"), default=dict, blank=True)
    # Same subject, same key: a newer approved assessment supersedes the older.
    subject_key = models.CharField(max_length=80, db_index=True)
    ratings = models.JSONField(_("ratings"), default=dict, blank=True)
    proposed_level = models.PositiveSmallIntegerField(
        _("proposed level"), choices=ThreatLevel.choices, null=True, blank=True
    )
    level = models.PositiveSmallIntegerField(
        _("level"), choices=ThreatLevel.choices, null=True, blank=True
    )
    level_justification = models.TextField(_("justification of the level"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "revision"], name="unique_assessment_revision"
            )
        ]

    @property
    def own_initiative(self) -> bool:
        return self.intake_id is None


class Recipient(DeliveryBase):
    """An organisation that received an assessment in its Vigie inbox."""

    delivered_field = "assessment"
    assessment = models.ForeignKey(
        ThreatAssessment, on_delete=models.CASCADE, related_name="recipients"
    )

    class Meta(DeliveryBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "organisation"], name="one_delivery_per_organisation"
            )
        ]


class GeneralThreatLevel(models.Model):
    """One step of the general level's timeline: an area's level from an approved assessment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        ThreatAssessment, on_delete=models.PROTECT, related_name="general_levels"
    )
    area = models.CharField(_("area"), max_length=5, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=ThreatLevel.choices)
    effective_from = models.DateTimeField(_("since"), db_index=True)

    class Meta:
        ordering = ["-effective_from", "area"]
