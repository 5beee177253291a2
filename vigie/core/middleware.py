"""Request identifiers (kept in the journal), session expiry, and the sign-in gate."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from vigie.core import context

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"


class RequestIdMiddleware:
    """Gives each request an id (or keeps a sane one from the proxy) and exposes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _is_safe_id(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _is_safe_id(value: str) -> bool:
    return 8 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)


class IdleSessionMiddleware:
    """Ends a signed-in session idle longer than SESSION_IDLE_SECONDS or older than
    SESSION_COOKIE_AGE (absolute: Django's own expiry slides with every session write)."""

    KEY = "_vigie_last_seen"
    # Write the last-seen stamp at most this often: one session write a minute, not per request.
    RESOLUTION = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            from vigie.core.services import SIGNED_IN_AT_KEY, session_expire

            now = int(time.time())
            last = session.get(self.KEY)
            started = session.get(SIGNED_IN_AT_KEY)
            if started is not None and now - int(started) > settings.SESSION_COOKIE_AGE:
                session_expire(request=request, reason="absolute")
            elif last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                session_expire(request=request, reason="idle")
            elif last is None or now - int(last) >= self.RESOLUTION:
                session[self.KEY] = now
        return self.get_response(request)


# Always public: the sign-in steps, static files, the API (bearer tokens), health and language.
ALWAYS_PUBLIC = ("/login/", "/static/", "/api/", "/healthz", "/i18n/setlang/", "/favicon.ico")


def is_public_path(path: str) -> bool:
    # PUBLIC_PATH_PREFIXES is where later issues (the public portal) add their prefixes.
    prefixes = (*ALWAYS_PUBLIC, *getattr(settings, "PUBLIC_PATH_PREFIXES", ()))
    return path.startswith(prefixes)


class SignInRequiredMiddleware:
    """Sends every non-public UI request to sign-in unless the user passed both factors."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public_path(request.path_info) and not is_fully_signed_in(request):
            login_url = resolve_url(settings.LOGIN_URL)
            if request.headers.get("HX-Request"):
                # htmx would swap the sign-in page into a fragment; make it reload instead.
                return HttpResponse(status=204, headers={"HX-Redirect": login_url})
            return redirect_to_login(request.get_full_path(), login_url)
        return self.get_response(request)


def is_fully_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified() and not getattr(user, "is_system", False))
