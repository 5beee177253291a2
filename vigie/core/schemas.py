"""API schemas of the core app."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from vigie.core.choices import Clearance, Role
from vigie.core.models import User

Language = Literal["fr", "nl", "en"]


class MeOut(Schema):
    id: UUID
    username: str
    role: str
    clearance: int
    organisation: str | None

    @classmethod
    def from_user(cls, user: User) -> MeOut:
        return cls(
            id=user.id,
            username=user.username,
            role=user.role,
            clearance=user.clearance,
            organisation=user.organisation.code if user.organisation else None,
        )


class AccountOut(Schema):
    id: UUID
    # Accounts have no numbered reference: the username is the human one.
    reference: str
    username: str
    first_name: str
    last_name: str
    email: str
    organisation: str | None
    role: str
    clearance: int
    territory_arrondissement: str | None
    territory_municipality: str | None
    language: str
    is_active: bool
    version: str

    @classmethod
    def from_user(cls, user: User, version: str) -> AccountOut:
        return cls(
            id=user.id,
            reference=user.username,
            username=user.username,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            organisation=user.organisation.code if user.organisation else None,
            role=user.role,
            clearance=user.clearance,
            territory_arrondissement=user.territory_arrondissement_id,
            territory_municipality=user.territory_municipality_id,
            language=user.language,
            is_active=user.is_active,
            version=version,
        )


class AccountCreatedOut(AccountOut):
    # The authenticator's provisioning URI, in this answer only.
    totp_provisioning_uri: str


class AccountListOut(Schema):
    items: list[AccountOut]
    count: int


class AccountIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    organisation: str = Field(description="Organisation code")
    role: Role
    clearance: Clearance = Clearance.NONE
    territory_arrondissement: str | None = Field(None, description="Arrondissement code")
    territory_municipality: str | None = Field(None, description="Municipality NIS code")
    language: Language = "fr"
    email: str = Field("", max_length=254)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    password: str | None = Field(None, description="Initial password; none: cannot sign in yet")


class AccountPatch(Schema):
    organisation: str | None = None
    role: Role | None = None
    clearance: Clearance | None = None
    territory_arrondissement: str | None = None
    territory_municipality: str | None = None
    language: Language | None = None
    email: str | None = Field(None, max_length=254)
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    is_active: bool | None = None
