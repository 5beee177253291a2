"""`vigie seed`: reference data; --demo the fictitious demo accounts; --persons fictitious persons.

Persons are fictitious and only ever seeded in demo mode (VIGIE_DEMO=1) or with an explicit
--fictitious, so that nobody fills a production database with them by accident.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from vigie.core.management.base import VigieCommand
from vigie.core.organisations import load_organisations
from vigie.core.reference import load_territory

MAX_PERSONS = 10_000_000


def parse_count(value: Any, option: str) -> int | None:
    """A count given on the command line, or None when absent; refuses anything else."""
    if value is None:
        return None
    try:
        count = int(str(value).strip())
    except ValueError:
        raise CommandError(f"{option} needs a whole number (got {str(value)[:20]!r})") from None
    if not 0 <= count <= MAX_PERSONS:
        raise CommandError(f"{option} must be between 0 and {MAX_PERSONS:,} (got {count})")
    return count


def seed_persons(
    *, count: int, seed: int | None = None, batch_size: int = 1000, progress: bool = True
) -> int:
    """Generate and load `count` fictitious validated persons (and ~2 % pending proposals,
    a few groups); returns the number of entities written."""
    from tqdm import tqdm

    from vigie.demo.generator import PersonGenerator
    from vigie.registry.bulk_services import entity_bulk_load, municipality_codes, serial_start

    first_serial = serial_start()
    generator = PersonGenerator(
        # A new seed per run unless given: adding persons adds new people.
        seed=seed if seed is not None else 2026 + first_serial,
        first_serial=first_serial,
        municipalities=municipality_codes(),
    )
    proposals = count // 50
    groups = count // 150 if count >= 50 else 0
    with tqdm(
        total=count + proposals + groups,
        unit="entity",
        file=sys.stderr,
        disable=not progress,
        mininterval=0.5,
        desc="seeding",
    ) as bar:
        written = entity_bulk_load(
            records=generator.generate(count, proposals=proposals),
            batch_size=batch_size,
            progress=bar.update,
        )
    refresh_planner_statistics()
    return written


def refresh_planner_statistics() -> None:
    """After a bulk load the query planner's statistics are stale (SQLite has none at all
    until ANALYZE), and it picks poor plans for the filtered list."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Command(VigieCommand):
    help = (
        "Load reference data; with --demo, the fictitious demo accounts; with --persons, "
        "fictitious persons (both need VIGIE_DEMO=1 or, for persons, --fictitious)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--demo", action="store_true", help="create the demo accounts (needs VIGIE_DEMO=1)"
        )
        parser.add_argument(
            "--reset-profiles",
            action="store_true",
            help="put the reference organisations' access profiles back to docs/organisations.md",
        )
        # Parsed by hand: a bad value is one line and exit 1, like every other vigie error.
        parser.add_argument("--persons", metavar="N", help="add N fictitious validated persons")
        parser.add_argument(
            "--initial-persons",
            metavar="N",
            help="seed N fictitious persons only if the database holds none (make demo)",
        )
        parser.add_argument(
            "--fictitious",
            action="store_true",
            help="allow fictitious persons outside demo mode (benchmarks)",
        )
        parser.add_argument("--random-seed", metavar="N", help="generator seed (reproducible)")
        parser.add_argument("--batch-size", metavar="N", default="1000")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: object, **options: Any) -> None:
        demo, reset_profiles = options["demo"], options["reset_profiles"]
        persons = parse_count(options["persons"], "--persons")
        initial = parse_count(options["initial_persons"], "--initial-persons")
        seed = parse_count(options["random_seed"], "--random-seed")
        batch_size = parse_count(options["batch_size"], "--batch-size") or 0
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        # Refuse before writing anything: demo accounts have a published password.
        if demo and not settings.DEMO:
            raise CommandError("demo data needs VIGIE_DEMO=1 (never on a production database)")
        wants_persons = bool(persons) or bool(initial)
        if wants_persons and not (settings.DEMO or options["fictitious"]):
            raise CommandError(
                "fictitious persons need VIGIE_DEMO=1 or --fictitious "
                "(never on a production database)"
            )
        load_territory()
        changed = load_organisations(update_profiles=reset_profiles)
        self.stdout.write(f"reference data loaded ({changed} organisation(s) created or updated)")
        if demo:
            from vigie.demo.accounts import create_demo_accounts

            created = create_demo_accounts()
            self.stdout.write(f"demo accounts: {len(created)} created")
        if initial:
            from vigie.registry.bulk_services import person_count

            existing = person_count()
            if existing:
                self.stdout.write(f"persons: {existing} already present, none added")
            else:
                persons = (persons or 0) + initial
        if persons:
            written = seed_persons(
                count=persons,
                seed=seed,
                batch_size=batch_size,
                progress=not options["no_progress"],
            )
            self.stdout.write(
                f"persons: {persons} fictitious persons seeded ({written} entities in all)"
            )
        if demo:
            # After the persons: the demo's assessment of a person needs one to exist.
            from vigie.demo.assessments_seed import seed_demo_assessments

            made = seed_demo_assessments()
            if made:
                summary = ", ".join(f"{count} {name}" for name, count in made.items())
                self.stdout.write(f"demo assessments: {summary}")
            else:
                self.stdout.write("demo assessments: already present, none added")
            # Measures need listed persons and the demo accounts: last.
            from vigie.demo.measures_seed import seed_measures

            cases = seed_measures()
            self.stdout.write(f"demo measures: {len(cases)} case(s) added")
