"""`vigie token create|revoke|list`: API tokens from the operator's shell (system actor)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from vigie.core.management.base import VigieCommand, get_user
from vigie.core.models import ApiToken
from vigie.core.selectors import token_list
from vigie.core.services import system_user, token_create, token_revoke


class Command(VigieCommand):
    help = "Create, revoke or list API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token; it is printed once, last line.")
        create.add_argument("username")
        create.add_argument("--days", type=int, default=None)
        create.add_argument("--label", default="")
        revoke = sub.add_parser("revoke", help="Revoke a token by id or prefix.")
        revoke.add_argument("token")
        listing = sub.add_parser("list", help="A user's tokens (never their secrets).")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = get_user(options["username"])
        token, raw = token_create(
            actor=system_user(), user=user, label=options["label"], days=options["days"]
        )
        self.stdout.write(
            f"token {token.pk} for {user.username}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC"
        )
        # Alone on the last line, so scripts can take it with `tail -n 1`.
        self.stdout.write(raw)

    def _revoke(self, options: dict[str, Any]) -> None:
        token = find_token(options["token"])
        token_revoke(actor=system_user(), token=token)
        self.stdout.write(f"revoked {token.pk}")

    def _list(self, options: dict[str, Any]) -> None:
        user = get_user(options["username"])
        now = timezone.now()
        for token in token_list(user=user):
            if token.revoked_at:
                state = "revoked"
            elif token.expires_at <= now:
                state = "expired"
            else:
                state = "valid"
            self.stdout.write(
                f"{token.pk}  {token.prefix}  {state:8}  expires {token.expires_at:%Y-%m-%d}"
                f"  {token.label}"
            )


def find_token(ref: str) -> ApiToken:
    """A token by its UUID or by the prefix `token list` shows (unique)."""
    ref = ref.strip()
    matches = list(ApiToken.objects.filter(pk=ref)[:1]) if _is_uuid(ref) else []
    if not matches and ref:
        matches = list(ApiToken.objects.filter(prefix__startswith=ref[:12])[:2])
        # A longer ref (the whole secret) must match the stored hash, not just its prefix.
        if len(ref) > 12:
            matches = [t for t in matches if t.token_hash == ApiToken.hash(ref)]
    if not matches:
        raise CommandError(f"unknown token {ref!r}")
    if len(matches) > 1:
        raise CommandError(f"ambiguous token prefix {ref!r}: give the token id")
    return matches[0]


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
