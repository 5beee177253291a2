"""The national list's publication formats, from its entries (plain dicts, no database).

One entry per person or organisation under a national asset freeze in force (built by
`selectors.national_list_entries`). The FPS Finance consolidated CSV layout lives in
`CSV_COLUMNS` only: change the order or a header there and every export follows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

EMBARGO_NATIONAL = "BE"
MULTI = "\n"  # separates several values inside one field
ENTRY_FIELDS = (
    "key",
    "type",
    "names",
    "lastname",
    "firstname",
    "middlename",
    "gender",
    "birth_date",
    "birth_place",
    "birth_country",
    "numbers",
    "nationalities",
    "function",
    "remark",
    "links",
    "publication_date",
    "embargos",
    "regulation",
)


def short_date(value: str) -> str:
    """`YYYY-MM-DD` as `dd-mm-yy`; a partial date keeps 00 for what is unknown."""
    if not value:
        return ""
    parts = value.split("-")
    year = parts[0][-2:]
    month = parts[1] if len(parts) > 1 else "00"
    day = parts[2] if len(parts) > 2 else "00"
    return f"{day}-{month}-{year}"


def _multi(values: Iterable[str]) -> str:
    return MULTI.join(v for v in values if v)


# The published layout: header and how each cell is made from an entry, in order.
CSV_COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], str]], ...] = (
    ("type", lambda e: e["type"]),
    ("Wholename", lambda e: _multi(e["names"])),
    ("Lastname", lambda e: e["lastname"]),
    ("Firstname", lambda e: e["firstname"]),
    ("Middlename", lambda e: e["middlename"]),
    ("Gender", lambda e: e["gender"]),
    ("Birth date", lambda e: short_date(e["birth_date"])),
    ("Birth place", lambda e: e["birth_place"]),
    ("Birth country", lambda e: e["birth_country"]),
    ("Number", lambda e: _multi(e["numbers"])),
    ("Function", lambda e: e["function"]),
    ("Remark", lambda e: e["remark"]),
    ("Links", lambda e: _multi(e["links"])),
    ("Publication date", lambda e: short_date(e["publication_date"])),
    ("Embargos", lambda e: e["embargos"]),
    ("Regulation", lambda e: e["regulation"]),
)
CSV_HEADERS = tuple(name for name, _ in CSV_COLUMNS)


def rows(entries: Sequence[dict[str, Any]]) -> list[list[str]]:
    return [[make(e) or "" for _, make in CSV_COLUMNS] for e in entries]


def to_csv(entries: Sequence[dict[str, Any]]) -> bytes:
    """`;`-delimited, UTF-8 with BOM, `\\r\\n` between records; a field holding `;`, a quote
    or a newline (several values) is quoted."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_HEADERS)
    writer.writerows(rows(entries))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(entries: Sequence[dict[str, Any]], title: str = "National list") -> bytes:
    """The same columns in a workbook (several values wrap inside their cell)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(CSV_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows(entries):
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- FollowTheMoney ---------------------------------------------------------------------------

FTM_PREFIX = "be-vigie-"
AUTHORITY = "Belgium — National Security Council (Royal Decree of 28 December 2006)"
PROGRAM = "BE national list — asset freeze"


def ftm_entities(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`Person` or `Organization` entities, each with its `Sanction`, as FtM dicts."""
    out: list[dict[str, Any]] = []
    for e in entries:
        subject_id = FTM_PREFIX + e["key"].lower()
        person = e["type"] == "P"
        props: dict[str, list[str]] = {
            "name": e["names"][:1],
            "alias": e["names"][1:],
            "country": ["be"],
            "nationality" if person else "jurisdiction": [c.lower() for c in e["nationalities"]],
            "topics": ["sanction"],
        }
        if person:
            props |= {
                "firstName": [e["firstname"]],
                "middleName": [e["middlename"]],
                "lastName": [e["lastname"]],
                "gender": [{"M": "male", "F": "female"}.get(e["gender"], "")],
                "birthDate": [e["birth_date"]],
                "birthPlace": [e["birth_place"]],
                "idNumber": e["numbers"],
            }
        else:
            props["registrationNumber"] = e["numbers"]
        out.append(
            {
                "id": subject_id,
                "schema": "Person" if person else "Organization",
                "properties": {k: [v for v in vs if v] for k, vs in props.items() if any(vs)},
            }
        )
        sanction = {
            "entity": [subject_id],
            "authority": [AUTHORITY],
            "authorityId": [e["regulation"]],
            "program": [PROGRAM],
            "country": ["be"],
            "listingDate": [e["publication_date"]],
            "startDate": [e["publication_date"]],
            "summary": [e["remark"]],
        }
        out.append(
            {
                "id": f"{subject_id}-sanction",
                "schema": "Sanction",
                "properties": {k: vs for k, vs in sanction.items() if any(vs)},
            }
        )
    return out


def validate_ftm(entities: Sequence[dict[str, Any]]) -> None:
    """Check each entity against the FollowTheMoney model: the schema exists, every property
    belongs to it, every value is valid for its type (nothing dropped on cleaning), required
    properties are there and references point to exported entities. Raises ValueError."""
    from followthemoney import model
    from followthemoney.exc import InvalidData

    ids = {e["id"] for e in entities}
    for entity in entities:
        where = f"entity {entity.get('id')!r}"
        schema = model.get(entity.get("schema", ""))
        if schema is None:
            raise ValueError(f"{where}: unknown schema {entity.get('schema')!r}")
        for name in entity["properties"]:
            if name not in schema.properties:
                raise ValueError(f"{where}: {schema.name} has no property {name!r}")
        try:
            schema.validate(entity)
            proxy = model.get_proxy(entity, cleaned=False)
        except InvalidData as error:
            detail = getattr(error, "errors", None) or ""
            raise ValueError(f"{where}: {error} {detail}".strip()) from None
        cleaned = proxy.to_dict()["properties"]
        for name, values in entity["properties"].items():
            if len(cleaned.get(name, [])) != len(set(values)):
                raise ValueError(f"{where}: invalid value for {name!r}: {values!r}")
            prop = schema.properties[name]
            if prop.type.name == "entity":
                unknown = set(values) - ids
                if unknown:
                    raise ValueError(f"{where}: {name} points outside the export: {unknown}")
        for name in schema.required:
            if not entity["properties"].get(name):
                raise ValueError(f"{where}: required property {name!r} missing")


def to_ftm(entries: Sequence[dict[str, Any]]) -> bytes:
    """FollowTheMoney entities as JSON lines (the format FtM tools read), validated."""
    entities = ftm_entities(entries)
    validate_ftm(entities)
    return "".join(
        json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities
    ).encode()


FORMATS: dict[str, tuple[Callable[[Sequence[dict[str, Any]]], bytes], str, str]] = {
    "csv": (to_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        to_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "ftm": (to_ftm, "application/json", "ftm.json"),
}


def content_hash(entries: Sequence[dict[str, Any]]) -> str:
    canonical = json.dumps(list(entries), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def diff(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """What changed between two publications, by entry key: added, removed, changed (with the
    fields that differ, before and after)."""
    before = {e["key"]: e for e in old}
    after = {e["key"]: e for e in new}
    changed = []
    for key in sorted(set(before) & set(after)):
        fields = {
            name: {"before": before[key].get(name), "after": after[key].get(name)}
            for name in ENTRY_FIELDS
            if before[key].get(name) != after[key].get(name)
        }
        if fields:
            changed.append({"key": key, "name": after[key]["names"][0], "fields": fields})
    return {
        "added": [
            {"key": k, "name": after[k]["names"][0]} for k in sorted(set(after) - set(before))
        ],
        "removed": [
            {"key": k, "name": before[k]["names"][0]} for k in sorted(set(before) - set(after))
        ],
        "changed": changed,
    }
