"""The journal of screenings, enumeration alerts, and the retention purge."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.screening.conftest import listed
from vigie.audit.models import AuditEvent
from vigie.screening import services
from vigie.screening.models import EnumerationAlert, ScreeningHit, ScreeningJob, ScreeningQuery

pytestmark = pytest.mark.django_db


def test_every_screening_is_journaled_with_counts_hash_and_ids_only(validator, youssef):
    queries = [{"id": "1", "name": "Abou Hafs"}, {"id": "2", "name": "Nobody Special"}]
    job, _ = services.screen_now(actor=validator, queries=queries, purpose="Accreditation")
    event = AuditEvent.objects.get(action="screening.run")
    assert event.actor_id == validator.id and event.purpose == "Accreditation"
    assert event.detail["names"] == 2 and event.detail["hits"] == 1
    assert event.detail["ids"] == [str(youssef.id)]
    assert event.detail["sha256"] == job.sha256 and len(job.sha256) == 64
    assert "Abou" not in str(event.detail) and "Nobody" not in str(event.detail)


def test_a_list_job_journals_the_file_hash(validator, youssef):
    content = b"name\nAbou Hafs\n"
    job = services.job_create(actor=validator, data=io.BytesIO(content), filename="l.csv")
    assert job.sha256 == hashlib.sha256(content).hexdigest()
    services.job_run(job_id=job.id)
    submit = AuditEvent.objects.get(action="screening.submit")
    run = AuditEvent.objects.get(action="screening.run")
    assert submit.detail["sha256"] == run.detail["sha256"] == job.sha256
    assert run.detail["ids"] == [str(youssef.id)]


def test_refusal_is_journaled(nobody):
    with pytest.raises(Exception, match="not allowed"):
        services.screen_now(actor=nobody, queries=[{"name": "Abou Hafs"}])
    assert AuditEvent.objects.filter(action="screening.run", outcome="denied").exists()


def test_many_names_with_few_hits_raise_an_enumeration_alert(settings, hit_user, youssef):
    settings.SCREENING_ENUMERATION = {**settings.SCREENING_ENUMERATION, "min_names": 20}
    queries = [{"id": str(i), "name": f"Person Number{chr(65 + i)}x Tester{i}"} for i in range(25)]
    services.screen_now(actor=hit_user, queries=queries)
    alert = EnumerationAlert.objects.get()
    assert alert.user == hit_user and alert.reason == "many_names_few_hits"
    event = AuditEvent.objects.get(action="screening.enumeration_alert")
    assert event.target_id == str(hit_user.id) and event.detail["names"] == 25
    services.screen_now(actor=hit_user, queries=queries[:3])
    assert EnumerationAlert.objects.count() == 1  # once per reason per window


def test_a_name_sweep_raises_an_alert(settings, hit_user, validator):
    for i in range(3):
        listed(validator, f"Sweepson Given{chr(65 + i)}x")
    settings.SCREENING_ENUMERATION = {**settings.SCREENING_ENUMERATION, "sweep_min_names": 10}
    queries = [{"id": str(i), "name": f"Sweepson Given{chr(65 + i)}x"} for i in range(12)]
    services.screen_now(actor=hit_user, queries=queries)
    assert EnumerationAlert.objects.get().reason == "name_sweep"


def test_registry_hit_checks_count_towards_enumeration(settings, hit_user):
    from vigie.registry.selectors import hit_check

    settings.SCREENING_ENUMERATION = {**settings.SCREENING_ENUMERATION, "sweep_min_names": 5}
    for letter in "ABCDEF":
        hit_check(actor=hit_user, name=f"Dupont {letter}lbert{letter}")
    assert EnumerationAlert.objects.get().reason == "name_sweep"


def test_full_readers_raise_no_alert(settings, validator):
    settings.SCREENING_ENUMERATION = {**settings.SCREENING_ENUMERATION, "min_names": 5}
    services.screen_now(actor=validator, queries=[{"name": f"Some Body{c}x"} for c in "ABCDEFG"])
    assert not EnumerationAlert.objects.exists()


def test_purge_deletes_old_lists_and_keeps_confirmed_hits(settings, validator, youssef):
    settings.SCREENING_RETENTION_DAYS = 30
    content = b"name\nAbou Hafs\nYoussef Ezzayani\nOther Person\n"
    job = services.job_create(actor=validator, data=io.BytesIO(content), filename="l.csv")
    services.job_run(job_id=job.id)
    first, second = ScreeningHit.objects.filter(job=job).order_by("line")
    services.hit_decide(actor=validator, hit=first, decision="confirmed", comment="Same.")
    recent = services.job_create(actor=validator, data=io.BytesIO(content), filename="r.csv")
    old = timezone.now() - timedelta(days=31)
    ScreeningJob.objects.filter(pk=job.pk).update(created_at=old)
    ScreeningHit.objects.filter(job=job).update(created_at=old)
    call_command("screen", "--purge", stdout=io.StringIO())
    assert not ScreeningJob.objects.filter(pk=job.pk).exists()
    assert ScreeningJob.objects.filter(pk=recent.pk).exists()
    assert not ScreeningQuery.objects.filter(job_id=job.pk).exists()
    kept = ScreeningHit.objects.get(pk=first.pk)
    assert kept.decision == "confirmed" and kept.job_id is None
    assert not ScreeningHit.objects.filter(pk=second.pk).exists()
    assert AuditEvent.objects.filter(action="screening.purge").get().detail["jobs"] == 1


def test_purge_task(validator):
    from vigie.screening.tasks import purge_screenings

    assert purge_screenings.call()["jobs"] == 0
