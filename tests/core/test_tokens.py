"""API tokens: issue, use, expire, revoke; the CLI; tokens stand in for the second factor."""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.core.conftest import events
from tests.factories import UserFactory
from vigie.core.management.commands.token import Command as TokenCommand
from vigie.core.models import ApiToken
from vigie.core.services import system_user, token_create, token_revoke

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_own_token_is_created_hashed_and_journaled(client, officer):
    token, raw = token_create(actor=officer, user=officer, label="laptop", days=3)
    assert raw.startswith("vg_") and token.token_hash == ApiToken.hash(raw)
    assert raw not in {token.token_hash, token.prefix}
    assert timedelta(days=2, hours=23) < token.expires_at - timezone.now() <= timedelta(days=3)
    [event] = events("token.create")
    assert event.target_type == "api_token" and event.target_id == str(token.pk)
    assert raw not in str(event.detail)


def test_valid_token_is_accepted(client, officer):
    _, raw = token_create(actor=officer, user=officer)
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == officer.username


def test_expired_token_is_refused(client, officer):
    token, raw = token_create(actor=officer, user=officer, days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_revoked_token_is_refused(client, officer):
    token, raw = token_create(actor=officer, user=officer)
    token_revoke(actor=officer, token=token)
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    [event] = events("token.revoke")
    assert event.target_id == str(token.pk)


def test_unknown_token_is_refused(client):
    response = client.get("/api/v1/me", headers=bearer("vg_not-a-real-token"))
    assert response.status_code == 401


def test_token_of_an_inactive_user_is_refused(client, officer):
    _, raw = token_create(actor=officer, user=officer)
    officer.is_active = False
    officer.save()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_administrator_cannot_issue_a_token_for_someone_else(administrator, officer):
    # It would let the administrator act as that user and see content.
    with pytest.raises(PermissionDenied):
        token_create(actor=administrator, user=officer)
    assert not ApiToken.objects.exists()
    [event] = events("token.create")
    assert event.outcome == "denied" and event.actor_id == administrator.pk


def test_owner_and_administrator_may_revoke_others_may_not(administrator, officer):
    token, _ = token_create(actor=officer, user=officer)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=UserFactory(), token=token)
    token_revoke(actor=administrator, token=token)
    with pytest.raises(ValidationError):
        token_revoke(actor=officer, token=token)


def test_days_out_of_range_is_refused(officer):
    with pytest.raises(ValidationError):
        token_create(actor=officer, user=officer, days=0)
    assert not ApiToken.objects.exists() and not events("token.create")


def test_no_token_for_the_system_actor(officer):
    with pytest.raises(PermissionDenied):
        token_create(actor=officer, user=system_user())


# --- CLI -------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cli_create_prints_the_token_alone_on_the_last_line(client, officer):
    out = run("token", "create", officer.username, "--days", "5", "--label", "ci")
    raw = out.strip().splitlines()[-1]
    assert raw.startswith("vg_") and " " not in raw
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    [event] = events("token.create")
    assert event.actor_username == "system"
    token = ApiToken.objects.get()
    assert token.label == "ci"


def test_cli_list_and_revoke_by_prefix(client, officer):
    raw = run("token", "create", officer.username).strip().splitlines()[-1]
    token = ApiToken.objects.get()
    listing = run("token", "list", officer.username)
    assert str(token.pk) in listing and "valid" in listing and raw not in listing
    run("token", "revoke", token.prefix)
    assert "revoked" in run("token", "list", officer.username)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_cli_revoke_by_id(officer):
    token, _ = token_create(actor=officer, user=officer)
    run("token", "revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cli_unknown_user_is_an_error_and_changes_nothing(db):
    with pytest.raises(CommandError, match="unknown user 'nobody'"):
        run("token", "create", "nobody")
    assert not ApiToken.objects.exists()
    with pytest.raises(CommandError, match="unknown token"):
        run("token", "revoke", "vg_nothing")


def test_cli_error_is_one_line_on_stderr_with_nonzero_exit(db):
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as exit_info:
        command = TokenCommand(stderr=err)
        command.run_from_argv(["vigie", "token", "create", "nobody"])
    assert exit_info.value.code == 1
    assert err.getvalue() == "vigie: unknown user 'nobody'\n"
