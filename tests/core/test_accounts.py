"""Accounts: the administrator manages them (services, UI, CLI, API); nobody else may."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.core.conftest import events
from tests.factories import OrganisationFactory, UserFactory, sign_in
from vigie.core.choices import Clearance, Role
from vigie.core.errors import PreconditionFailed
from vigie.core.models import ApiToken, Arrondissement, Municipality, User
from vigie.core.services import (
    account_create,
    account_deactivate,
    account_update,
    account_version,
    token_create,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long enough new password 42"


def new_account(actor, **extra):  # type: ignore[no-untyped-def]
    values = {
        "username": "newcomer",
        "organisation": OrganisationFactory(),
        "role": Role.ANALYST,
        "clearance": Clearance.SECRET,
    } | extra
    return account_create(actor=actor, **values)


# --- Services --------------------------------------------------------------------------------


def test_administrator_creates_an_account_with_an_authenticator(administrator):
    user, device = new_account(administrator, password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD) and user.role == Role.ANALYST
    assert device.user_id == user.pk and device.confirmed
    assert device.config_url.startswith("otpauth://totp/Vigie%3Anewcomer?")
    [event] = events("account.create")
    assert event.actor_id == administrator.pk and event.target_id == str(user.pk)
    assert "organisation" in event.detail["fields"]
    assert NEW_PASSWORD not in json.dumps(event.detail)


def test_account_without_password_cannot_sign_in_yet(administrator):
    user, _ = new_account(administrator)
    assert not user.has_usable_password()


def test_partner_officer_cannot_create_an_account(officer):
    with pytest.raises(PermissionDenied):
        new_account(officer)
    assert not User.objects.filter(username="newcomer").exists()
    [event] = events("account.create")
    assert event.outcome == "denied" and event.actor_id == officer.pk


def test_weak_password_and_bad_fields_change_nothing(administrator):
    with pytest.raises(ValidationError) as exc:
        new_account(administrator, password="short")
    assert "password" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        new_account(administrator, role="emperor")
    assert "role" in exc.value.message_dict
    assert not User.objects.filter(username="newcomer").exists()
    assert not TOTPDevice.objects.exists()
    assert not events("account.create")


def test_duplicate_username_is_refused(administrator, officer):
    with pytest.raises(ValidationError) as exc:
        new_account(administrator, username=officer.username)
    assert "username" in exc.value.message_dict


def test_municipality_must_lie_in_the_arrondissement(administrator):
    municipality = Municipality.objects.first()
    elsewhere = Arrondissement.objects.exclude(pk=municipality.arrondissement_id).first()
    with pytest.raises(ValidationError) as exc:
        new_account(
            administrator,
            territory_arrondissement=elsewhere,
            territory_municipality=municipality,
        )
    assert "territory_municipality" in exc.value.message_dict
    user, _ = new_account(
        administrator,
        territory_arrondissement=municipality.arrondissement,
        territory_municipality=municipality,
    )
    assert user.territory_municipality == municipality


def test_update_journals_changed_field_names_only(administrator, officer):
    account_update(
        actor=administrator,
        account=officer,
        changes={"clearance": Clearance.SECRET, "role": Role.PARTNER_OFFICER},
    )
    officer.refresh_from_db()
    assert officer.clearance == Clearance.SECRET
    [event] = events("account.update")
    assert event.detail == {"fields": ["clearance"]}


def test_stale_version_is_refused(administrator, officer):
    version = account_version(officer)
    account_update(
        actor=administrator, account=officer, changes={"language": "nl"}, version=version
    )
    with pytest.raises(PreconditionFailed):
        account_update(
            actor=administrator, account=officer, changes={"language": "en"}, version=version
        )
    officer.refresh_from_db()
    assert officer.language == "nl"


def test_officer_cannot_update(officer):
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        account_update(actor=officer, account=other, changes={"clearance": Clearance.TRES_SECRET})
    other.refresh_from_db()
    assert other.clearance == Clearance.NONE
    assert events("account.update")[0].outcome == "denied"


def test_administrator_cannot_demote_or_close_themselves(administrator):
    with pytest.raises(ValidationError):
        account_update(actor=administrator, account=administrator, changes={"role": Role.ANALYST})
    with pytest.raises(ValidationError):
        account_deactivate(actor=administrator, account=administrator)


def test_deactivation_closes_the_account_and_its_tokens(administrator, officer):
    token_create(actor=officer, user=officer)
    account_deactivate(actor=administrator, account=officer)
    officer.refresh_from_db()
    assert not officer.is_active
    assert ApiToken.objects.get().revoked_at is not None
    [event] = events("account.deactivate")
    assert event.detail == {"fields": ["is_active"], "tokens_revoked": 1}


def test_officer_cannot_deactivate(officer):
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        account_deactivate(actor=officer, account=other)
    other.refresh_from_db()
    assert other.is_active


# --- UI --------------------------------------------------------------------------------------


def test_administrator_sees_the_account_list_officer_gets_403(client, administrator, officer):
    sign_in(client, administrator)
    response = client.get("/accounts/")
    assert response.status_code == 200 and officer.username.encode() in response.content
    client.logout()
    sign_in(client, officer)
    assert client.get("/accounts/").status_code == 403
    assert client.get("/accounts/new/").status_code == 403
    assert client.get(f"/accounts/{administrator.pk}/edit/").status_code == 403


def test_account_list_filters_with_htmx(client, administrator, officer):
    sign_in(client, administrator)
    response = client.get("/accounts/", {"organisation": "body"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and b"<html" not in response.content
    assert administrator.username.encode() in response.content
    assert officer.username.encode() not in response.content


def test_create_in_the_ui_shows_the_qr_code_once(client, administrator):
    sign_in(client, administrator)
    organisation = OrganisationFactory()
    response = client.post(
        "/accounts/new/",
        {
            "username": "alice",
            "organisation": organisation.pk,
            "role": Role.ANALYST,
            "clearance": Clearance.CONFIDENTIEL,
            "language": "nl",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    alice = User.objects.get(username="alice")
    assert response.status_code == 302 and response.url == f"/accounts/{alice.pk}/enrolment/"
    page = client.get(response.url)
    assert page.status_code == 200 and b"<svg" in page.content and b"otpauth://" in page.content
    assert page["Cache-Control"].startswith("max-age=0")
    assert client.get(response.url).status_code == 403


def test_create_form_errors_change_nothing(client, administrator):
    sign_in(client, administrator)
    response = client.post(
        "/accounts/new/",
        {
            "username": "bob",
            "organisation": OrganisationFactory().pk,
            "role": Role.ANALYST,
            "clearance": 0,
            "language": "fr",
            "password": "tiny",
            "password_again": "tiny",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="bob").exists()


def test_edit_in_the_ui(client, administrator, officer):
    sign_in(client, administrator)
    url = f"/accounts/{officer.pk}/edit/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["organisation"] = officer.organisation_id
    data["clearance"] = Clearance.RESTREINT
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.clearance == Clearance.RESTREINT
    # The same (now stale) version again is refused.
    data["clearance"] = Clearance.SECRET
    response = client.post(url, data)
    assert response.status_code == 200 and b"changed since" in response.content


def test_totp_reset_replaces_the_device(client, administrator, officer, device):
    sign_in(client, administrator)
    response = client.post(f"/accounts/{officer.pk}/totp-reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert events("account.totp_reset")


# --- CLI -------------------------------------------------------------------------------------


def test_cli_creates_an_account_with_password_from_stdin(db):
    organisation = OrganisationFactory(code="ocam")
    out = io.StringIO()
    call_command(
        "account",
        "create",
        "carol",
        "--organisation",
        "ocam",
        "--role",
        "analyst",
        "--clearance",
        "3",
        "--password-stdin",
        stdin=io.StringIO(NEW_PASSWORD + "\n"),
        stdout=out,
    )
    carol = User.objects.get(username="carol")
    assert carol.organisation == organisation and carol.clearance == 3
    assert carol.check_password(NEW_PASSWORD)
    assert out.getvalue().strip().splitlines()[-1].startswith("otpauth://")
    assert events("account.create")[0].actor_username == "system"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--organisation", "nowhere", "unknown organisation 'nowhere'"),
        ("--role", "emperor", "unknown role 'emperor'"),
        ("--clearance", "9", "unknown clearance '9'"),
    ],
)
def test_cli_bad_values_are_one_line_errors_and_change_nothing(option, value, message):
    OrganisationFactory(code="ocam")
    args = {"--organisation": "ocam", "--role": "analyst", "--clearance": "0"} | {option: value}
    flat = [item for pair in args.items() for item in pair]
    with pytest.raises(CommandError, match=message) as exc:
        call_command("account", "create", "dave", *flat)
    assert "\n" not in str(exc.value)
    assert not User.objects.filter(username="dave").exists()
    assert not events("account.create")


def test_cli_deactivate(officer):
    call_command("account", "deactivate", officer.username, stdout=io.StringIO())
    officer.refresh_from_db()
    assert not officer.is_active
