"""`vigie screen`: screen a list from the shell.

    vigie screen --input list.csv --output hits.csv --as USERNAME [--purpose ...]
    vigie screen --input list.csv --watchlist other.csv --output hits.csv   (no database)
    vigie screen --duplicates --as USERNAME [--output pairs.csv]
    vigie screen --purge

Lists: a header row with `name` and optional `id`, `aliases` (`|`-separated), `birth_date`,
`nationality`, `gender`, `identifiers`; CSV (UTF-8 with or without BOM, else cp1252 with a
warning) or XLSX. Each bad row is reported on stderr with its line number and skipped. Output:
one row per hit (`query_id`, `record_id`, `score`, `explanation`, ...).
"""

from __future__ import annotations

import csv
import sys
import uuid
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from tqdm import tqdm

from vigie.core import context
from vigie.core.management.base import VigieCommand, get_user
from vigie.screening import lists
from vigie.screening.engine import Matcher

BATCH = 500


class Command(VigieCommand):
    help = "Screen a list against the common database or another list; duplicates; purge."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--input", metavar="PATH", help="the list to screen (CSV or XLSX)")
        parser.add_argument("--output", metavar="PATH", default="-", help="hits as CSV (- stdout)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this user")
        parser.add_argument("--purpose", default="", help="why (kept in the journal)")
        parser.add_argument("--watchlist", metavar="PATH", help="screen against this list instead")
        parser.add_argument("--threshold", type=float, default=None, help="0.5 to 1")
        parser.add_argument("--duplicates", action="store_true", help="likely duplicate pairs")
        parser.add_argument("--purge", action="store_true", help="delete lists past retention")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        token = context.request_id.set(f"cli-{uuid.uuid4().hex[:16]}")
        try:
            self._handle(options)
        finally:
            context.request_id.reset(token)

    def _handle(self, options: dict[str, Any]) -> None:
        self.progress = not options["no_progress"]
        if options["purge"]:
            from vigie.screening.services import screening_purge

            counts = screening_purge()
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
            return
        if options["duplicates"]:
            return self._duplicates(options)
        if not options["input"]:
            raise CommandError("--input is required (or --duplicates, --purge)")
        if options["watchlist"]:
            return self._watchlist(options)
        if not options["as_user"]:
            raise CommandError("--as USERNAME is required to screen against the database")
        return self._database(options)

    # --- output -----------------------------------------------------------------------------

    @contextmanager
    def _writer(self, path: str) -> Iterator[Any]:
        if path == "-":
            yield csv.writer(self.stdout._out, lineterminator="\n")
            return
        with open(path, "w", encoding="utf-8", newline="") as handle:
            yield csv.writer(handle)

    def _bad(self, line: int, error: str) -> None:
        self.stderr.write(f"line {line}: {error} (skipped)")

    def _open(self, path: str) -> IO[bytes]:
        try:
            return Path(path).open("rb")
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None

    # --- against another list (no database) ---------------------------------------------------

    def _watchlist(self, options: dict[str, Any]) -> None:
        with self._open(options["watchlist"]) as handle:
            reader = lists.read_list(handle, options["watchlist"])
            matcher = Matcher()
            try:
                for row in reader.rows():
                    if row.query is None:
                        self.stderr.write(
                            f"{options['watchlist']}: line {row.line}: {row.error} (skipped)"
                        )
                        continue
                    try:
                        matcher.add([row.query])
                    except ValueError as error:
                        self.stderr.write(
                            f"{options['watchlist']}: line {row.line}: {error} (skipped)"
                        )
            except lists.ListError as error:
                raise CommandError(f"{options['watchlist']}: {error}") from None
            for warning in reader.warnings:
                self.stderr.write(f"{options['watchlist']}: warning: {warning}")
        hits = names = 0
        with self._open(options["input"]) as handle, self._writer(options["output"]) as out:
            out.writerow(
                [
                    "line",
                    "query_id",
                    "query_name",
                    "record_id",
                    "record_name",
                    "score",
                    "explanation",
                ]
            )
            reader = lists.read_list(handle, options["input"])
            bar = tqdm(desc="screening", unit=" names", disable=not self.progress, file=sys.stderr)
            batch: list[tuple[int, dict[str, Any]]] = []

            def flush() -> None:
                nonlocal hits
                results = matcher.match([q for _, q in batch], threshold=options["threshold"])
                for (line, query), found in zip(batch, results, strict=True):
                    hits += bool(found)
                    for c in found:
                        out.writerow(
                            [
                                line,
                                query["id"],
                                query["name"],
                                c.record_id,
                                c.explanation.record_name,
                                c.score,
                                c.explanation.summary(),
                            ]
                        )
                bar.update(len(batch))
                batch.clear()

            try:
                for row in reader.rows():
                    if row.query is None:
                        self._bad(row.line, row.error)
                        continue
                    names += 1
                    batch.append((row.line, row.query))
                    if len(batch) >= BATCH:
                        flush()
                flush()
            except lists.ListError as error:
                raise CommandError(f"{options['input']}: {error}") from None
            finally:
                bar.close()
            for warning in reader.warnings:
                self.stderr.write(f"{options['input']}: warning: {warning}")
        self.stderr.write(
            f"{names} names screened against {len(matcher)} records: {hits} with a hit"
        )

    # --- against the common database -----------------------------------------------------------

    def _database(self, options: dict[str, Any]) -> None:
        from vigie.screening import selectors, services

        actor = get_user(options["as_user"])
        with self._open(options["input"]) as handle:
            job = services.job_create(
                actor=actor,
                data=handle,
                filename=Path(options["input"]).name,
                purpose=options["purpose"],
                threshold=options["threshold"],
                enqueue=False,
                on_reject=self._bad,
            )
        for warning in job.warnings:
            self.stderr.write(f"warning: {warning}")
        with tqdm(
            total=job.total,
            desc=job.reference,
            unit=" names",
            disable=not self.progress,
            file=sys.stderr,
        ) as bar:
            job = services.job_run(job_id=job.id, progress=bar.update)
        rows, _count = selectors.job_results(actor=actor, job=job, limit=None)
        with self._writer(options["output"]) as out:
            if services.screening_view(actor) != services.DETAIL:
                out.writerow(["line", "query_id", "query_name", "listed", "contact"])
                for r in rows:
                    out.writerow([r["line"], r["query_id"], r["name"], "yes", r["contact"]])
            else:
                out.writerow(
                    [
                        "line",
                        "query_id",
                        "query_name",
                        "record_id",
                        "reference",
                        "record_name",
                        "score",
                        "explanation",
                    ]
                )
                for r in rows:
                    for m in r["matches"]:
                        out.writerow(
                            [
                                r["line"],
                                r["query_id"],
                                r["name"],
                                m["record_id"],
                                m["reference"],
                                m["name"],
                                m["score"],
                                m["summary"],
                            ]
                        )
                    if r["outside_view"]:
                        out.writerow(
                            [r["line"], r["query_id"], r["name"], "", "", "", "", r["contact"]]
                        )
        self.stderr.write(
            f"{job.reference}: {job.total} names screened, {job.hits} with a hit, "
            f"{job.rejected_count} rows skipped"
        )

    def _duplicates(self, options: dict[str, Any]) -> None:
        from django.http import Http404

        from vigie.screening import selectors

        if not options["as_user"]:
            raise CommandError("--duplicates needs --as USERNAME")
        actor = get_user(options["as_user"])
        try:
            pairs = selectors.duplicate_pairs(actor=actor, threshold=options["threshold"])
        except Http404:
            raise CommandError("this user may not see the listed persons") from None
        with self._writer(options["output"]) as out:
            out.writerow(
                ["record_id_a", "reference_a", "record_id_b", "reference_b", "score", "explanation"]
            )
            for p in pairs:
                out.writerow(
                    [p["a"], p["a_reference"], p["b"], p["b_reference"], p["score"], p["summary"]]
                )
        self.stderr.write(f"{len(pairs)} likely duplicate pairs")
