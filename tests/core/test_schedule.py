"""The worker's schedule queues each periodic task once per interval, across workers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vigie.core.models import ScheduledRun
from vigie.core.schedule import SCHEDULE, enqueue_due

pytestmark = pytest.mark.django_db


def test_each_task_is_queued_once_per_interval():
    now = timezone.now()
    first = enqueue_due(now)
    assert first == [name for name, _ in SCHEDULE]
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    # A second worker a minute later queues nothing.
    assert enqueue_due(now + timedelta(minutes=1)) == []
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    # After an hour the hourly tasks are due again, the daily one is not.
    hourly = [name for name, every in SCHEDULE if every <= 3600]
    assert enqueue_due(now + timedelta(hours=1, seconds=1)) == hourly
    assert ScheduledRun.objects.count() == len(SCHEDULE)


def test_every_scheduled_task_runs():
    # Called in-process: db_worker would close the test's connection on PostgreSQL.
    from django.utils.module_loading import import_string

    for name, _every in SCHEDULE:
        import_string(name).call()
