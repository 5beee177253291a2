"""`vigie national-list export --format csv|xlsx|ftm [--output FILE]`, `screen [--against
FILE]`, `diff`. Without `--as USER` the command acts as the system actor (the operator)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from vigie.core.management.base import VigieCommand, get_user
from vigie.core.services import system_user
from vigie.measures import national_list, selectors, services


class Command(VigieCommand):
    help = "The national list (asset freezes in force): export a publication, screen, diff."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="publish the list as it stands and write it")
        export.add_argument("--format", dest="fmt", default="csv", help="csv, xlsx or ftm")
        export.add_argument("--output", default="", help="file to write (default: stdout)")
        screen = sub.add_parser("screen", help="screen the list against the database or a file")
        screen.add_argument("--against", default="", help="CSV or JSON file of records")
        screen.add_argument("--threshold", type=float, default=None)
        sub.add_parser("diff", help="what the latest publication changed")
        for command in sub.choices.values():
            command.add_argument("--as", dest="username", default="", help="act as this user")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        actor = get_user(options["username"]) if options["username"] else system_user()
        if action == "export":
            fmt = options["fmt"]
            if fmt not in national_list.FORMATS:
                raise CommandError(f"unknown format {fmt!r}: csv, xlsx or ftm")
            publication, new = services.publication_create(actor=actor)
            content = services.publication_export(actor=actor, publication=publication, fmt=fmt)
            if options["output"]:
                Path(options["output"]).write_bytes(content)
                state = "new" if new else "unchanged"
                self.stderr.write(
                    f"{publication.reference} ({state}, {publication.count} entries) "
                    f"written to {options['output']}"
                )
            else:
                sys.stdout.buffer.write(content)
            return
        if action == "diff":
            publication = selectors.publication_get(actor=actor)
            changes = selectors.publication_diff(publication)
            previous = publication.previous.reference if publication.previous else "-"
            self.stdout.write(f"{publication.reference} against {previous}")
            for key in ("added", "removed"):
                for item in changes[key]:
                    self.stdout.write(f"{key}\t{item['key']}\t{item['name']}")
            for item in changes["changed"]:
                self.stdout.write(f"changed\t{item['key']}\t{', '.join(item['fields'])}")
            return
        against = None
        if options["against"]:
            try:
                against = services.records_from_file(Path(options["against"]).read_bytes())
            except (OSError, ValueError, UnicodeDecodeError) as error:
                raise CommandError(f"{options['against']}: {error}") from None
        try:
            hits = services.national_list_screen(
                actor=actor, against=against, threshold=options["threshold"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        for hit in hits:
            self.stdout.write(
                f"{hit['list_entry']}\t{hit['record']}\t{hit['record_name']}\t"
                f"{hit['score']:.2f}\t{hit['why']}"
            )
        self.stdout.write(f"{len(hits)} possible match(es)")
