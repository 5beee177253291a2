"""`vigie worker`: the background worker (django-tasks' database backend)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run queued background tasks until stopped."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args: object, batch: bool, **options: object) -> None:
        argv = ["--interval", "1"]
        if batch:
            argv += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *argv)
