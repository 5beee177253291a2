"""API endpoints of the core app: who am I, and accounts (administrators only)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from vigie.core import selectors, services
from vigie.core.schemas import (
    AccountCreatedOut,
    AccountIn,
    AccountListOut,
    AccountOut,
    AccountPatch,
    MeOut,
)

router = Router(tags=["identity"])

# Fields a PATCH may not set to null (the territory may be cleared).
NOT_NULLABLE = {"organisation", "role", "clearance", "language", "email", "is_active"}


@router.get("/me", response=MeOut, summary="The signed-in user, organisation and profile")
def me(request: HttpRequest) -> MeOut:
    return MeOut.from_user(request.auth)


def _out(account: Any, response: HttpResponse) -> AccountOut:
    version = services.account_version(account)
    response["ETag"] = f'"{version}"'
    return AccountOut.from_user(account, version)


def _if_match(request: HttpRequest) -> str | None:
    raw = request.headers.get("If-Match")
    if not raw or raw.strip() == "*":
        return None
    return raw.strip().removeprefix("W/").strip('"')


@router.get("/accounts", response=AccountListOut, summary="Accounts (administrators)")
def account_list(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    organisation: str | None = None,
    role: str | None = None,
    is_active: bool | None = None,
) -> dict[str, Any]:
    qs = selectors.account_list(
        actor=request.auth, organisation=organisation, role=role, is_active=is_active
    )
    items = [
        AccountOut.from_user(a, services.account_version(a)) for a in qs[offset : offset + limit]
    ]
    return {"items": items, "count": qs.count()}


@router.get("/accounts/{account_id}", response=AccountOut, summary="One account")
def account_detail(request: HttpRequest, account_id: UUID, response: HttpResponse) -> AccountOut:
    return _out(selectors.account_get(actor=request.auth, account_id=account_id), response)


@router.post("/accounts", response={201: AccountCreatedOut}, summary="Create an account")
def account_create(request: HttpRequest, payload: AccountIn, response: HttpResponse) -> Status:
    selectors.require_accounts_manager(request.auth, "account.create")
    data = selectors.resolve_account_references(payload.dict())
    account, device = services.account_create(actor=request.auth, **data)
    out = _out(account, response)
    created = AccountCreatedOut(**out.dict(), totp_provisioning_uri=device.config_url)
    return Status(201, created)


@router.patch("/accounts/{account_id}", response=AccountOut, summary="Change an account")
def account_update(
    request: HttpRequest, account_id: UUID, payload: AccountPatch, response: HttpResponse
) -> AccountOut:
    account = selectors.account_get(actor=request.auth, account_id=account_id)
    changes = payload.dict(exclude_unset=True)
    nulls = sorted(name for name in NOT_NULLABLE if name in changes and changes[name] is None)
    if nulls:
        raise ValidationError({name: ["This field may not be null."] for name in nulls})
    changes = selectors.resolve_account_references(changes)
    account = services.account_update(
        actor=request.auth, account=account, changes=changes, version=_if_match(request)
    )
    return _out(account, response)
