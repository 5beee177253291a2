"""API endpoints of the core app: who am I."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from vigie.core.schemas import MeOut

router = Router(tags=["identity"])


@router.get("/me", response=MeOut, summary="The signed-in user, organisation and profile")
def me(request: HttpRequest) -> MeOut:
    return MeOut.from_user(request.auth)
