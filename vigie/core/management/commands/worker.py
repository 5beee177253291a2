"""`vigie worker`: the background worker (django-tasks' database backend) and the schedule."""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from vigie.core.schedule import enqueue_due

log = logging.getLogger(__name__)
SCHEDULE_CHECK_SECONDS = 60


def _schedule_loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            for name in enqueue_due():
                log.info("scheduled %s", name)
        except Exception:  # the schedule must never stop the worker
            log.exception("scheduling failed")
        finally:
            connection.close()
        stop.wait(SCHEDULE_CHECK_SECONDS)


class Command(BaseCommand):
    help = "Run queued background tasks until stopped, and queue the periodic ones."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args: object, batch: bool, **options: object) -> None:
        argv = ["--interval", "1"]
        if batch:
            enqueue_due()
            call_command("db_worker", *argv, "--batch", "--no-startup-delay")
            return
        stop = threading.Event()
        threading.Thread(target=_schedule_loop, args=(stop,), daemon=True).start()
        try:
            call_command("db_worker", *argv)
        finally:
            stop.set()
