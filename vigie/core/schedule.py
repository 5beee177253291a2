"""Periodic work, queued by `vigie worker`: expiries, reminders, retention.

Each entry is a django-tasks task and its interval. The last queueing time is kept in the
database under a row lock, so several workers never queue the same run twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from vigie.core.models import ScheduledRun

HOUR = 3600
SCHEDULE: tuple[tuple[str, int], ...] = (
    ("vigie.assessments.tasks.expire_assessments", HOUR),
    ("vigie.measures.tasks.expire_measures", HOUR),
    ("vigie.measures.tasks.remind_reviews", 6 * HOUR),
    ("vigie.screening.tasks.purge_screenings", 24 * HOUR),
)


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Queue every scheduled task whose interval has passed; returns their names."""
    now = now or timezone.now()
    queued = []
    for name, every in SCHEDULE:
        with transaction.atomic():
            run, _ = ScheduledRun.objects.select_for_update().get_or_create(name=name)
            due = run.last_enqueued_at is None or now - run.last_enqueued_at >= timedelta(
                seconds=every
            )
            if not due:
                continue
            import_string(name).enqueue()
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            queued.append(name)
    return queued
