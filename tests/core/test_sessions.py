"""The sign-in gate (every UI path but the public ones), idle and absolute expiry, language."""

from __future__ import annotations

import time

import pytest

from tests.core.conftest import code_of, events
from tests.factories import TEST_PASSWORD, sign_in
from vigie.core.middleware import IdleSessionMiddleware, is_public_path
from vigie.core.services import SIGNED_IN_AT_KEY

pytestmark = pytest.mark.django_db


def full_sign_in(client, user, device):  # type: ignore[no-untyped-def]
    client.post("/login/", {"username": user.username, "password": TEST_PASSWORD})
    assert client.post("/login/code/", {"code": code_of(device)}).status_code == 302


@pytest.mark.parametrize(
    "path", ["/login/", "/login/code/", "/static/vigie/vigie.css", "/api/v1/me", "/healthz"]
)
def test_public_paths_are_public(path):
    assert is_public_path(path)


@pytest.mark.parametrize("path", ["/", "/accounts/", "/audit/", "/loginx", "/registry/"])
def test_other_paths_are_not(path):
    assert not is_public_path(path)


def test_public_prefixes_come_from_settings(settings):
    settings.PUBLIC_PATH_PREFIXES = ["/public/", "/portal/"]
    assert is_public_path("/public/threat-level/") and is_public_path("/portal/")


def test_anonymous_is_sent_to_sign_in_public_path_is_not(client):
    assert client.get("/accounts/").status_code == 302
    # No route there yet, but the gate lets it through (404, not a redirect).
    assert client.get("/public/anything").status_code == 404
    assert client.get("/healthz").status_code == 200


def test_htmx_request_is_told_to_reload(client):
    response = client.get("/accounts/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == "/login/"


def test_password_only_session_is_not_enough(client, officer):
    # Logged in by Django but without the second factor: still sent to sign-in.
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/").status_code == 302


def test_both_factors_open_the_ui(client, officer):
    sign_in(client, officer)
    assert client.get("/").status_code == 200


def test_idle_session_expires_and_is_journaled(client, officer, device, settings):
    full_sign_in(client, officer, device)
    assert client.get("/").status_code == 200
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    [event] = events("auth.session_expired")
    assert event.actor_id == officer.pk and event.detail == {"reason": "idle"}
    assert b"session has expired" in client.get("/login/").content


def test_active_session_within_idle_limit_stays(client, officer, device, settings):
    full_sign_in(client, officer, device)
    session = client.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS + 60
    session.save()
    assert client.get("/").status_code == 200
    assert not events("auth.session_expired")


def test_absolute_limit_ends_even_an_active_session(client, officer, device, settings):
    full_sign_in(client, officer, device)
    session = client.session
    session[SIGNED_IN_AT_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 5
    session.save()
    assert client.get("/").status_code == 302
    [event] = events("auth.session_expired")
    assert event.detail == {"reason": "absolute"}


def test_language_choice_is_saved_for_a_signed_in_user(client, officer):
    sign_in(client, officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.language == "en"
    assert response.cookies["django_language"].value == "en"


def test_language_choice_works_anonymously_and_ignores_unknown(client, officer):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/login/"})
    assert response.cookies["django_language"].value == "nl"
    sign_in(client, officer)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    officer.refresh_from_db()
    assert officer.language == "en"  # unchanged: the factory default


def test_login_page_is_translated(client):
    client.cookies["django_language"] = "en"
    assert b"Sign in" in client.get("/login/").content
