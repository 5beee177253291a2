"""Fixtures of the identity tests: accounts, TOTP codes, journal look-ups."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OrganisationFactory, UserFactory
from vigie.audit.models import AuditEvent
from vigie.core.choices import Role
from vigie.core.models import User


def code_of(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code the device shows now (or `offset_steps` steps away)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + offset_steps,
    )
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code that none of the accepted time steps produce."""
    accepted = {code_of(device, k) for k in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


@pytest.fixture(autouse=True)
def _no_totp_throttle(settings):  # type: ignore[no-untyped-def]
    # django-otp slows down retries after a wrong code; tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def administrator(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.ADMINISTRATOR, organisation=OrganisationFactory(code="body"))


@pytest.fixture
def officer(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(role=Role.PARTNER_OFFICER)


@pytest.fixture
def device(officer: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=officer, name="default", confirmed=True)
