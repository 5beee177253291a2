"""Issued documents and their delivery: shared by assessments, analyses and measures.

`Document` is the PDF as issued (bytes and SHA-256), stored once and never regenerated.
`DeliveryBase` is the reusable shape of a delivery to one organisation: each app that
delivers something subclasses it with a foreign key to what it delivers, and the services of
`vigie.documents.services` deliver, notify and record acknowledgements for any such subclass.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.core.choices import Classification
from vigie.core.models import Organisation, User


class Document(models.Model):
    """A PDF as issued: the exact bytes, their SHA-256 and the marking printed on them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=30, db_index=True)
    revision = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=5)
    classification = models.IntegerField(_("classification"), choices=Classification.choices)
    # What the document shows (e.g. "assessment" and its id): no foreign key, so any app may
    # issue documents without this app knowing it.
    target_type = models.CharField(max_length=40)
    target_id = models.UUIDField()
    filename = models.CharField(max_length=120)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.filename


class DeliveryBase(models.Model):
    """One organisation's copy of a delivered document: when sent, when acknowledged, by whom.

    Subclasses add the foreign key to what is delivered, named by `delivered_field`.
    """

    delivered_field = ""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    delivered_at = models.DateTimeField(_("delivered"), default=timezone.now)
    delivered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied, so that the acknowledgement survives the account.
    acknowledged_by_username = models.CharField(max_length=150, blank=True)

    class Meta:
        abstract = True
        ordering = ["delivered_at"]

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None
