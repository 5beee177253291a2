"""Publications of the national list, and the screening of the list (engine in
`vigie.screening.engine`)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.db import transaction

from vigie.access.policy import MeasureAction
from vigie.audit.services import record_event
from vigie.core.models import User
from vigie.core.references import next_reference
from vigie.screening.engine import Matcher

from .. import national_list
from ..models import Publication
from .common import DOMAIN, require


def publication_create(*, actor: User) -> tuple[Publication, bool]:
    """Snapshot the national list as it stands; an unchanged list reuses the latest
    publication. Returns the publication and whether it is new."""
    from ..selectors import national_list_entries

    require(actor, MeasureAction.NATIONAL_LIST_EXPORT)
    entries = national_list_entries(actor=actor)
    digest = national_list.content_hash(entries)
    with transaction.atomic():
        latest = Publication.objects.select_for_update().order_by("-created_at").first()
        if latest is not None and latest.content_hash == digest:
            return latest, False
        publication = Publication.objects.create(
            reference=next_reference("NL", width=4),
            created_by=actor,
            entries=entries,
            count=len(entries),
            content_hash=digest,
            previous=latest,
        )
        changes = national_list.diff(latest.entries if latest else [], entries)
        record_event(
            actor=actor,
            action="national_list.publish",
            target_type="national_list",
            target_id=publication.id,
            domain=DOMAIN,
            detail={
                "reference": publication.reference,
                "sha256": digest,
                "count": len(entries),
                "added": len(changes["added"]),
                "removed": len(changes["removed"]),
                "changed": len(changes["changed"]),
            },
        )
        return publication, True


def publication_export(*, actor: User, publication: Publication, fmt: str) -> bytes:
    """One publication in a format (csv, xlsx, ftm); the journal keeps the bytes' SHA-256."""
    require(actor, MeasureAction.NATIONAL_LIST_EXPORT)
    if fmt not in national_list.FORMATS:
        from django.core.exceptions import ValidationError

        raise ValidationError({"format": "csv, xlsx or ftm"})
    content = national_list.FORMATS[fmt][0](publication.entries)
    from vigie.documents.rendering import sha256_of

    record_event(
        actor=actor,
        action="national_list.export",
        target_type="national_list",
        target_id=publication.id,
        domain=DOMAIN,
        detail={"reference": publication.reference, "format": fmt, "sha256": sha256_of(content)},
    )
    return content


# --- Screening ---------------------------------------------------------------------------------


def _file_date(value: str) -> str | None:
    """`dd-mm-yy` (the list's own layout) or ISO; 00 parts are unknown."""
    value = (value or "").strip()
    if not value:
        return None
    parts = value.split("-")
    if len(parts) == 3 and len(parts[2]) == 2 and len(parts[0]) == 2:
        day, month, yy = parts
        year = 1900 + int(yy) if int(yy) > 30 else 2000 + int(yy)
        if month == "00":
            return str(year)
        return f"{year}-{month}" if day == "00" else f"{year}-{month}-{day}"
    return value


def records_from_file(content: bytes) -> list[dict[str, Any]]:
    """Screening records from a file: JSON (a list of records as docs/screening.md says), or a
    CSV with a header (`;` or `,`): `name` or `Wholename`, and optionally `birth_date` or
    `Birth date`, `nationality`, `gender` or `Gender`, `id`. Raises ValueError."""
    text = content.decode("utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith("["):
        data = json.loads(text)
        if not isinstance(data, list):
            raise ValueError("expected a JSON list of records")
        return [dict(r, id=r.get("id", f"row{i + 1}")) for i, r in enumerate(data)]
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    for number, row in enumerate(reader, start=1):
        names = (row.get("name") or row.get("Wholename") or "").split("\n")
        records.append(
            {
                "id": row.get("id") or f"row{number}",
                "name": names[0],
                "aliases": [n for n in names[1:] if n.strip()],
                "birth_date": _file_date(row.get("birth_date") or row.get("Birth date") or ""),
                "nationality": (row.get("nationality") or "").split() or None,
                "gender": row.get("gender") or row.get("Gender") or None,
            }
        )
    if reader.fieldnames is None or not ({"name", "Wholename"} & set(reader.fieldnames)):
        raise ValueError("the file needs a header with a `name` (or `Wholename`) column")
    return records


def list_as_records(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": e["key"],
            "name": e["names"][0],
            "aliases": e["names"][1:],
            "birth_date": e["birth_date"] or None,
            "nationality": e["nationalities"],
            "gender": e["gender"] or None,
            "identifiers": e["numbers"],
        }
        for e in entries
    ]


def national_list_screen(
    *, actor: User, against: list[dict[str, Any]] | None = None, threshold: float | None = None
) -> list[dict[str, Any]]:
    """Screen the national list against the common database (default) or against records
    (e.g. from a file). Each hit: the list entry, the record, the score and why. A list entry
    never matches its own database entry."""
    from ..selectors import national_list_entries, screening_records_of_database

    require(actor, MeasureAction.NATIONAL_LIST_SCREEN)
    entries = national_list_entries(actor=actor)
    source = "file" if against is not None else "database"
    records = against if against is not None else screening_records_of_database(actor=actor)
    matcher = Matcher.from_records(list_as_records(entries), on_error="skip")
    hits = []
    queries = [r for r in records if r.get("name")]
    results = matcher.match(queries, threshold=threshold, limit=5) if queries else []
    for query, found in zip(queries, results, strict=True):
        for candidate in found:
            if source == "database" and candidate.record_id == query["id"]:
                continue
            hits.append(
                {
                    "list_entry": candidate.record_id,
                    "record": str(query["id"]),
                    "record_name": query["name"],
                    "score": candidate.score,
                    "why": candidate.explanation.summary(),
                }
            )
    record_event(
        actor=actor,
        action="national_list.screen",
        domain=DOMAIN,
        detail={"against": source, "records": len(records), "hits": len(hits)},
    )
    return hits
