"""`vigie persons <sub>`: the common database from the shell, acting as a named user.

Thin over `selectors`, `cli_selectors` and `services`: the access policy decides, the journal
records, exactly as for the web and the API. Every subcommand names its user with `--as`;
each run's events carry a request id `cli-...`, so the journal tells the shell from the web.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from argparse import ArgumentParser
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pydantic
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from vigie.access.policy import Action, can
from vigie.core import context
from vigie.core.choices import RecordView
from vigie.core.errors import PreconditionFailed, RateLimited
from vigie.core.management.base import VigieCommand, get_user, one_line
from vigie.core.models import User
from vigie.registry import selectors, services
from vigie.registry.choices import ReviewOutcome
from vigie.registry.cli_selectors import entity_lookup
from vigie.registry.schemas import HitCheckIn, ProposalIn, entity_row

LIST_FORMATS = ("table", "json", "csv")
SHOW_FORMATS = ("text", "json")
MAX_PROPOSAL_BYTES = 1_000_000
MAX_LIMIT = 500


class Command(VigieCommand):
    help = "Search, open, propose, validate, review and remove entries of the common database."
    # Tests hand a proposal to `--file -` through call_command(stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        # Values are checked in handle(), not with argparse choices: a bad value is one line.
        common = ArgumentParser(add_help=False)
        common.add_argument(
            "--as", dest="as_user", required=True, metavar="USERNAME", help="act as this user"
        )
        common.add_argument("--purpose", default="", help="why (kept in the journal)")
        sub = parser.add_subparsers(dest="action", required=True)

        listing = sub.add_parser("list", parents=[common], help="Entries you may see.")
        for name in (
            "name",
            "category",
            "sub-status",
            "status",
            "province",
            "arrondissement",
            "municipality",
        ):
            listing.add_argument(f"--{name}", default="")
        listing.add_argument("--kind", default="person", help="person (default) or organisation")
        listing.add_argument("--level", type=int, default=None, help="threat level 1-4")
        listing.add_argument("--limit", type=int, default=50)
        listing.add_argument("--offset", type=int, default=0)
        listing.add_argument("--format", default="table", help="table, json or csv")

        show = sub.add_parser("show", parents=[common], help="Open one entry (card or full).")
        show.add_argument("key", metavar="REFERENCE_OR_ID")
        show.add_argument("--format", default="text", help="text or json")

        hit = sub.add_parser("hit-check", parents=[common], help="Listed or not (hit/no-hit).")
        hit.add_argument("name")
        hit.add_argument("--birth-date", default="")

        due = sub.add_parser("due", parents=[common], help="Entries whose review is due.")
        due.add_argument("--arrondissement", default="")
        due.add_argument("--limit", type=int, default=50)
        due.add_argument("--offset", type=int, default=0)
        due.add_argument("--format", default="table", help="table, json or csv")

        propose = sub.add_parser("propose", parents=[common], help="Propose a new entry.")
        propose.add_argument("--file", required=True, help="proposal JSON file, '-' for stdin")

        validate = sub.add_parser("validate", parents=[common], help="List a proposal.")
        validate.add_argument("key", metavar="REFERENCE_OR_ID")
        validate.add_argument("--category", required=True)
        validate.add_argument("--sub-status", default="")
        validate.add_argument("--level", type=int, required=True)
        validate.add_argument("--version", type=int, default=None)

        reject = sub.add_parser("reject", parents=[common], help="Reject a proposal.")
        reject.add_argument("key", metavar="REFERENCE_OR_ID")
        reject.add_argument("--reason", required=True)
        reject.add_argument("--version", type=int, default=None)

        review = sub.add_parser("review", parents=[common], help="Record the periodic review.")
        review.add_argument("key", metavar="REFERENCE_OR_ID")
        review.add_argument("--outcome", required=True, help=", ".join(ReviewOutcome.values))
        review.add_argument("--reasons", required=True)
        review.add_argument("--level", type=int, default=None)
        review.add_argument("--version", type=int, default=None)

        remove = sub.add_parser("remove", parents=[common], help="Approve a proposed removal.")
        remove.add_argument("key", metavar="REFERENCE_OR_ID")
        remove.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        token = context.request_id.set(f"cli-{uuid.uuid4().hex[:16]}")
        try:
            actor = _actor(options["as_user"])
            getattr(self, "_" + options["action"].replace("-", "_"))(actor, options)
        except Http404 as exc:
            raise CommandError("no such person") from exc
        except PermissionDenied as exc:
            raise CommandError(f"not allowed: {one_line(exc)}") from exc
        except ValidationError as exc:
            raise CommandError(one_line(exc)) from exc
        except (PreconditionFailed, RateLimited) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            context.request_id.reset(token)

    # --- Reads -------------------------------------------------------------------------------

    def _list(self, actor: User, options: dict[str, Any]) -> None:
        fmt = _choice("--format", options["format"], LIST_FORMATS)
        kind = _choice("--kind", options["kind"], ("person", "organisation"))
        limit, offset = _page(options)
        filters = selectors.EntityFilters(
            name=options["name"],
            kind=kind,
            category=options["category"],
            sub_status=options["sub_status"],
            status=options["status"],
            threat_level=options["level"],
            province=options["province"],
            arrondissement=options["arrondissement"],
            municipality=options["municipality"],
        )
        page, count, view = selectors.entity_list(
            actor=actor, filters=filters, limit=limit, offset=offset, purpose=options["purpose"]
        )
        if view == RecordView.NONE:
            raise PermissionDenied("no consultation access to the common database")
        rows = [entity_row(e, view) for e in page]
        self._rows(rows, count, fmt, extra=None)

    def _due(self, actor: User, options: dict[str, Any]) -> None:
        fmt = _choice("--format", options["format"], LIST_FORMATS)
        limit, offset = _page(options)
        page, count = selectors.review_due_list(
            actor=actor, arrondissement=options["arrondissement"], limit=limit, offset=offset
        )
        # The selector has journaled the refusal; the shell must not read it as "none due".
        if not can(actor, Action.REGISTRY_REVIEW):
            raise PermissionDenied("only the body's analysts and validators review entries")
        rows = [{**entity_row(e, RecordView.FULL), "review_due": e.review_due} for e in page]
        self._rows(rows, count, fmt, extra="review_due")

    def _show(self, actor: User, options: dict[str, Any]) -> None:
        fmt = _choice("--format", options["format"], SHOW_FORMATS)
        purpose = options["purpose"].strip()
        if selectors.purpose_required(actor) and not purpose:
            raise CommandError("opening a full record needs --purpose")
        found = entity_lookup(actor=actor, key=options["key"])
        entity, view = selectors.entity_get(actor=actor, entity_id=found.id, purpose=purpose)
        data = selectors.entity_detail(entity, view, actor)
        if fmt == "json":
            self.stdout.write(_json(data))
        else:
            self.stdout.write(_render_detail(data))

    def _hit_check(self, actor: User, options: dict[str, Any]) -> None:
        payload = _parse(HitCheckIn, {"name": options["name"], "birth_date": options["birth_date"]})
        try:
            result = selectors.hit_check(
                actor=actor, name=payload.name, birth_date=payload.birth_date
            )
        except Http404 as exc:
            raise PermissionDenied("no hit/no-hit access to the common database") from exc
        self.stdout.write("listed" if result.listed else "not listed")
        if result.contact:
            self.stdout.write(f"contact: {result.contact}")

    # --- Writes ------------------------------------------------------------------------------

    def _propose(self, actor: User, options: dict[str, Any]) -> None:
        payload = _parse(ProposalIn, _read_json(options["file"], options.get("stdin")))
        data = services.EntityInput(
            kind=payload.kind,
            names=[services.NameInput(**n.dict()) for n in payload.names],
            birth_date=payload.birth_date,
            birth_place=payload.birth_place,
            gender=payload.gender,
            nationalities=payload.nationalities,
            addresses=[services.AddressInput(**a.dict()) for a in payload.addresses],
            documents=[services.DocumentInput(**d.dict()) for d in payload.documents],
            recommended_action=payload.recommended_action,
        )
        entity = services.entity_propose(
            actor=actor,
            data=data,
            contribution_text=payload.contribution,
            reliability=payload.reliability,
            credibility=payload.credibility,
            restricted_diffusion=payload.restricted_diffusion,
            classification=payload.classification,
        )
        self.stdout.write(f"{entity.reference} proposed ({entity.id})")

    def _validate(self, actor: User, options: dict[str, Any]) -> None:
        entity = services.entity_validate(
            actor=actor,
            entity=entity_lookup(actor=actor, key=options["key"]),
            memberships=[
                services.MembershipInput(
                    category=options["category"].strip().upper(),
                    sub_status=options["sub_status"].strip(),
                )
            ],
            threat_level=options["level"],
            version=options["version"],
        )
        self.stdout.write(
            f"{entity.reference} validated: level {entity.threat_level}, "
            f"version {entity.version}, review due {entity.review_due}"
        )

    def _reject(self, actor: User, options: dict[str, Any]) -> None:
        entity = services.entity_reject(
            actor=actor,
            entity=entity_lookup(actor=actor, key=options["key"]),
            reason=options["reason"],
            version=options["version"],
        )
        self.stdout.write(f"{entity.reference} rejected (version {entity.version})")

    def _review(self, actor: User, options: dict[str, Any]) -> None:
        outcome = _choice("--outcome", options["outcome"], tuple(ReviewOutcome.values))
        review = services.entity_review(
            actor=actor,
            entity=entity_lookup(actor=actor, key=options["key"]),
            outcome=outcome,
            reasons=options["reasons"],
            threat_level=options["level"],
            version=options["version"],
        )
        entity = review.entity
        self.stdout.write(
            f"{entity.reference} reviewed: {outcome}, level {entity.threat_level}, "
            f"next review due {entity.review_due}"
        )

    def _remove(self, actor: User, options: dict[str, Any]) -> None:
        reference = services.entity_remove(
            actor=actor,
            entity=entity_lookup(actor=actor, key=options["key"]),
            reason=options["reason"],
        )
        self.stdout.write(f"{reference} removed")

    # --- Output ------------------------------------------------------------------------------

    def _rows(self, rows: list[dict], count: int, fmt: str, extra: str | None) -> None:
        if fmt == "json":
            self.stdout.write(_json({"items": rows, "count": count}))
            return
        header = ["reference", "name", "categories", "level", "view"]
        if extra:
            header.append(extra)
        table = [[_cell(row, column) for column in header] for row in rows]
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["id", *header])
            for row, cells in zip(rows, table, strict=True):
                writer.writerow([str(row["id"]), *(_csv_safe(c) for c in cells)])
            self.stdout.write(buffer.getvalue(), ending="")
            return
        widths = [max([len(h), *(len(r[i]) for r in table)]) for i, h in enumerate(header)]
        for cells in [[h.upper() for h in header], *table]:
            line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            self.stdout.write(line.rstrip())
        self.stdout.write(f"{len(rows)} of {count}")


# --- Helpers ---------------------------------------------------------------------------------


def _actor(username: str) -> User:
    user = get_user(username)
    if not user.is_active:
        raise CommandError(f"user {username!r} is not active")
    return user


def _choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise CommandError(f"{option}: unknown value {value!r} (one of: {', '.join(allowed)})")
    return value


def _page(options: dict[str, Any]) -> tuple[int, int]:
    if not 1 <= options["limit"] <= MAX_LIMIT or options["offset"] < 0:
        raise CommandError(f"--limit is 1 to {MAX_LIMIT} and --offset 0 or more")
    return options["limit"], options["offset"]


def _read_json(path: str, stdin: Any = None) -> Any:
    import sys

    try:
        if path == "-":
            raw = (stdin or sys.stdin).read(MAX_PROPOSAL_BYTES + 1)
        else:
            with Path(path).open(encoding="utf-8") as handle:
                raw = handle.read(MAX_PROPOSAL_BYTES + 1)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise CommandError(f"cannot read {path}: {reason}") from exc
    if len(raw) > MAX_PROPOSAL_BYTES:
        raise CommandError(f"{path}: larger than {MAX_PROPOSAL_BYTES} bytes")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from exc


def _parse(schema: type[pydantic.BaseModel], data: Any) -> Any:
    """Validate as the API does; the first error becomes one line naming the field."""
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or "input"
        raise CommandError(f"{field}: {first.get('msg', 'invalid')}") from exc


def _plain(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    return str(value)  # UUIDs, lazy translations


def _json(data: Any) -> str:
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2)


def _level(row: dict) -> str:
    level = row.get("threat_level")
    return str(level.value) if level is not None else ""


def _categories(row: dict) -> str:
    return ", ".join(
        f"{m['category']}/{m['sub_status']}" if m["sub_status"] else m["category"]
        for m in row["categories"]
    )


def _cell(row: dict, column: str) -> str:
    if column == "categories":
        value = _categories(row)
    elif column == "level":
        value = _level(row)
    else:
        value = row.get(column)
        value = "" if value is None else str(value)
    return " ".join(value.split())  # one line per row, whatever the name holds


def _csv_safe(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def _render_detail(data: dict) -> str:
    view = "full record" if data["view"] == RecordView.FULL else "information card"
    level = data.get("threat_level")
    lines = [
        f"{data['reference']}  {data['name']}  ({view})",
        f"id: {data['id']}",
        f"kind: {data['kind']}   status: {data['status']}   version: {data['version']}",
        f"level: {f'{level.label} — {level.meaning}' if level else '-'}",
        f"categories: {_categories(data) or '-'}",
        f"birth date: {data['birth_date'] or '-'}",
        f"nationalities: {', '.join(data['nationalities']) or '-'}",
        "names:",
        *(f"  {n['full_name']} ({n['name_type']}, {n['script']})" for n in data["names"]),
        f"recommended action: {data['recommended_action'] or '-'}",
        f"contact point: {data['contact_point']}",
    ]
    if data["view"] != RecordView.FULL:
        return "\n".join(lines)
    lines += [
        f"birth place: {data['birth_place'] or '-'}   gender: {data['gender'] or '-'}",
        f"review due: {_when(data['review_due']) or '-'}   "
        f"validated: {_when(data['validated_at']) or '-'}",
        "addresses:",
        *(
            f"  {a['street'] + ', ' if a['street'] else ''}{a['municipality']} "
            f"{a['municipality_name']} ({a['arrondissement']})"
            for a in data["addresses"]
        ),
        "documents:",
        *(f"  {d['document_type']} {d['country']} {d['number']}" for d in data["documents"]),
        "contributions:",
        *(
            f"  [{c['status']}] {_when(c['created_at'])} {c['organisation']} "
            f"{c['reliability']}{c['credibility']}"
            f"{' DIFFUSION RESTREINTE' if c['restricted_diffusion'] else ''}: {c['text']}"
            for c in data["contributions"]
        ),
        "relations:",
        *(
            f"  {r['kind']} {'→' if r['direction'] == 'out' else '←'} "
            f"{r['other_reference']} {r['other_name']}"
            for r in data["relations"]
        ),
        "history:",
        *(
            f"  {_when(h['changed_at'])} {h['action']} by {h['by'] or '-'}"
            f"{': ' + h['reason'] if h['reason'] else ''}"
            for h in data["history"]
        ),
    ]
    return "\n".join(lines)
