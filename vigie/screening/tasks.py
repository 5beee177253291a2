"""Background work of screening (django-tasks; run by `vigie worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import job_run, screening_purge


@task()
def screen_list(job_id: str) -> dict:
    """Screen a queued list against the index, recording progress as it goes."""
    job = job_run(job_id=job_id)
    return {"reference": job.reference, "status": job.status, "hits": job.hits}


@task()
def purge_screenings() -> dict:
    """Delete screened lists and results past SCREENING_RETENTION_DAYS (confirmed hits stay)."""
    return screening_purge()
