"""Demo accounts (VIGIE_DEMO=1 only)."""

from __future__ import annotations

from typing import TextIO


def print_demo_logins(out: TextIO, url: str) -> None:
    from vigie.core.models import User

    out.write(f"\nVigie demo on {url} — fictitious data only.\n")
    for user in (
        User.objects.filter(is_system=False).select_related("organisation").order_by("username")
    ):
        org = user.organisation.code if user.organisation else "-"
        out.write(f"  {user.username:<12} {user.role:<16} {org}\n")
