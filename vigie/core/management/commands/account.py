"""`vigie account create|deactivate`: accounts from the operator's shell (system actor)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from vigie.core.choices import Clearance, Role
from vigie.core.management.base import VigieCommand, get_user
from vigie.core.selectors import resolve_account_references
from vigie.core.services import account_create, account_deactivate, system_user


class Command(VigieCommand):
    help = "Create or deactivate accounts."
    # Tests hand a password to --password-stdin through call_command(stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an account and its authenticator.")
        create.add_argument("username")
        # Checked here rather than with argparse choices: a bad value is one line, not usage.
        create.add_argument("--organisation", required=True, help="organisation code")
        create.add_argument("--role", required=True, help=", ".join(Role.values))
        create.add_argument("--clearance", default="0", help="0-4")
        create.add_argument("--language", default="fr")
        create.add_argument("--email", default="")
        create.add_argument(
            "--password-stdin", action="store_true", help="read the initial password from stdin"
        )
        deactivate = sub.add_parser("deactivate", help="Close an account and revoke its tokens.")
        deactivate.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        role = options["role"]
        if role not in Role.values:
            raise CommandError(f"unknown role {role!r} (one of: {', '.join(Role.values)})")
        try:
            clearance = int(options["clearance"])
        except ValueError:
            clearance = -1
        if clearance not in Clearance.values:
            raise CommandError(f"unknown clearance {options['clearance']!r} (0-4)")
        try:
            refs = resolve_account_references({"organisation": options["organisation"]})
        except ValidationError as exc:
            raise CommandError(f"unknown organisation {options['organisation']!r}") from exc
        if refs["organisation"] is None:
            raise CommandError("an organisation is required")
        password = None
        if options["password_stdin"]:
            stream = options.get("stdin") or sys.stdin
            password = stream.readline().rstrip("\r\n")
            if not password:
                raise CommandError("no password on stdin")
        user, device = account_create(
            actor=system_user(),
            username=options["username"],
            organisation=refs["organisation"],
            role=role,
            clearance=clearance,
            language=options["language"],
            email=options["email"],
            password=password,
        )
        self.stdout.write(f"account {user.username} created ({user.pk})")
        self.stdout.write("authenticator (shown once):")
        self.stdout.write(device.config_url)

    def _deactivate(self, options: dict[str, Any]) -> None:
        user = get_user(options["username"])
        account_deactivate(actor=system_user(), account=user)
        self.stdout.write(f"account {user.username} deactivated")
