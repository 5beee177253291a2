"""Birth dates as evidence: parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and compare two of them.

A difference a typist could make (one digit, one year or one month off, day and month
swapped) lowers a match; any other difference means two people.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class BirthDate(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


# Agreement kinds, from strongest to weakest; `conflict` means two people.
EXACT = "exact"
PARTIAL = "year only"  # the known parts agree, one side is less precise
TYPO = "typo-like"  # one digit, one year or one month off
SWAPPED = "day/month swapped"
MISSING = "missing"
CONFLICT = "conflict"


def parse_date(value: object, *, field: str = "birth_date") -> BirthDate | None:
    """None for a missing date; ValueError naming the field for anything malformed."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return BirthDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"{field}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {value[:20]!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{field}: month out of range in {value!r}")
    if day is not None:
        try:
            datetime.date(year, month or 1, day)
        except ValueError:
            raise ValueError(f"{field}: no such day {value!r}") from None
    return BirthDate(year, month, day)


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def compare_dates(a: BirthDate | None, b: BirthDate | None) -> str:
    """One of EXACT, PARTIAL, TYPO, SWAPPED, MISSING, CONFLICT."""
    if a is None or b is None:
        return MISSING
    common = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if all(x == y for x, y in common):
        return EXACT if a == b else PARTIAL
    if a.day and b.day and a.year == b.year and (a.month, a.day) == (b.day, b.month):
        return SWAPPED
    sa = "".join(f"{x:02d}" for x, y in common)
    sb = "".join(f"{y:02d}" for x, y in common)
    if _one_digit_apart(sa, sb):
        return TYPO
    differing = [(i, x, y) for i, (x, y) in enumerate(common) if x != y]
    if len(differing) == 1:
        index, x, y = differing[0]
        if index in (0, 1) and abs(x - y) == 1:  # one year or one month off
            return TYPO
    return CONFLICT
