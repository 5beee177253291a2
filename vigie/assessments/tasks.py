"""Background work of the assessments app (django-tasks; run by `vigie worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import assessments_expire


@task()
def expire_assessments() -> list[str]:
    """Mark assessments past their validity as expired and notify their authors."""
    return [f"{a.reference} v{a.revision}" for a in assessments_expire()]
