"""Screening runs, their lists and hits, the index's change log, and enumeration alerts.

The engine (`engine.py` and its modules) stays Django-free; these tables hold what the app
keeps of each screening for the retention period (SCREENING_RETENTION_DAYS).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.core.models import Organisation, User


class IndexChange(models.Model):
    """One change to a listed person the indexes must apply (a name, a document, a deletion).

    Written in the registry write's transaction by a signal handler; each process applies the
    rows past the last one it saw. Old rows are purged with the screened lists."""

    id = models.BigAutoField(primary_key=True)
    entity_id = models.UUIDField()
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)


class ScreeningJob(models.Model):
    """One screening: a search-box query, an API call or an uploaded list (a background job)."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Search")
        MATCH = "match", _("Screening call")
        HIT_CHECK = "hit_check", _("Hit/no-hit check")
        LIST = "list", _("List")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    filename = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    total = models.PositiveIntegerField(_("names"), default=0)
    processed = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    threshold = models.FloatField(null=True, blank=True)
    # Bad rows as {"line": n, "error": "..."} (the first few hundred) and their count.
    rejected = models.JSONField(default=list, blank=True)
    rejected_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    # Hashes of the most common name tokens with their counts: enumeration checks, no names.
    token_counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def progress(self) -> int:
        """Per cent done."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0


class ScreeningQuery(models.Model):
    """One row of a screened list, as an engine query (deleted with its job)."""

    job = models.ForeignKey(ScreeningJob, on_delete=models.CASCADE, related_name="queries")
    line = models.PositiveIntegerField()
    query_id = models.CharField(max_length=100)
    name = models.CharField(max_length=500)
    data = models.JSONField()  # the engine query: name, aliases, birth_date, ...

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["job", "line"])]


class ScreeningHit(models.Model):
    """A listed person found for a query, with the score, why, and the reviewer's decision.

    Confirmed hits outlive the retention period: their job and query go, the hit stays."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("To review")
        CONFIRMED = "confirmed", _("Confirmed")
        FALSE_POSITIVE = "false_positive", _("False positive")
        ESCALATED = "escalated", _("Escalated to the body")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(
        ScreeningJob, on_delete=models.SET_NULL, null=True, related_name="hit_rows"
    )
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    line = models.PositiveIntegerField(default=0)
    query_id = models.CharField(max_length=100)
    query = models.JSONField()  # the query as screened
    record_id = models.UUIDField()
    score = models.FloatField()
    explanation = models.JSONField(default=dict)
    summary = models.TextField(blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["line", "-score"]
        indexes = [models.Index(fields=["job", "line"])]


class EnumerationAlert(models.Model):
    """A hit/no-hit user's queries look like enumeration: the body's analysts look into it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=30)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
