"""Two-step sign-in (password, then TOTP), lockout, sign-out, and the journal it leaves."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.core.conftest import code_of, events, wrong_code
from tests.factories import TEST_PASSWORD, UserFactory
from vigie.core.services import PENDING_SECONDS, PENDING_USER_KEY
from vigie.core.services import system_user as get_system_user

pytestmark = pytest.mark.django_db

LOGIN = "/login/"
CODE = "/login/code/"


def password_step(client, username, password=TEST_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def test_password_then_code_signs_in_and_journals(client, officer, device):
    response = password_step(client, officer.username)
    assert response.status_code == 302 and response.url == CODE
    # The first step alone does not sign in.
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302

    response = client.post(CODE, {"code": code_of(device)})
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get("/").status_code == 200
    [event] = events("auth.login")
    assert event.actor_id == officer.pk and event.outcome == "done" and event.domain == "auth"
    assert PENDING_USER_KEY not in client.session


def test_wrong_password_is_refused_and_journaled_without_the_password(client, officer, device):
    response = password_step(client, officer.username, "not the password at all")
    assert response.status_code == 200
    assert b"Wrong username or password" in response.content
    assert "_auth_user_id" not in client.session and PENDING_USER_KEY not in client.session
    [event] = events("auth.login_failed")
    assert event.outcome == "denied" and event.actor_username == officer.username
    assert event.actor_id is None
    assert "not the password" not in str(event.detail)


def test_unknown_user_is_journaled_with_the_typed_name(client):
    password_step(client, "nobody-here", "whatever-password")
    [event] = events("auth.login_failed")
    assert event.actor_username == "nobody-here"


def test_code_from_the_device_accepted_a_wrong_one_refused(client, officer, device):
    password_step(client, officer.username)
    response = client.post(CODE, {"code": wrong_code(device)})
    assert response.status_code == 200 and b"Wrong code" in response.content
    assert "_auth_user_id" not in client.session
    [failed] = events("auth.login_failed")
    assert failed.detail == {"step": "code"} and failed.actor_id == officer.pk
    # The wrong code counted as a failure for the lockout.
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start == 1

    response = client.post(CODE, {"code": code_of(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_malformed_code_is_a_form_error(client, officer, device):
    password_step(client, officer.username)
    response = client.post(CODE, {"code": "12ab"})
    assert response.status_code == 200 and b"Enter the 6 digits" in response.content
    assert "_auth_user_id" not in client.session


def test_code_step_without_password_step_goes_back(client):
    assert client.get(CODE).url == LOGIN
    assert client.post(CODE, {"code": "123456"}).url == LOGIN


def test_password_step_goes_stale_after_five_minutes(client, officer, device):
    password_step(client, officer.username)
    session = client.session
    session[PENDING_USER_KEY]["at"] -= PENDING_SECONDS + 1
    session.save()
    response = client.post(CODE, {"code": code_of(device)})
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_user_without_device_cannot_complete_sign_in(client, officer):
    password_step(client, officer.username)
    response = client.get(CODE)
    assert b"no authenticator" in response.content
    response = client.post(CODE, {"code": "123456"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_not_locked_after_four_failures(client, officer, device):
    for _ in range(4):
        password_step(client, officer.username, "wrong-password-123")
    assert password_step(client, officer.username).status_code == 302
    assert not events("auth.locked_out")


def test_locked_after_five_failures(client, officer, device):
    for _ in range(5):
        response = password_step(client, officer.username, "wrong-password-123")
    assert response.status_code == 429
    assert events("auth.locked_out")
    # Even the right password is refused now, and the refusal is journaled.
    response = password_step(client, officer.username)
    assert response.status_code == 429 and b"Account locked" in response.content
    assert PENDING_USER_KEY not in client.session
    assert len(events("auth.locked_out")) == 2


def test_wrong_codes_count_towards_the_lockout(client, officer, device):
    for _ in range(4):
        password_step(client, officer.username, "wrong-password-123")
    password_step(client, officer.username)
    response = client.post(CODE, {"code": wrong_code(device)})
    assert response.status_code == 429
    # Locked: the pending first step is gone, so the right code cannot finish.
    response = client.post(CODE, {"code": code_of(device)})
    assert response.status_code == 302 and response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_success_resets_the_failure_count(client, officer, device):
    for _ in range(3):
        password_step(client, officer.username, "wrong-password-123")
    password_step(client, officer.username)
    client.post(CODE, {"code": code_of(device)})
    assert not AccessAttempt.objects.filter(username=officer.username).exists()


def test_inactive_user_cannot_sign_in(client, device, officer):
    officer.is_active = False
    officer.save()
    assert password_step(client, officer.username).status_code == 200
    assert PENDING_USER_KEY not in client.session


def test_system_actor_cannot_sign_in(client):
    system = get_system_user()
    assert system.is_system and not system.has_usable_password()
    assert password_step(client, "system", "").status_code == 200
    assert password_step(client, "system", "anything-at-all").status_code == 200
    assert PENDING_USER_KEY not in client.session


def test_system_actor_exists_once(db):
    first = get_system_user()
    assert get_system_user().pk == first.pk


def test_logout_is_journaled(client, officer, device):
    password_step(client, officer.username)
    client.post(CODE, {"code": code_of(device)})
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == LOGIN
    [event] = events("auth.logout")
    assert event.actor_id == officer.pk
    assert client.get("/").status_code == 302


def test_next_is_kept_across_both_steps(client, officer, device):
    response = client.get("/accounts/")
    assert response.url == "/login/?next=/accounts/"
    client.post(
        LOGIN, {"username": officer.username, "password": TEST_PASSWORD, "next": "/accounts/"}
    )
    assert client.post(CODE, {"code": code_of(device)}).url == "/accounts/"


def test_next_to_another_site_is_ignored(client, officer, device):
    client.post(
        LOGIN,
        {"username": officer.username, "password": TEST_PASSWORD, "next": "https://evil.test/"},
    )
    assert client.post(CODE, {"code": code_of(device)}).url == reverse("core:home")


def test_account_language_applies_at_sign_in(client, device, officer):
    officer.language = "nl"
    officer.save()
    password_step(client, officer.username)
    response = client.post(CODE, {"code": code_of(device)})
    assert response.cookies["django_language"].value == "nl"


def test_other_users_are_unaffected_by_a_lockout(client, officer, device):
    other = UserFactory()
    for _ in range(5):
        password_step(client, officer.username, "wrong-password-123")
    assert password_step(client, other.username).status_code == 302
