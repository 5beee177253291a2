"""The tamper-evident journal: who did what to which record, and why.

Rows are append-only (database triggers refuse UPDATE and DELETE), chained by SHA-256 and
sealed by keyed checkpoints. A row never holds personal data itself, only references, and has
no foreign key, so nothing cascades into it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    DENIED = "denied", _("Denied")


class AuditEvent(models.Model):
    """One journaled action. `seq` orders the chain; `hash` covers the canonical form."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_code = models.CharField(max_length=40, blank=True, db_index=True)
    # Copied at event time: which oversight body watches the actor (Comité P or R).
    actor_sector = models.CharField(max_length=20, blank=True, db_index=True)
    action = models.CharField(max_length=60, db_index=True)
    # The area an event concerns; "database" events are the COC's.
    domain = models.CharField(max_length=30, blank=True, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    # Metadata only (ids listed, counts, a document's SHA-256), never personal data.
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_username or 'anonymous'}"

    @property
    def reference(self) -> str:
        """The human reference: the place in the chain."""
        return f"EV-{self.seq:09d}"


class ChainHead(models.Model):
    """The one row locked by each append: the last sequence number and hash."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)


class Checkpoint(models.Model):
    """A keyed seal (HMAC-SHA256) over the chain up to `seq`: a cut tail becomes detectable."""

    seq = models.BigIntegerField(unique=True)
    hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField(default=timezone.now)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
