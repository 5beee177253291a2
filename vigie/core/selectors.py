"""Reads of the core app: accounts (for administrators) and reference look-ups by code."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from vigie.access.policy import Action, can
from vigie.audit.models import Outcome
from vigie.audit.services import record_event
from vigie.core.models import ApiToken, Arrondissement, Municipality, Organisation, User


def require_accounts_manager(actor: User, event: str) -> None:
    """Refuse (journaled) anyone but an administrator."""
    if not can(actor, Action.ACCOUNTS_MANAGE):
        record_event(actor=actor, action=event, outcome=Outcome.DENIED, domain="accounts")
        raise PermissionDenied(_("Only administrators manage accounts."))


def account_list(
    *,
    actor: User,
    organisation: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> QuerySet[User]:
    """Human accounts, for administrators only (the system actor is not listed)."""
    require_accounts_manager(actor, "account.list")
    qs = (
        User.objects.filter(is_system=False)
        .select_related("organisation", "territory_arrondissement", "territory_municipality")
        .order_by("username")
    )
    if organisation:
        qs = qs.filter(organisation__code=organisation)
    if role:
        qs = qs.filter(role=role)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return qs


def account_get(*, actor: User, account_id: UUID | str) -> User:
    require_accounts_manager(actor, "account.read")
    account = (
        User.objects.filter(is_system=False)
        .select_related("organisation", "territory_arrondissement", "territory_municipality")
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise Http404
    return account


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """A user's tokens (metadata only; secrets are never stored)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username, is_system=False).first()


def resolve_account_references(data: dict[str, Any]) -> dict[str, Any]:
    """Replace codes (organisation code, arrondissement code, municipality NIS) by rows.

    Unknown codes raise a ValidationError naming the field, so every interface answers alike.
    """
    resolved = dict(data)
    errors: dict[str, list[str]] = {}
    lookups: dict[str, tuple[type, str]] = {
        "organisation": (Organisation, "code"),
        "territory_arrondissement": (Arrondissement, "code"),
        "territory_municipality": (Municipality, "nis_code"),
    }
    for name, (model, key) in lookups.items():
        if name not in data or data[name] in (None, ""):
            if name in data:
                resolved[name] = None
            continue
        row = model.objects.filter(**{key: data[name]}).first()
        if row is None:
            errors[name] = [_("Unknown code '%(code)s'.") % {"code": data[name]}]
        resolved[name] = row
    if errors:
        raise ValidationError(errors)
    return resolved
