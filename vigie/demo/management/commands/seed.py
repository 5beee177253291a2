"""`vigie seed`: reference data, and with --demo the fictitious demo accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vigie.core.organisations import load_organisations
from vigie.core.reference import load_territory


class Command(BaseCommand):
    help = "Load reference data; with --demo, the fictitious demo accounts (VIGIE_DEMO=1 only)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--demo", action="store_true", help="create the demo accounts (needs VIGIE_DEMO=1)"
        )
        parser.add_argument(
            "--reset-profiles",
            action="store_true",
            help="put the reference organisations' access profiles back to docs/organisations.md",
        )

    def handle(self, *args: object, demo: bool, reset_profiles: bool, **options: object) -> None:
        # Refuse before writing anything: demo accounts have a published password.
        if demo and not settings.DEMO:
            raise CommandError("demo data needs VIGIE_DEMO=1 (never on a production database)")
        load_territory()
        changed = load_organisations(update_profiles=reset_profiles)
        self.stdout.write(f"reference data loaded ({changed} organisation(s) created or updated)")
        if demo:
            from vigie.demo.accounts import create_demo_accounts

            created = create_demo_accounts()
            self.stdout.write(f"demo accounts: {len(created)} created")
