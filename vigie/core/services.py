"""Every write of the core app: sign-in steps, sessions, API tokens and accounts.

Each service journals itself through `record_event`, inside the transaction of the action.
Refusals are journaled *before* the transaction opens, so that raising PermissionDenied does
not roll the refusal's own event back.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.access.policy import Action, can
from vigie.audit.models import Outcome
from vigie.audit.services import SYSTEM_USERNAME, record_event
from vigie.core.choices import Clearance
from vigie.core.errors import PreconditionFailed
from vigie.core.models import ApiToken, Arrondissement, Municipality, Organisation, User

AUTH = "auth"
ACCOUNTS = "accounts"

# Session keys. The first step's success is kept here; nobody is logged in until the code.
PENDING_USER_KEY = "_vigie_pending_user"
SIGNED_IN_AT_KEY = "_vigie_signed_in_at"
EXPIRED_KEY = "_vigie_expired"
# How long the password step stays good for entering the code.
PENDING_SECONDS = 5 * 60

# Django's ModelBackend does the password check once axes has cleared the attempt.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

MAX_TOKEN_DAYS = 366

# What an administrator may set on an account (never the password hash or flags of Django).
ACCOUNT_FIELDS = (
    "organisation",
    "role",
    "clearance",
    "territory_arrondissement",
    "territory_municipality",
    "language",
    "is_active",
    "email",
    "first_name",
    "last_name",
)


# --- Refusals --------------------------------------------------------------------------------


def _authorise(
    actor: User,
    policy_action: str,
    obj: Any = None,
    *,
    event: str,
    domain: str,
    target_type: str = "",
    target_id: Any = "",
) -> None:
    """Ask the policy; on refusal journal a denied event and raise PermissionDenied."""
    if can(actor, policy_action, obj):
        return
    record_event(
        actor=actor,
        action=event,
        target_type=target_type,
        target_id=target_id,
        outcome=Outcome.DENIED,
        domain=domain,
    )
    raise PermissionDenied(_("You may not do this."))


# --- The system actor ------------------------------------------------------------------------


def system_user() -> User:
    """The account that stands for the operator's command line and maintenance in the journal.

    Idempotent; it has no organisation, no role and an unusable password, so it can never
    sign in and the access policy grants it nothing but SYSTEM_ACTIONS.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_system": True, "is_active": True, "role": ""},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif not user.is_system:
        # A human account took the name: refuse to journal under it.
        raise ValidationError(_("The username 'system' is reserved for the system actor."))
    return user


# --- Sign-in ---------------------------------------------------------------------------------


def _journal_failure(request: HttpRequest, username: str, step: str, actor: User | None) -> None:
    with transaction.atomic():
        record_event(
            actor=actor,
            actor_username=username,
            action="auth.login_failed",
            outcome=Outcome.DENIED,
            domain=AUTH,
            detail={"step": step},
        )
        # axes flags the request when this failure reached the limit.
        if getattr(request, "axes_locked_out", False):
            _journal_locked(username, step, actor)


def _journal_locked(username: str, step: str, actor: User | None) -> None:
    record_event(
        actor=actor,
        actor_username=username,
        action="auth.locked_out",
        outcome=Outcome.DENIED,
        domain=AUTH,
        detail={"step": step},
    )


def is_locked(request: HttpRequest, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def sign_in_password(*, request: HttpRequest, username: str, password: str) -> bool:
    """First step. On success the user is remembered in the session, not logged in."""
    request.session.pop(PENDING_USER_KEY, None)
    if is_locked(request, username):
        with transaction.atomic():
            _journal_locked(username, "password", None)
        request.axes_locked_out = True  # type: ignore[attr-defined]
        return False
    user = authenticate(request, username=username, password=password)
    if user is None or not user.can_sign_in:
        if user is not None:
            # authenticate() succeeded for an account that may not sign in: count it too.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=request
            )
        _journal_failure(request, username, "password", None)
        return False
    # A fresh key: an attacker who planted a session id gains nothing from the first step.
    request.session.cycle_key()
    request.session[PENDING_USER_KEY] = {"id": str(user.pk), "at": int(time.time())}
    return True


def pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step in this session, if still allowed."""
    pending = request.session.get(PENDING_USER_KEY)
    if not isinstance(pending, dict):
        return None
    if int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        # A password step left standing is not a half-open door for later.
        request.session.pop(PENDING_USER_KEY, None)
        return None
    user = User.objects.select_related("organisation").filter(pk=pending.get("id")).first()
    if user is None or not user.can_sign_in:
        return None
    return user


def _verify_totp(user: User, code: str) -> TOTPDevice | None:
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        # verify_token refuses replays and throttles repeated failures per device.
        if device.verify_token(code):
            return device
    return None


def sign_in_code(*, request: HttpRequest, code: str) -> bool:
    """Second step: the TOTP code. A wrong code counts as a failure for the lockout."""
    user = pending_user(request)
    if user is None:
        return False
    username = user.get_username()
    if is_locked(request, username):
        request.session.pop(PENDING_USER_KEY, None)
        with transaction.atomic():
            _journal_locked(username, "code", user)
        request.axes_locked_out = True  # type: ignore[attr-defined]
        return False
    device = _verify_totp(user, code.strip())
    if device is None:
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING_USER_KEY, None)
        _journal_failure(request, username, "code", user)
        return False
    request.session.pop(PENDING_USER_KEY, None)
    with transaction.atomic():
        login(request, user, backend=MODEL_BACKEND)
        otp_login(request, device)
        request.session[SIGNED_IN_AT_KEY] = int(time.time())
        record_event(
            actor=user, action="auth.login", domain=AUTH, target_type="user", target_id=user.pk
        )
    return True


def sign_out(*, request: HttpRequest) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record_event(
                actor=user, action="auth.logout", domain=AUTH, target_type="user", target_id=user.pk
            )
        logout(request)


def session_expire(*, request: HttpRequest, reason: str = "idle") -> None:
    """End a session that outlived its idle or absolute limit (called by the middleware)."""
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record_event(
                actor=user,
                action="auth.session_expired",
                domain=AUTH,
                target_type="user",
                target_id=user.pk,
                detail={"reason": reason},
            )
        logout(request)
    # Survives in the fresh session so the sign-in page can say why.
    request.session[EXPIRED_KEY] = reason


def user_set_language(*, user: User, language: str) -> None:
    """Remember the interface language; a preference, so not journaled."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Unknown language.")]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- TOTP devices ----------------------------------------------------------------------------


def totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_current_code(device: TOTPDevice) -> str:
    """The code the device shows now (demo mode only: `vigie totp`)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (shown once, never stored)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def _new_device(user: User) -> TOTPDevice:
    # Confirmed at once: the administrator hands the code over in person.
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def totp_reset(*, actor: User, account: User) -> TOTPDevice:
    """Replace an account's authenticator (lost phone); the new secret is shown once."""
    _authorise(
        actor,
        Action.ACCOUNTS_MANAGE,
        event="account.totp_reset",
        domain=ACCOUNTS,
        target_type="user",
        target_id=account.pk,
    )
    with transaction.atomic():
        if account.is_system:
            raise ValidationError(_("The system actor cannot sign in."))
        TOTPDevice.objects.filter(user=account).delete()
        device = _new_device(account)
        record_event(
            actor=actor,
            action="account.totp_reset",
            domain=ACCOUNTS,
            target_type="user",
            target_id=account.pk,
        )
    return device


# --- API tokens ------------------------------------------------------------------------------


def token_create(
    *, actor: User, user: User, label: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token to `user`. The raw secret is returned once; only its hash is kept."""
    _authorise(
        actor,
        Action.TOKEN_ISSUE,
        user,
        event="token.create",
        domain=AUTH,
        target_type="user",
        target_id=user.pk,
    )
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": [_("Between 1 and %(max)d days.") % {"max": MAX_TOKEN_DAYS}]}
        )
    if not user.can_sign_in:
        raise ValidationError(_("Tokens are issued only to active accounts."))
    raw = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken(
            user=user,
            prefix=raw[:12],
            token_hash=ApiToken.hash(raw),
            label=label,
            expires_at=timezone.now() + timedelta(days=days),
        )
        token.full_clean()
        token.save()
        record_event(
            actor=actor,
            action="token.create",
            domain=AUTH,
            target_type="api_token",
            target_id=token.pk,
            detail={"user_id": str(user.pk), "days": days},
        )
    return token, raw


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    _authorise(
        actor,
        Action.TOKEN_REVOKE,
        token,
        event="token.revoke",
        domain=AUTH,
        target_type="api_token",
        target_id=token.pk,
    )
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="token.revoke",
            domain=AUTH,
            target_type="api_token",
            target_id=token.pk,
            detail={"user_id": str(token.user_id)},
        )
    return token


# --- Accounts --------------------------------------------------------------------------------


def account_version(account: User) -> str:
    """A version of the editable state, for ETag / If-Match and the edit form.

    Derived from the values rather than stored: an account has no version column, and two
    identical states are interchangeable for a writer anyway.
    """
    state = {name: str(getattr(account, _attname(name))) for name in ("username", *ACCOUNT_FIELDS)}
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]


def _attname(name: str) -> str:
    return User._meta.get_field(name).attname


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def account_create(
    *,
    actor: User,
    username: str,
    organisation: Organisation | None,
    role: str,
    clearance: int = Clearance.NONE,
    territory_arrondissement: Arrondissement | None = None,
    territory_municipality: Municipality | None = None,
    language: str = settings.LANGUAGE_CODE,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> tuple[User, TOTPDevice]:
    """Create an account with its TOTP device; the device's secret is for showing once."""
    _authorise(
        actor, Action.ACCOUNTS_MANAGE, event="account.create", domain=ACCOUNTS, target_type="user"
    )
    with transaction.atomic():
        user = User(
            username=username,
            organisation=organisation,
            role=role,
            clearance=clearance,
            territory_arrondissement=territory_arrondissement,
            territory_municipality=territory_municipality,
            language=language,
            email=email,
            first_name=first_name,
            last_name=last_name,
        )
        user.full_clean(exclude=["password"])
        if organisation is not None and not organisation.is_active:
            raise ValidationError({"organisation": [_("This organisation is inactive.")]})
        if password:
            _check_password(password, user)
            user.set_password(password)
        else:
            # No password yet: the account exists but cannot sign in.
            user.set_unusable_password()
        user.save()
        device = _new_device(user)
        set_fields = sorted(
            name for name in ACCOUNT_FIELDS if getattr(user, _attname(name)) not in (None, "")
        )
        record_event(
            actor=actor,
            action="account.create",
            domain=ACCOUNTS,
            target_type="user",
            target_id=user.pk,
            detail={"fields": set_fields, "password_set": bool(password)},
        )
    return user, device


def account_update(
    *,
    actor: User,
    account: User,
    changes: Mapping[str, Any],
    version: str | None = None,
) -> User:
    """Change an account's fields (names in ACCOUNT_FIELDS). `version` guards a stale write."""
    _authorise(
        actor,
        Action.ACCOUNTS_MANAGE,
        event="account.update",
        domain=ACCOUNTS,
        target_type="user",
        target_id=account.pk,
    )
    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.is_system:
            raise ValidationError(_("The system actor is not an account."))
        if version is not None and version != account_version(account):
            raise PreconditionFailed(_("The account changed since you read it."))
        changed = sorted(name for name, value in changes.items() if getattr(account, name) != value)
        if not changed:
            return account
        if account.pk == actor.pk and {"role", "is_active", "organisation"} & set(changed):
            # Nobody locks themselves (and perhaps everyone) out of account management.
            raise ValidationError(_("You cannot change your own role, organisation or status."))
        for name in changed:
            setattr(account, name, changes[name])
        account.full_clean(exclude=["password"])
        if (
            "organisation" in changed
            and account.organisation
            and not account.organisation.is_active
        ):
            raise ValidationError({"organisation": [_("This organisation is inactive.")]})
        account.save()
        detail: dict[str, Any] = {"fields": changed}
        if "is_active" in changed and not account.is_active:
            detail["tokens_revoked"] = _revoke_all_tokens(account)
        record_event(
            actor=actor,
            action="account.update",
            domain=ACCOUNTS,
            target_type="user",
            target_id=account.pk,
            detail=detail,
        )
    return account


def _revoke_all_tokens(account: User) -> int:
    # A closed account keeps no API access, even if it is reopened later.
    return ApiToken.objects.filter(user=account, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def account_deactivate(*, actor: User, account: User) -> User:
    """Close an account: it can no longer sign in, and its API tokens are revoked."""
    _authorise(
        actor,
        Action.ACCOUNTS_MANAGE,
        event="account.deactivate",
        domain=ACCOUNTS,
        target_type="user",
        target_id=account.pk,
    )
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.is_system:
            raise ValidationError(_("The system actor is not an account."))
        if account.pk == actor.pk:
            raise ValidationError(_("You cannot deactivate your own account."))
        if not account.is_active:
            raise ValidationError(_("This account is already inactive."))
        account.is_active = False
        account.save(update_fields=["is_active"])
        revoked = _revoke_all_tokens(account)
        record_event(
            actor=actor,
            action="account.deactivate",
            domain=ACCOUNTS,
            target_type="user",
            target_id=account.pk,
            detail={"fields": ["is_active"], "tokens_revoked": revoked},
        )
    return account
