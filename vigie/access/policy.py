"""THE access policy: every decision of who may see or do what is taken here, nowhere else.

Decisions are pure functions of the user (organisation profile narrowed by role, clearance,
territory) and the object. They fail closed: an unknown action is refused. There is no
superuser bypass; the administrator manages accounts and sees no content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from vigie.core.choices import OversightScope, Role, Sector


class Action:
    """The actions the policy knows. Names are `<area>.<verb>`."""

    JOURNAL_SEARCH = "journal.search"
    ACCOUNTS_MANAGE = "accounts.manage"
    TOKEN_CREATE_OWN = "token.create_own"  # noqa: S105 — an action name


def is_active_member(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and not getattr(user, "is_system", False)
        and user.organisation_id is not None
        and user.organisation.is_active
    )


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` (on `obj`)? Unknown actions are refused."""
    if not is_active_member(user):
        return False
    if action == Action.JOURNAL_SEARCH:
        return user.role == Role.OVERSIGHT and bool(user.organisation.oversight_scope)
    if action == Action.ACCOUNTS_MANAGE:
        return user.role == Role.ADMINISTRATOR
    if action == Action.TOKEN_CREATE_OWN:
        return True
    return False


def journal_scope(user: Any) -> Q | None:
    """The journal events an oversight user may search, as a filter; None means none at all.

    Comité P: events of police actors. Comité R: events of intelligence services and the body.
    COC: every event concerning the common database.
    """
    if not can(user, Action.JOURNAL_SEARCH):
        return None
    scope = user.organisation.oversight_scope
    if scope == OversightScope.POLICE:
        return Q(actor_sector=Sector.POLICE)
    if scope == OversightScope.INTELLIGENCE:
        return Q(actor_sector__in=[Sector.INTELLIGENCE, Sector.COORDINATION])
    if scope == OversightScope.DATABASE:
        return Q(domain="database")
    if scope == OversightScope.ALL:
        return Q()
    return None
