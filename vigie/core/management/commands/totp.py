"""`vigie totp USERNAME`: the current sign-in code, in demo mode only."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

from vigie.core.management.base import VigieCommand, get_user
from vigie.core.services import totp_current_code, totp_device


class Command(VigieCommand):
    help = "Print a demo user's current TOTP code (only when VIGIE_DEMO is on)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("totp works only in demo mode (VIGIE_DEMO=1)")
        user = get_user(username)
        device = totp_device(user)
        if device is None:
            raise CommandError(f"user {username!r} has no authenticator")
        self.stdout.write(totp_current_code(device))
