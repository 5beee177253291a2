"""Bearer-token authentication for the API: the token stands in for the second factor."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from vigie.core.models import ApiToken, User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token.startswith(ApiToken.PREFIX):
            return None
        found = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(token_hash=ApiToken.hash(token))
            .first()
        )
        if found is None or not found.is_valid or not found.user.is_active:
            return None
        user = found.user
        if user.is_system:
            return None
        now = timezone.now()
        # One write a minute at most: the column is informational.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = user
        return user
