"""Background work of the measures app (django-tasks; run by `vigie worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import measures_expire, reviews_remind


@task()
def remind_reviews() -> list[str]:
    """E-mail the owners of freeze reviews due within the reminder delay."""
    return [f"{r.case.reference} {r.due_on.isoformat()}" for r in reviews_remind()]


@task()
def expire_measures() -> list[str]:
    """End ID-card and passport measures whose period is over."""
    return [c.reference for c in measures_expire()]
