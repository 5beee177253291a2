"""Fixtures of the journal's tests: oversight users, and tampering as an attacker would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from tests.factories import OrganisationFactory, UserFactory
from vigie.audit.db_triggers import drop_sql, install_sql
from vigie.core.choices import OrganisationKind, OversightScope, Role, Sector


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    # The factories set a password on every user; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def triggers_dropped() -> Iterator[Any]:
    """Drop the append-only triggers (as the table's owner could), yield a cursor, restore."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for sql in drop_sql(vendor):
            cursor.execute(sql)
        try:
            yield cursor
        finally:
            for sql in install_sql(vendor):
                cursor.execute(sql)


def make_oversight_user(scope: str) -> Any:
    organisation = OrganisationFactory(
        kind=OrganisationKind.OVERSIGHT_BODY, sector=Sector.OTHER, oversight_scope=scope
    )
    return UserFactory(role=Role.OVERSIGHT, organisation=organisation)


@pytest.fixture
def comite_p() -> Any:
    return make_oversight_user(OversightScope.POLICE)


@pytest.fixture
def comite_r() -> Any:
    return make_oversight_user(OversightScope.INTELLIGENCE)


@pytest.fixture
def coc() -> Any:
    return make_oversight_user(OversightScope.DATABASE)


@pytest.fixture
def user_in() -> Callable[..., Any]:
    """A user of a new organisation of `sector` (and role)."""

    def make(sector: str, role: str = Role.ANALYST, **kwargs: Any) -> Any:
        return UserFactory(role=role, organisation=OrganisationFactory(sector=sector), **kwargs)

    return make
