"""A fictitious watchlist and a query set with known truth, for the benchmark.

Persons are random combinations of name tokens (data/pools.tsv: real spelling variants, Arabic
and Cyrillic forms from the shared transliteration data) and of invented surnames built from
syllables; dates, nationalities and document numbers are random. No real person is described.
Query kinds: variants of listed persons (exact, spelling, script, order, typo, missing token,
partial or swapped date) and people who are not listed (others, and namesakes with a clearly
different birth date).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from importlib import resources
from typing import Any

LISTED_KINDS = (
    "exact", "spelling", "script", "order", "typo", "missing_token", "date_partial",
    "date_typo", "alias",
)  # fmt: skip
UNLISTED_KINDS = ("other", "namesake")
NATIONALITIES = ("BE", "FR", "NL", "MA", "DZ", "TN", "SY", "IQ", "RU", "TR", "DE", "GB")
_ONSETS = ("b", "br", "ch", "d", "dj", "f", "g", "gh", "h", "j", "k", "kh", "l", "m", "n", "p",
           "r", "s", "sh", "t", "v", "w", "y", "z")  # fmt: skip
_VOWELS = ["a", "e", "i", "o", "u", "ou", "ai", "ei", "ia"]
_CODAS = ("b", "d", "f", "g", "k", "l", "m", "n", "r", "s", "t", "z", "ch", "ss", "ll", "rr",
          "nd", "rt", "st")  # fmt: skip
_ENDINGS = ("", "", "", "i", "ov", "ev", "aoui", "ens", "ani", "er", "iyev", "a", "ski", "ez")


@dataclass(frozen=True)
class PoolToken:
    kind: str
    spellings: tuple[str, ...]
    arabic: str
    cyrillic: str


def load_pools() -> tuple[list[PoolToken], list[PoolToken]]:
    text = resources.files("vigie.screening").joinpath("data").joinpath("pools.tsv")
    given, surnames = [], []
    for line in text.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, spellings, arabic, cyrillic = (line.split("\t") + ["", ""])[:4]
        token = PoolToken(kind, tuple(spellings.split()), arabic, cyrillic)
        (given if kind == "given" else surnames).append(token)
    return given, surnames


def _invented(rng: random.Random, kind: str = "surname") -> PoolToken:
    syllables = rng.choice((2, 2, 3)) if kind == "surname" else rng.choice((1, 2))
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    word += rng.choice(_CODAS) if rng.random() < 0.6 else ""
    if kind == "surname":
        word += rng.choice(_ENDINGS)
    return PoolToken(kind, (word,), "", "")


def _date(rng: random.Random) -> str:
    return f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _clearly_different(rng: random.Random, date: str) -> str:
    year = int(date[:4])
    while True:
        other = _date(rng)
        if abs(int(other[:4]) - year) >= 3 and other[5:7] != date[5:7]:
            return other


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("sub", "del", "ins", "swap"))
    letter = rng.choice("abcdefghijklmnoprstuvyz")
    if op == "sub":
        return word[:i] + letter + word[i + 1 :]
    if op == "del":
        return word[:i] + word[i + 1 :]
    if op == "ins":
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _date_typo(rng: random.Random, date: str) -> str:
    y, m, d = date.split("-")
    choice = rng.choice(("swap", "digit", "year", "month"))
    if choice == "swap" and int(d) <= 12 and d != m:
        return f"{y}-{d}-{m}"
    if choice == "year":
        return f"{int(y) + rng.choice((-1, 1))}-{m}-{d}"
    if choice == "month" and 1 < int(m) < 12:
        return f"{y}-{int(m) + rng.choice((-1, 1)):02d}-{d}"
    for step in range(1, 10):  # one digit of the day
        day = int(d[0] + str((int(d[1]) + step) % 10))
        if 1 <= day <= 28:
            return f"{y}-{m}-{day:02d}"
    return f"{int(y) + 1}-{m}-{d}"


@dataclass
class Person:
    id: str
    tokens: list[PoolToken]  # given, [middle], surname
    birth_date: str
    nationality: str
    identifier: str | None
    alias: list[PoolToken] | None

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "name": " ".join(t.spellings[0].capitalize() for t in self.tokens),
            "birth_date": self.birth_date,
            "nationality": self.nationality,
        }
        if self.alias:
            record["aliases"] = [" ".join(t.spellings[0].capitalize() for t in self.alias)]
        if self.identifier:
            record["identifiers"] = [self.identifier]
        return record


def watchlist(size: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)  # noqa: S311 - fictitious data, reproducible
    given, surnames = load_pools()
    people = []
    for n in range(size):
        tokens = [rng.choice(given) if rng.random() < 0.5 else _invented(rng, "given")]
        if rng.random() < 0.4:
            tokens.append(rng.choice(given) if rng.random() < 0.5 else _invented(rng, "given"))
        tokens.append(rng.choice(surnames) if rng.random() < 0.1 else _invented(rng))
        alias = None
        if rng.random() < 0.1:
            alias = [PoolToken("kunya", ("abu " + rng.choice(given).spellings[0],), "", "")]
        identifier = f"{rng.choice('ABCEFG')}{rng.randint(10**7, 10**8 - 1)}"
        people.append(
            Person(
                f"P{n:07d}",
                tokens,
                _date(rng),
                rng.choice(NATIONALITIES),
                identifier if rng.random() < 0.3 else None,
                alias,
            )
        )
    return people


def _spelling(rng: random.Random, token: PoolToken) -> str:
    if len(token.spellings) > 1:
        return rng.choice(token.spellings[1:])
    return token.spellings[0]


def queries(people: list[Person], count: int, seed: int = 11) -> list[tuple[str, dict, str | None]]:
    """(kind, query, id of the listed person it designates or None)."""
    rng = random.Random(seed)  # noqa: S311 - fictitious data, reproducible
    given, surnames = load_pools()
    listed_names = {" ".join(t.spellings[0] for t in p.tokens) for p in people}
    kinds = LISTED_KINDS + UNLISTED_KINDS
    out = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        person = rng.choice(people)
        words = [t.spellings[0] for t in person.tokens]
        date: str | None = person.birth_date if rng.random() < 0.85 else None
        truth: str | None = person.id
        if kind == "spelling":
            words = [_spelling(rng, t) for t in person.tokens]
        elif kind == "script":
            while not all(t.arabic or t.cyrillic for t in person.tokens):
                person = rng.choice(people)
            truth, date = person.id, person.birth_date if rng.random() < 0.85 else None
            script = rng.choice(("arabic", "cyrillic"))
            words = [getattr(t, script) or t.arabic or t.cyrillic for t in person.tokens]
        elif kind == "order":
            words = [words[-1].upper() + ","] + words[:-1] if rng.random() < 0.5 else words[::-1]
        elif kind == "typo":
            for _ in range(rng.choice((1, 1, 2))):
                i = rng.randrange(len(words))
                words[i] = _typo(rng, words[i])
        elif kind == "missing_token":
            if len(words) == 3:
                del words[1]
            else:
                words.insert(1, rng.choice(given).spellings[0])  # a middle name not listed
        elif kind == "date_partial":
            date = person.birth_date[: rng.choice((4, 7))]
        elif kind == "date_typo":
            date = _date_typo(rng, person.birth_date)
        elif kind == "alias":
            if person.alias:
                words = [person.alias[0].spellings[0]]
                words.append(person.tokens[-1].spellings[0])
        elif kind == "namesake":
            date = _clearly_different(rng, person.birth_date)
            truth = None
        elif kind == "other":
            while True:
                tokens = [rng.choice(given), rng.choice(surnames)]
                if rng.random() < 0.5:
                    tokens[-1] = _invented(rng)
                words = [t.spellings[0] for t in tokens]
                if " ".join(words) not in listed_names:
                    break
            truth, date = None, _date(rng)
        query: dict[str, Any] = {"id": f"Q{n:06d}", "name": " ".join(words)}
        if date:
            query["birth_date"] = date
        out.append((kind, query, truth))
    return out
