"""`vigie audit verify` and `vigie audit checkpoint`: thin wrappers over the journal's services."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigie.audit.services import checkpoint_seal
from vigie.audit.verify import CHUNK_SIZE, verify_journal


class Command(BaseCommand):
    help = "Verify the tamper-evident journal, or seal its current head with a checkpoint."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Walk the chain and the checkpoints.")
        verify.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
        sub.add_parser("checkpoint", help="Seal the current head with a keyed checkpoint.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            result = verify_journal(chunk_size=options["chunk_size"])
            if not result.ok:
                raise CommandError(result.summary())
            self.stdout.write(result.summary())
        else:
            try:
                checkpoint = checkpoint_seal()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"checkpoint at event #{checkpoint.seq} {checkpoint.hash[:16]}")
