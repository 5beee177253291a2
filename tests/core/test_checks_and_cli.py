"""Deploy checks, `vigie totp` (demo only), and the system actor."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.test import override_settings

from tests.core.conftest import code_of
from vigie.core.checks import check_production_settings
from vigie.core.models import User

SAFE = {
    "DEMO": False,
    "SECRET_KEY": "a-real-secret-key-" + "x" * 40,
    "AUDIT_CHECKPOINT_KEY": "a-real-audit-key-" + "y" * 40,
}
POSTGRES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "vigie"}}


def ids(**overrides) -> set[str]:  # type: ignore[no-untyped-def]
    with override_settings(**(SAFE | overrides)):
        return {error.id for error in check_production_settings()}


def test_deploy_check_fails_with_demo_and_insecure_settings():
    with override_settings(DEMO=True), pytest.raises(SystemCheckError) as exc:
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())
    message = str(exc.value)
    for code in ("vigie.E001", "vigie.E002", "vigie.E003"):
        assert code in message


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"DEMO": True}, "vigie.E001"),
        (
            {"SECRET_KEY": "vigie-insecure-demo-key-never-use-in-production-0123456789abcdef"},
            "vigie.E002",
        ),
        ({"AUDIT_CHECKPOINT_KEY": "vigie-insecure-demo-audit-key"}, "vigie.E003"),
    ],
)
def test_each_insecure_setting_is_named(override, code, settings):
    assert code in ids(**override)


def test_sqlite_is_refused_postgresql_accepted(settings):
    with override_settings(**SAFE):
        settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}}
        assert {e.id for e in check_production_settings()} == {"vigie.E004"}
        settings.DATABASES = POSTGRES
        assert check_production_settings() == []


def test_deploy_checks_are_not_run_without_deploy():
    # The everyday `check` must stay quiet in the demo.
    with override_settings(DEMO=True):
        call_command("check", stdout=io.StringIO())


# --- vigie totp ------------------------------------------------------------------------------


def test_totp_refused_outside_demo(device, officer, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("totp", officer.username)


def test_totp_prints_the_current_code_in_demo(device, officer, settings):
    settings.DEMO = True
    out = io.StringIO()
    call_command("totp", officer.username, stdout=out)
    assert out.getvalue().strip() == code_of(device)


def test_totp_unknown_user_or_device(officer, settings):
    settings.DEMO = True
    with pytest.raises(CommandError, match="unknown user 'nobody'"):
        call_command("totp", "nobody")
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("totp", officer.username)


# --- The system actor ------------------------------------------------------------------------


@pytest.mark.django_db
def test_system_actor_is_created_by_migrate():
    system = User.objects.get(username="system")
    assert system.is_system and not system.has_usable_password()
    assert system.organisation_id is None
