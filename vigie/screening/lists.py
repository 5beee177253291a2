"""Read a list of names to screen (CSV or XLSX) as engine queries, row by row.

Plain Python, no Django: the CLI's `--watchlist` mode uses it without a database. Rows are
streamed (memory stays bounded whatever the file's size); each bad row comes back with its line
number and what is wrong, and is never silently dropped. Problems with the whole file (not a
CSV/XLSX, no `name` column) raise `ListError`.

Columns: `name` (required); `id`, `aliases` (`|`-separated), `birth_date`, `nationality`
(`|`- or `,`-separated codes), `gender`, `identifiers` (`|`-separated) optional. A mapping
{field: column header} reads other headers.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from vigie.screening import dates
from vigie.screening.engine import _Entry  # the engine's own validation of a record/query

FIELDS = ("name", "id", "aliases", "birth_date", "nationality", "gender", "identifiers")
MAX_FIELD = 1_000_000  # characters in one CSV field (a name is refused far earlier: 500)
MAX_ID = 100
_SPLIT = re.compile(r"\s*\|\s*")
_COUNTRIES = re.compile(r"\s*[|,;]\s*")
CHUNK = 1 << 20


class ListError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing column, too many rows)."""


@dataclass
class Row:
    line: int  # 1-based line (CSV) or row (XLSX) number in the file
    query: dict[str, Any] | None  # the engine query, or None when the row is bad
    error: str = ""


@dataclass
class ListReader:
    """Iterate `rows()`; `warnings` and `sha256` are complete once iteration ends."""

    data: IO[bytes]
    filename: str = ""
    mapping: Mapping[str, str] = field(default_factory=dict)
    max_rows: int | None = None
    warnings: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    sha256: str = ""
    count: int = 0

    def rows(self) -> Iterator[Row]:
        self.sha256 = _digest(self.data)
        if _is_xlsx(self.data, self.filename):
            source = _xlsx_rows(self.data)
        else:
            source = _csv_rows(self.data, self.warnings)
        try:
            header_line, header = next(source)
        except StopIteration:
            raise ListError("the file is empty") from None
        self.headers = [str(h or "").strip() for h in header]
        columns = _columns(self.headers, self.mapping)
        for line, values in source:
            if not any(str(v or "").strip() for v in values):
                continue  # blank lines are not rows
            self.count += 1
            if self.max_rows is not None and self.count > self.max_rows:
                raise ListError(
                    f"the list has more than {self.max_rows:,} rows (the limit for one job); "
                    "split it into several lists"
                )
            yield _row(line, values, columns)


def read_list(
    data: IO[bytes], filename: str = "", mapping: Mapping[str, str] | None = None, **options: Any
) -> ListReader:
    return ListReader(data=data, filename=filename, mapping=dict(mapping or {}), **options)


def _digest(data: IO[bytes]) -> str:
    data.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: data.read(CHUNK), b""):
        digest.update(chunk)
    data.seek(0)
    return digest.hexdigest()


def _is_xlsx(data: IO[bytes], filename: str) -> bool:
    head = data.read(4)
    data.seek(0)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        if head != b"PK\x03\x04":
            raise ListError("the file is named .xlsx but is not an XLSX workbook")
        return True
    return head == b"PK\x03\x04"


def _xlsx_rows(data: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(data, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ListError(f"not a readable XLSX workbook ({error.__class__.__name__})") from None
    except Exception as error:  # openpyxl raises its own types for broken parts
        raise ListError(f"not a readable XLSX workbook ({error.__class__.__name__})") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _encoding(data: IO[bytes], warnings: list[str]) -> str:
    """UTF-8 (with or without BOM) if every byte decodes, else cp1252 with a warning."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in iter(lambda: data.read(CHUNK), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
        warnings.append("the file is not UTF-8: read as Windows-1252 (cp1252); check the accents")
    data.seek(0)
    if encoding == "cp1252":
        decoder = codecs.getincrementaldecoder("cp1252")()
        try:
            for chunk in iter(lambda: data.read(CHUNK), b""):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            raise ListError("the file is neither UTF-8 nor Windows-1252 text (CSV)") from None
        data.seek(0)
    return encoding


def _csv_rows(data: IO[bytes], warnings: list[str]) -> Iterator[tuple[int, list[Any]]]:
    encoding = _encoding(data, warnings)
    text = io.TextIOWrapper(data, encoding=encoding, newline="")
    try:
        sample = text.read(8192)
        text.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        if "\x00" in sample:
            raise ListError("the file is binary, not a CSV list")
        limit = csv.field_size_limit()
        csv.field_size_limit(MAX_FIELD)
        try:
            reader = csv.reader(text, dialect)
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise ListError(f"line {reader.line_num}: not valid CSV ({error})") from None
                yield reader.line_num, values
        finally:
            csv.field_size_limit(limit)
    finally:
        with contextlib.suppress(ValueError):  # the caller may have closed the file already
            text.detach()


def _columns(headers: list[str], mapping: Mapping[str, str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in headers]
    columns: dict[str, int] = {}
    for name in FIELDS:
        wanted = (mapping.get(name) or name).strip().lower()
        if wanted in lowered:
            columns[name] = lowered.index(wanted)
        elif mapping.get(name):
            raise ListError(f"no column {mapping[name]!r} (for {name}); found: {_found(headers)}")
    if "name" not in columns:
        raise ListError(f"no 'name' column in the header row; found: {_found(headers)}")
    return columns


def _found(headers: list[str]) -> str:
    shown = ", ".join(repr(h[:40]) for h in headers[:20] if h)
    return shown or "no headers"


def _split(value: str, pattern: re.Pattern[str] = _SPLIT) -> list[str]:
    return [part for part in pattern.split(value.strip()) if part]


def _row(line: int, values: list[Any], columns: dict[str, int]) -> Row:
    def get(name: str) -> str:
        index = columns.get(name)
        if index is None or index >= len(values):
            return ""
        return str(values[index] or "").strip()

    query: dict[str, Any] = {"id": get("id")[:MAX_ID] or str(line), "name": get("name")}
    if get("aliases"):
        query["aliases"] = _split(get("aliases"))
    if get("birth_date"):
        query["birth_date"] = get("birth_date")
    if get("nationality"):
        query["nationality"] = [c.upper() for c in _split(get("nationality"), _COUNTRIES)]
    if get("gender"):
        query["gender"] = get("gender")
    if get("identifiers"):
        query["identifiers"] = _split(get("identifiers"))
    error = check_query(query)
    return Row(line, None if error else query, error)


def check_query(query: Mapping[str, Any]) -> str:
    """'' when the engine accepts the query, else the message naming the field."""
    try:
        _Entry(query)
        if query.get("birth_date"):
            dates.parse_date(query["birth_date"])
    except ValueError as error:
        return str(error)
    except (TypeError, AttributeError):
        return "record: malformed"
    return ""
