"""API schemas of screening. Queries are checked by the engine (`lists.check_query`), so the
messages name the field the same way in the API, the UI and the CLI."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class QueryIn(Schema):
    id: str | None = Field(None, max_length=100)
    name: Any = None
    aliases: list[Any] = Field(default_factory=list, max_length=20)
    birth_date: str | None = Field(None, max_length=10)
    nationality: list[str] | str | None = None
    gender: str | None = Field(None, max_length=10)
    identifiers: list[str] = Field(default_factory=list, max_length=20)


class MatchIn(Schema):
    queries: list[dict[str, Any]] = Field(description="Up to 1,000 queries (413 beyond).")
    threshold: float | None = Field(None, description="0.5 to 1 (card/full readers only).")
    limit: int = Field(5, ge=1, le=20, description="Candidates per query.")
    purpose: str = Field("", max_length=500)


class JobIn(Schema):
    queries: list[dict[str, Any]]
    threshold: float | None = None
    purpose: str = Field("", max_length=500)


def job_out(job: Any) -> dict[str, Any]:
    return {
        "id": str(job.id),
        "reference": job.reference,
        "status": job.status,
        "total": job.total,
        "processed": job.processed,
        "progress": job.progress,
        "hits": job.hits,
        "sha256": job.sha256,
        "rejected": job.rejected,
        "rejected_count": job.rejected_count,
        "warnings": job.warnings,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def query_in(raw: dict[str, Any], position: int) -> dict[str, Any]:
    """A query as given, with only the engine's fields (and an id)."""
    query = {k: v for k, v in raw.items() if k in QueryIn.model_fields and v not in (None, "", [])}
    query.setdefault("id", str(position))
    query["id"] = str(query["id"])[:100]
    return query
