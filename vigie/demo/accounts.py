"""Demo accounts (VIGIE_DEMO=1 only): one per kind of user, with a known password and TOTP.

Fictitious people only. Creation is idempotent: an existing account is left exactly as it is
(its password included), so a second `vigie seed --demo` keeps what the demo user changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.audit.services import record_event
from vigie.core import organisations as orgs
from vigie.core.choices import Clearance, Role
from vigie.core.models import Municipality, Organisation, User

# Published in README.md and printed by `vigie serve`: it protects fictitious data only.
DEMO_PASSWORD = "vigie-demo-2026"  # noqa: S105
TOTP_DEVICE_NAME = "default"
TOTP_HINT = ".venv/bin/vigie totp USERNAME"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """One demo login: who they are and what their organisation lets them do."""

    username: str
    organisation: str
    role: Role
    clearance: Clearance
    # NIS code narrowing the organisation's territory to one municipality.
    municipality: str | None = None
    language: str = "fr"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("analyst", orgs.OCAM, Role.ANALYST, Clearance.SECRET),
    DemoAccount("validator", orgs.OCAM, Role.VALIDATOR, Clearance.SECRET),
    DemoAccount("feeder", orgs.FEDERAL_POLICE, Role.PARTNER_OFFICER, Clearance.CONFIDENTIEL),
    DemoAccount("reader", orgs.IMMIGRATION_OFFICE, Role.PARTNER_OFFICER, Clearance.RESTREINT),
    DemoAccount("hitcheck", orgs.CUSTOMS, Role.PARTNER_OFFICER, Clearance.NONE),
    DemoAccount("local", orgs.CSIL, Role.LOCAL_OFFICER, Clearance.NONE, "44021", "nl"),
    DemoAccount("oversight", orgs.COC, Role.OVERSIGHT, Clearance.SECRET),
    # Administrators manage accounts, not content: no clearance needed.
    DemoAccount("admin", orgs.OCAM, Role.ADMINISTRATOR, Clearance.NONE),
)


def ensure_totp_device(user: User) -> bool:
    """Give `user` a confirmed TOTP device named "default" unless they have one. True if new."""
    if TOTPDevice.objects.filter(user=user, name=TOTP_DEVICE_NAME).exists():
        return False
    TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
    return True


@transaction.atomic
def create_demo_accounts() -> list[User]:
    """Create the missing demo accounts (with their TOTP device); return those created.

    Each creation is journaled by the system actor in the same transaction.
    """
    created: list[User] = []
    for spec in DEMO_ACCOUNTS:
        user = User.objects.filter(username=spec.username).first()
        if user is not None:
            # Existing account: keep it as the demo user left it; only repair a missing device.
            ensure_totp_device(user)
            continue
        user = User(
            username=spec.username,
            email=f"{spec.username}@vigie.invalid",
            organisation=Organisation.objects.get(code=spec.organisation),
            role=spec.role,
            clearance=spec.clearance,
            territory_municipality=(
                Municipality.objects.get(pk=spec.municipality) if spec.municipality else None
            ),
            language=spec.language,
            is_staff=False,
            is_superuser=False,
        )
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save(force_insert=True)
        ensure_totp_device(user)
        record_event(
            actor=None,
            action="account.create",
            target_type="user",
            target_id=user.id,
            domain="accounts",
            detail={"organisation": spec.organisation, "role": spec.role, "source": "demo"},
        )
        created.append(user)
    return created


def _territory(user: User) -> str:
    place = user.territory_municipality or user.territory_arrondissement
    if place is None:
        return "whole country"
    # Both languages: the demo is used in either.
    names = dict.fromkeys(n for n in (place.name_fr, place.name_nl) if n)
    code = getattr(place, "nis_code", "")
    return f"{code} {' / '.join(names)}".strip()


def print_demo_logins(out: TextIO, url: str) -> None:
    """Print the demo logins as a table, with how to get the second factor."""
    usernames = [spec.username for spec in DEMO_ACCOUNTS]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=usernames).select_related(
            "organisation", "territory_municipality", "territory_arrondissement"
        )
    }
    out.write(f"\nVigie demo on {url} — fictitious data only.\n\n")
    header = ("username", "password", "organisation", "role", "clearance", "territory")
    rows = [header]
    for name in usernames:
        user = users.get(name)
        if user is None:
            continue
        rows.append(
            (
                user.username,
                DEMO_PASSWORD,
                user.organisation.code if user.organisation else "-",
                user.role,
                Clearance(user.clearance).name,
                _territory(user),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        out.write(f"  {line.rstrip()}\n")
    out.write(f"\nPasswords as seeded (changes are kept). TOTP code: {TOTP_HINT}\n\n")
