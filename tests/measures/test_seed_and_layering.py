"""Demo cases through the services; only selectors and services touch the measures models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import OrganisationFactory, UserFactory
from vigie.core.choices import Clearance, Role
from vigie.demo.measures_seed import seed_measures
from vigie.measures.models import MeasureCase

from .conftest import listed

MODELS = (
    "MeasureCase",
    "Consultation",
    "Advice",
    "Decision",
    "FreezeReview",
    "Appeal",
    "CaseEvent",
    "Publication",
    "AdviceDelivery",
)
USE = re.compile(r"\b(" + "|".join(MODELS) + r")\.(objects|_default_manager)\b")


def test_views_api_forms_commands_do_not_touch_measures_managers():
    offenders = []
    for path in (Path(settings.BASE_DIR) / "measures").rglob("*.py"):
        if path.name in {"selectors.py", "models.py"} or "services" in path.parts:
            continue
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if USE.search(line):
                offenders.append(f"{path.name}:{number}")
    assert offenders == []


@pytest.mark.django_db
def test_seed_measures(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert seed_measures() == []  # no demo accounts yet: nothing
    body = OrganisationFactory(code="ocam")
    analyst = UserFactory(
        username="analyst", organisation=body, role=Role.ANALYST, clearance=Clearance.SECRET
    )
    validator = UserFactory(
        username="validator", organisation=body, role=Role.VALIDATOR, clearance=Clearance.SECRET
    )
    UserFactory(username="feeder", organisation=OrganisationFactory(code="police-federal"))
    for n in range(4):
        listed(analyst, validator, f"Demo Person{n}", given="Demo", surname=f"Person{n}")
    created = seed_measures()
    assert len(created) == 5
    freeze = MeasureCase.objects.get(measure_type="asset_freeze")
    assert freeze.status == "in_force"
    id_ban = MeasureCase.objects.get(measure_type="id_withdrawal")
    assert id_ban.linked_cases.get().status == "in_force"
    assert seed_measures() == []
