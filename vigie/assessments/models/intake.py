"""What reaches the body: events to assess, requests and information reports, attachments."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification
from vigie.core.models import Municipality, Organisation, User, VersionedModel
from vigie.registry.models import Entity

from ..choices import AssessmentKind, EventKind, IntakeKind, IntakeStatus, Urgency


class Event(VersionedModel):
    """An event the body assesses: a festival, a Christmas market, a summit, a visit."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    expected_attendance = models.PositiveIntegerField(
        _("expected attendance"), null=True, blank=True
    )
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The event cannot end before it starts.")})


class IntakeItem(VersionedModel):
    """A partner's request for an assessment or information report, with its deadline.

    The deadline follows the urgency (flash 24 h, urgent 3 days, routine 10 days) or the start
    of the event, whichever comes first. An owner of the body answers it by an assessment.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=IntakeKind.choices)
    subject_kind = models.CharField(
        _("subject"), max_length=20, choices=AssessmentKind.choices, blank=True
    )
    requester_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("requester")
    )
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="intake_items"
    )
    threatened_person = models.CharField(_("threatened person"), max_length=300, blank=True)
    threat_source = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    threat_source_reference = models.CharField(max_length=20, blank=True)
    summary = models.TextField(_("information"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    owner = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED
    )
    classification = models.IntegerField(
        _("classification"), choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    restricted_diffusion = models.BooleanField(_("Diffusion restreinte"), default=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_overdue(self) -> bool:
        open_ = self.status not in {IntakeStatus.ANSWERED, IntakeStatus.CLOSED}
        return open_ and self.deadline < timezone.now()


class Attachment(models.Model):
    """A file sent with an intake item, checked by size and by its content's type."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intake = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="intake/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
