"""`vigie seed`: reference data, and with --demo the fictitious demo data."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from vigie.core.reference import load_territory


class Command(BaseCommand):
    help = "Load reference data; with --demo, the fictitious demo accounts and data."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--demo", action="store_true")

    def handle(self, *args: object, demo: bool, **options: object) -> None:
        load_territory()
        self.stdout.write("reference data loaded")
