"""Bulk seeding (`vigie seed --persons`) and the registry benchmark command."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from vigie.audit.models import AuditEvent
from vigie.core.references import next_reference, next_references
from vigie.registry.choices import SUB_STATUSES, EntryStatus
from vigie.registry.models import CategoryMembership, Entity, EntityName, Relation

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_next_references_reserves_a_block():
    first = next_reference("T")
    block = next_references("T", 3)
    assert [r[-6:] for r in block] == ["000002", "000003", "000004"]
    assert first.endswith("000001") and next_reference("T").endswith("000005")
    assert next_references("T", 0) == []


@override_settings(DEMO=True)
def test_seed_persons_creates_validated_persons_journaled_by_batch():
    seed("--persons", "50", "--batch-size", "20")
    persons = Entity.objects.filter(kind="person", status=EntryStatus.VALIDATED)
    assert persons.count() == 50
    assert Entity.objects.filter(status=EntryStatus.PROPOSED).count() == 1  # 50 // 50
    assert not persons.filter(threat_level=None).exists()
    assert not persons.filter(review_due=None).exists()
    for m in CategoryMembership.objects.all():
        assert (m.sub_status in SUB_STATUSES[m.category]) or (
            not SUB_STATUSES[m.category] and not m.sub_status
        )
    # Normalised names are filled the way the services fill them.
    assert not EntityName.objects.filter(normalised="").exists()
    events = AuditEvent.objects.filter(action="entity.seed")
    assert events.count() == 3  # 51 entities in batches of 20
    assert sum(e.detail["count"] for e in events) == 51
    assert set(events.values_list("actor_username", flat=True)) == {"system"}
    assert events.first().detail["first_reference"].startswith("P-")


@override_settings(DEMO=True)
def test_initial_persons_seeds_only_an_empty_database_and_persons_adds():
    seed("--initial-persons", "20")
    assert Entity.objects.filter(kind="person").count() == 20
    assert "already present" in seed("--initial-persons", "20")
    seed("--persons", "10")  # new serials: no duplicate document numbers
    assert Entity.objects.filter(kind="person", status="validated").count() == 30


@override_settings(DEMO=False)
def test_refused_without_demo_mode_or_fictitious_flag():
    with pytest.raises(CommandError, match="--fictitious"):
        seed("--persons", "5")
    assert not Entity.objects.exists()
    seed("--persons", "5", "--fictitious")
    assert Entity.objects.filter(kind="person").count() == 5


@pytest.mark.parametrize("value", ["-1", "abc", "1.5"])
def test_bad_counts_are_refused(value):
    with pytest.raises(CommandError, match="--persons"):
        seed("--persons", value, "--fictitious")


def test_bad_count_on_the_command_line_is_one_line_and_exit_1(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIGIE_DEMO"}}
    env["VIGIE_DATA"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "vigie", "seed", "--persons", "abc", "--fictitious"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "vigie: --persons needs a whole number (got 'abc')"
    ]


@override_settings(DEMO=True)
def test_siblings_and_members_are_related():
    seed("--persons", "300")
    kinds = set(Relation.objects.values_list("kind", flat=True))
    assert "sibling" in kinds


@override_settings(DEMO=False)
def test_bench_refuses_without_demo_or_fictitious():
    with pytest.raises(CommandError, match="--fictitious"):
        call_command("bench", "registry", "--persons", "10", stdout=StringIO())


def test_bench_runs_and_prints_the_table():
    out = StringIO()
    call_command(
        "bench",
        "registry",
        "--persons",
        "200",
        "--repeat",
        "2",
        "--fictitious",
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert "orm median" in text and "sql p95" in text
    for label in ("list analyst FTF+province", "list partner (profile) FTF+name", "detail"):
        assert label in text
    assert Entity.objects.filter(kind="person").count() >= 200


def test_bench_screening_api_times_requests_beside_the_engine():
    out = StringIO()
    call_command(
        "bench",
        "screening-api",
        "--persons",
        "150",
        "--repeat",
        "5",
        "--fictitious",
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert "POST /api/v1/screening/match: median" in text
    assert "peer engine alone" in text
    assert "5 single-name requests" in text
    # every request was journaled like any screening
    assert AuditEvent.objects.filter(action__startswith="screening").count() >= 5


def test_bench_screening_reports_the_passes():
    out = StringIO()
    call_command(
        "bench", "screening", "--size", "1500", "--queries", "110", "--no-peers",
        "--passes", "2", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "| all | 110 |" in text
    assert "median of 2 cold passes" in text
