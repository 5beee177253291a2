"""Base of Vigie's commands: errors are one line on stderr, `vigie: <message>`, exit 1."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from vigie.core.models import User
from vigie.core.selectors import user_by_username


class VigieCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            try:
                return super().execute(*args, **options)
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(one_line(exc)) from exc
        except CommandError as exc:
            # call_command (tests, other code) gets the exception; the shell gets one line.
            if not getattr(self, "_called_from_command_line", False) or options.get("traceback"):
                raise
            self.stderr.write(f"vigie: {exc}", style_func=lambda text: text)
            sys.exit(exc.returncode)


def one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def get_user(username: str) -> User:
    user = user_by_username(username)
    if user is None:
        raise CommandError(f"unknown user {username!r}")
    return user
