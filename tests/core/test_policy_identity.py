"""The policy's identity decisions, as a matrix: role × action × object."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from vigie.access.policy import Action, can
from vigie.core.choices import Role
from vigie.core.models import ApiToken
from vigie.core.services import system_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role.values)
def test_only_administrators_manage_accounts(role):
    assert can(UserFactory(role=role), Action.ACCOUNTS_MANAGE) is (role == Role.ADMINISTRATOR)


@pytest.mark.parametrize("role", Role.values)
def test_a_token_is_issued_only_to_oneself(role):
    user = UserFactory(role=role)
    assert can(user, Action.TOKEN_ISSUE, user)
    assert not can(user, Action.TOKEN_ISSUE, UserFactory())


@pytest.mark.parametrize("role", Role.values)
def test_revoke_own_token_or_as_administrator(role):
    user, other = UserFactory(role=role), UserFactory()
    assert can(user, Action.TOKEN_REVOKE, ApiToken(user=user))
    assert can(user, Action.TOKEN_REVOKE, ApiToken(user=other)) is (role == Role.ADMINISTRATOR)


def test_system_actor_may_do_account_chores_and_nothing_else():
    system = system_user()
    for action in (Action.ACCOUNTS_MANAGE, Action.TOKEN_ISSUE, Action.TOKEN_REVOKE):
        assert can(system, action, UserFactory())
    assert not can(system, Action.JOURNAL_SEARCH)
    assert not can(system, "registry.read")


def test_inactive_administrator_may_nothing():
    admin = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    assert not can(admin, Action.ACCOUNTS_MANAGE)
