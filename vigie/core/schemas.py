"""API schemas of the core app."""

from __future__ import annotations

from uuid import UUID

from ninja import Schema

from vigie.core.models import User


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
