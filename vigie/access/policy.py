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
    TOKEN_ISSUE = "token.issue"  # noqa: S105 — issue a token to `obj` (a user)
    TOKEN_REVOKE = "token.revoke"  # noqa: S105 — revoke `obj` (an ApiToken)


# The operator's command line acts as the system actor: whoever runs `vigie` on the server
# already holds the database, so these account chores are open to it and to nothing else.
SYSTEM_ACTIONS = frozenset({Action.ACCOUNTS_MANAGE, Action.TOKEN_ISSUE, Action.TOKEN_REVOKE})


def is_system_actor(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_system", False))


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
    if is_system_actor(user):
        return action in SYSTEM_ACTIONS
    if not is_active_member(user):
        return False
    if action == Action.JOURNAL_SEARCH:
        return user.role == Role.OVERSIGHT and bool(user.organisation.oversight_scope)
    if action == Action.ACCOUNTS_MANAGE:
        return user.role == Role.ADMINISTRATOR
    if action == Action.TOKEN_CREATE_OWN:
        return True
    if action == Action.TOKEN_ISSUE:
        # Only to oneself: a token issued to someone else would let the issuer act as them,
        # and the administrator must see no content.
        return obj is not None and getattr(obj, "pk", None) == user.pk
    if action == Action.TOKEN_REVOKE:
        # Revoking only removes access: the owner and the administrator may.
        owner_id = getattr(obj, "user_id", None)
        return owner_id == user.pk or user.role == Role.ADMINISTRATOR
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
