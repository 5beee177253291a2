"""`vigie seed --demo`: refused outside demo mode; creates the eight demo accounts once."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.audit.models import AuditEvent
from vigie.core.choices import Clearance, Role
from vigie.core.models import Organisation, User
from vigie.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    TOTP_DEVICE_NAME,
    create_demo_accounts,
    print_demo_logins,
)

pytestmark = pytest.mark.django_db

USERNAMES = {
    "analyst",
    "validator",
    "feeder",
    "reader",
    "hitcheck",
    "local",
    "oversight",
    "admin",
}


def seed_demo() -> str:
    out = StringIO()
    with override_settings(DEMO=True):
        call_command("seed", "--demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, tuple]:
    """Everything a second seed must leave as it is."""
    users = {
        u.username: (u.pk, u.password, u.organisation_id, u.role, u.clearance, u.last_login)
        for u in User.objects.all()
    }
    devices = sorted(TOTPDevice.objects.values_list("user_id", "name", "key", "confirmed"))
    return {
        "users": users,
        "devices": devices,
        "events": AuditEvent.objects.count(),
        "organisations": sorted(Organisation.objects.values_list("code", "access_type")),
    }


@override_settings(DEMO=False)
def test_seed_demo_refuses_without_demo_mode():
    with pytest.raises(CommandError, match="VIGIE_DEMO=1"):
        call_command("seed", "--demo", stdout=StringIO())
    assert not User.objects.filter(username__in=USERNAMES).exists()


def test_seed_demo_refusal_is_one_line_and_exit_1(tmp_path):
    # The real command line, on a throw-away SQLite database, with demo mode off.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIGIE_DEMO"}}
    env["VIGIE_DATA"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "vigie", "seed", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "VIGIE_DEMO=1" in result.stderr


def test_seed_without_demo_creates_no_account():
    call_command("seed", stdout=StringIO())
    assert not User.objects.filter(username__in=USERNAMES).exists()


def test_seed_demo_creates_the_eight_accounts():
    output = seed_demo()
    assert "8 created" in output
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    assert set(users) == USERNAMES == {spec.username for spec in DEMO_ACCOUNTS}
    for spec in DEMO_ACCOUNTS:
        user = users[spec.username]
        assert user.organisation.code == spec.organisation
        assert user.role == spec.role
        assert user.clearance == spec.clearance
        assert user.check_password(DEMO_PASSWORD)
        validate_password(DEMO_PASSWORD, user)
        assert user.is_active and not user.is_system


def test_demo_accounts_have_the_documented_profiles():
    seed_demo()
    expected = {
        "analyst": ("ocam", Role.ANALYST, Clearance.SECRET, "consult_feed"),
        "validator": ("ocam", Role.VALIDATOR, Clearance.SECRET, "consult_feed"),
        "feeder": ("police-federal", Role.PARTNER_OFFICER, Clearance.CONFIDENTIEL, "consult_feed"),
        "reader": ("immigration-office", Role.PARTNER_OFFICER, Clearance.RESTREINT, "consult"),
        "hitcheck": ("customs", Role.PARTNER_OFFICER, Clearance.NONE, "hit_no_hit"),
        "local": ("csil-r", Role.LOCAL_OFFICER, Clearance.NONE, "consult"),
        "oversight": ("coc", Role.OVERSIGHT, Clearance.SECRET, "none"),
        "admin": ("ocam", Role.ADMINISTRATOR, Clearance.NONE, "consult_feed"),
    }
    for username, (code, role, clearance, access_type) in expected.items():
        user = User.objects.select_related("organisation").get(username=username)
        assert (user.organisation.code, user.role, user.clearance) == (code, role, clearance)
        assert user.organisation.access_type == access_type
    local = User.objects.get(username="local")
    assert local.territory_municipality_id == "44021"
    assert local.organisation.record_view == "card"
    assert User.objects.get(username="reader").organisation.record_view == "card"


def test_no_demo_account_is_superuser_or_staff():
    seed_demo()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(username__in=USERNAMES, is_staff=True).exists()


def test_each_account_has_a_confirmed_totp_device_that_verifies():
    seed_demo()
    for user in User.objects.filter(username__in=USERNAMES):
        device = TOTPDevice.objects.get(user=user, name=TOTP_DEVICE_NAME)
        assert device.confirmed
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        assert device.verify_token(f"{code:0{device.digits}d}")


def test_creation_is_journaled_by_the_system_actor():
    seed_demo()
    events = AuditEvent.objects.filter(action="account.create", domain="accounts")
    assert events.count() == len(USERNAMES)
    ids = {
        str(pk) for pk in User.objects.filter(username__in=USERNAMES).values_list("pk", flat=True)
    }
    assert set(events.values_list("target_id", flat=True)) == ids
    assert set(events.values_list("actor_username", flat=True)) == {"system"}
    assert set(events.values_list("target_type", flat=True)) == {"user"}
    assert not events.exclude(actor_id=None).exists()


def test_second_seed_changes_nothing():
    seed_demo()
    before = snapshot()
    output = seed_demo()
    assert "0 created" in output
    assert snapshot() == before


def test_second_seed_keeps_a_changed_password():
    seed_demo()
    analyst = User.objects.get(username="analyst")
    analyst.set_password("a-new-passphrase-chosen-by-the-demo-user")
    analyst.save()
    seed_demo()
    analyst.refresh_from_db()
    assert analyst.check_password("a-new-passphrase-chosen-by-the-demo-user")


def test_seed_repairs_only_a_missing_device():
    seed_demo()
    TOTPDevice.objects.filter(user__username="reader").delete()
    assert create_demo_accounts() == []
    assert TOTPDevice.objects.filter(user__username="reader", confirmed=True).count() == 1


def test_print_demo_logins_lists_every_account_and_the_totp_command():
    seed_demo()
    out = StringIO()
    print_demo_logins(out, "http://127.0.0.1:8000")
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    for header in ("username", "password", "organisation", "role", "clearance", "territory"):
        assert header in text
    for username in USERNAMES:
        assert f"  {username} " in text
    assert text.count(DEMO_PASSWORD) == len(USERNAMES)
    assert "44021 Gand / Gent" in text
    assert ".venv/bin/vigie totp USERNAME" in text


def test_readme_documents_every_demo_account():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert DEMO_PASSWORD in readme
    assert ".venv/bin/vigie totp USERNAME" in readme
    for spec in DEMO_ACCOUNTS:
        assert f"| `{spec.username}` |" in readme
