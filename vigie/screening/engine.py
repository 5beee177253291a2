"""The screening engine: an in-memory index of listed persons, and the scoring of candidates.

    from vigie.screening.engine import Matcher
    matcher = Matcher.from_records(records)       # mappings: id, name, aliases, birth_date, ...
    results = matcher.match([{"id": "q1", "name": "يوسف عبد القادر الزياني"}])

Plain Python, no Django import: the app builds the index from its selectors (docs/screening.md).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Indel

from vigie.screening import dates
from vigie.screening.explain import (
    EXACT,
    FOLDED,
    INITIAL,
    TRANSLITERATION,
    TYPO,
    Explanation,
    TokenMatch,
)
from vigie.screening.normalise import Token, normalise_name

DEFAULT_THRESHOLD = 0.80
"""Alert at or above this score. Calibrated with `python -m vigie.screening.benchmark`: a name
that matches token for token (in any script and order) with the birth date missing, year-only
or differing as a typo would, stays above it; a clearly different birth date (two people) puts
any name below it (docs/benchmarks.md)."""

TOKEN_MATCH_MIN = 0.75  # below this two tokens are not the same token
UNMATCHED_QUERY_WEIGHT = 0.35  # cost of a query token the record lacks (vs a matched one)
UNMATCHED_RECORD_WEIGHT = 0.2  # cost of a record token the query lacks (middle names)
MAX_ALIASES = 20
MAX_IDENTIFIERS = 20

DATE_FACTOR = {
    dates.EXACT: None,  # raises the score: see _combine
    dates.PARTIAL: 0.97,
    dates.SWAPPED: 0.92,
    dates.TYPO: 0.90,
    dates.MISSING: 0.95,
    dates.CONFLICT: 0.50,
}
_IDENT = re.compile(r"[^0-9A-Z]")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Candidate:
    """One listed person found for a query."""

    record_id: Any
    score: float
    explanation: Explanation


@dataclass(frozen=True)
class Rejected:
    index: int
    record_id: Any
    error: str


class _Entry:
    """A prepared record or query: normalised names and the other evidence."""

    __slots__ = ("id", "names", "raw_names", "birth_date", "nationality", "gender", "identifiers")

    def __init__(self, record: Mapping[str, Any]):
        if not isinstance(record, Mapping):
            raise ValueError(f"record: expected a mapping, got {type(record).__name__}")
        if record.get("id") is None:
            raise ValueError("id: missing")
        self.id = record["id"]
        raw = [record.get("name")]
        aliases = record.get("aliases") or []
        if isinstance(aliases, str) or not isinstance(aliases, Sequence):
            raise ValueError("aliases: expected a list of names")
        names = [normalise_name(raw[0], field="name")]
        for position, alias in enumerate(aliases[:MAX_ALIASES]):
            try:
                names.append(normalise_name(alias, field=f"aliases[{position}]"))
            except ValueError:
                if not isinstance(alias, str) or alias.strip():
                    raise
                continue  # an empty alias is no alias
            raw.append(alias)
        self.names = tuple(names)
        self.raw_names = tuple(raw)
        self.birth_date = dates.parse_date(record.get("birth_date"))
        self.nationality = _countries(record.get("nationality"))
        gender = record.get("gender")
        self.gender = str(gender).strip().lower()[:1] if gender else None
        if self.gender not in ("m", "f"):
            self.gender = None
        self.identifiers = _identifiers(record.get("identifiers"))


def _countries(value: object) -> frozenset[str]:
    if not value:
        return frozenset()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise ValueError("nationality: expected an ISO 3166-1 alpha-2 code or a list of them")
    out = set()
    for item in items:
        code = str(item).strip().upper()
        if not _COUNTRY.match(code):
            raise ValueError(f"nationality: not an ISO 3166-1 alpha-2 code: {str(item)[:10]!r}")
        out.add(code)
    return frozenset(out)


def _identifiers(value: object) -> frozenset[str]:
    if not value:
        return frozenset()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise ValueError("identifiers: expected a list of document numbers")
    out = set()
    for item in list(items)[:MAX_IDENTIFIERS]:
        if not isinstance(item, str | int):
            raise ValueError("identifiers: expected text")
        code = _IDENT.sub("", str(item).upper())
        if len(code) >= 5:  # shorter numbers are not distinctive
            out.add(code)
    return frozenset(out)


# ---------------------------------------------------------------------------------------------
# Scoring


_SIM_CACHE: dict[tuple[Token, Token], tuple[float, str, int, int]] = {}


def token_similarity(q: Token, r: Token) -> tuple[float, str, int, int]:
    """(similarity in [0, 1], how, form index in q, form index in r)."""
    key = (q, r)
    hit = _SIM_CACHE.get(key)
    if hit is not None:
        return hit
    if len(_SIM_CACHE) > 500_000:
        _SIM_CACHE.clear()
    result = _token_similarity(q, r)
    _SIM_CACHE[key] = result
    return result


def _token_similarity(q: Token, r: Token) -> tuple[float, str, int, int]:
    if q.initial or r.initial:
        if q.initial and r.initial:
            return (0.8, INITIAL, 0, 0) if q.text == r.text else (0.0, "", 0, 0)
        letter, full = (q.text, r) if q.initial else (r.text, q)
        if any(form.startswith(letter) for form in full.forms):
            return (0.8, INITIAL, 0, 0)
        return (0.0, "", 0, 0)
    best = (0.0, "", 0, 0)
    foreign = q.script != r.script
    for i, (fa, ka) in enumerate(zip(q.forms, q.keys, strict=True)):
        for j, (fb, kb) in enumerate(zip(r.forms, r.keys, strict=True)):
            folded = i > 0 or j > 0
            if fa == fb:
                s, how = 1.0, EXACT
            elif ka == kb:
                s, how = (0.95 if foreign else 0.93), TRANSLITERATION
            else:
                s_form = Indel.normalized_similarity(fa, fb)
                s_key = Indel.normalized_similarity(ka, kb) * 0.92 if len(ka) > 2 else 0.0
                s, how = max(s_form, s_key), TYPO
            if folded:
                s *= 0.97
                how = FOLDED if how == EXACT else how
            if s > best[0]:
                best = (s, how, i, j)
    return best


def name_similarity(
    q: tuple[Token, ...], r: tuple[Token, ...]
) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Order-insensitive alignment of two token lists: (score, [(qi, ri, sim, how)])."""
    pairs = []
    for i, qt in enumerate(q):
        for j, rt in enumerate(r):
            s, how, _, _ = token_similarity(qt, rt)
            if s >= TOKEN_MATCH_MIN:
                pairs.append((s, i, j, how))
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_r: set[int] = set()
    aligned = []
    for s, i, j, how in pairs:
        if i not in used_q and j not in used_r:
            used_q.add(i)
            used_r.add(j)
            aligned.append((i, j, s, how))
    if not aligned:
        return 0.0, aligned
    num = den = 0.0
    full_matches = 0
    for i, j, s, _ in aligned:
        w = 0.5 if q[i].initial or r[j].initial else 1.0
        full_matches += w == 1.0
        num += s * w
        den += w
    for i, t in enumerate(q):
        if i not in used_q:
            den += UNMATCHED_QUERY_WEIGHT * (0.5 if t.initial else 1.0)
    for j, t in enumerate(r):
        if j not in used_r:
            den += UNMATCHED_RECORD_WEIGHT * (0.5 if t.initial else 1.0)
    score = num / den
    # One shared token is not a name match when both names have more to say.
    if full_matches == 0 or (len(aligned) < 2 and min(len(q), len(r)) >= 2):
        score = min(score, 0.6)
    return score, aligned


def _combine(name: float, date_kind: str, nationality: str, gender: str) -> float:
    factor = DATE_FACTOR[date_kind]
    score = name + (1.0 - name) * 0.5 if factor is None else name * factor
    if nationality == "agree":
        score += (1.0 - score) * 0.1
    elif nationality == "differ":
        score *= 0.92
    if gender == "differ":
        score *= 0.85
    return score


def _evidence(q: _Entry, r: _Entry) -> tuple[str, str, str]:
    date_kind = dates.compare_dates(q.birth_date, r.birth_date)
    if q.nationality and r.nationality:
        nationality = "agree" if q.nationality & r.nationality else "differ"
    else:
        nationality = "missing"
    gender = "missing"
    if q.gender and r.gender:
        gender = "agree" if q.gender == r.gender else "differ"
    return date_kind, nationality, gender


def _score(q: _Entry, r: _Entry, explain: bool) -> tuple[float, Explanation | None]:
    shared = q.identifiers & r.identifiers
    date_kind, nationality, gender = _evidence(q, r)
    best = (-1.0, 0, 0, [])
    for a, qn in enumerate(q.names):
        for b, rn in enumerate(r.names):
            s, aligned = name_similarity(qn, rn)
            if s > best[0]:
                best = (s, a, b, aligned)
    name, a, b, aligned = best
    score = 1.0 if shared else _combine(name, date_kind, nationality, gender)
    if not explain:
        return score, None
    qn, rn = q.names[a], r.names[b]
    used_q = {i for i, _, _, _ in aligned}
    used_r = {j for _, j, _, _ in aligned}
    order = [j for _, j, _, _ in sorted(aligned)]
    explanation = Explanation(
        query_name=str(q.raw_names[a]),
        record_name=str(r.raw_names[b]),
        name_score=round(name, 4),
        tokens=tuple(
            TokenMatch(qn[i].text, rn[j].text, how, round(s, 4)) for i, j, s, how in aligned
        ),
        missing_in_record=tuple(t.text for i, t in enumerate(qn) if i not in used_q),
        missing_in_query=tuple(t.text for j, t in enumerate(rn) if j not in used_r),
        reordered=order != sorted(order),
        birth_date=date_kind,
        nationality=nationality,
        gender=gender,
        identifier=min(shared) if shared else None,
    )
    return score, explanation


def score(query: Mapping[str, Any], record: Mapping[str, Any]) -> float:
    """Score of one pair in [0, 1]; compare with DEFAULT_THRESHOLD."""
    return round(_score(_Entry(query), _Entry(record), explain=False)[0], 4)


def explain(query: Mapping[str, Any], record: Mapping[str, Any]) -> Candidate:
    """Score of one pair with its explanation."""
    q, r = _Entry(query), _Entry(record)
    value, explanation = _score(q, r, explain=True)
    assert explanation is not None
    return Candidate(r.id, round(value, 4), explanation)


# ---------------------------------------------------------------------------------------------
# Index


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


class Matcher:
    """An index of listed persons; `match` screens queries against it.

    Candidate generation: an inverted index from token keys to records, with the keys' one-edit
    neighbours found through a deletion index over the key vocabulary (typos). Tokens whose
    postings are long (common names) are intersected pairwise instead of unioned.
    """

    def __init__(self, *, shortlist: int = 30, common_cap: int | None = None):
        self.entries: list[_Entry] = []
        self.rejected: list[Rejected] = []
        self.shortlist = shortlist
        self._common_cap = common_cap
        self._postings: dict[str, list[int]] = {}
        self._identifiers: dict[str, list[int]] = {}
        self._neighbours: dict[str, list[str]] = {}
        self._fuzzy_cache: dict[Token, tuple[str, ...]] = {}
        self._by_id: dict[Any, int] = {}

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, on_error: str = "raise", **options: Any
    ) -> Matcher:
        """Build the index. `on_error="skip"` keeps going and lists bad records in `rejected`;
        the default raises ValueError naming the record and the field."""
        if on_error not in ("raise", "skip"):
            raise ValueError("on_error: expected 'raise' or 'skip'")
        matcher = cls(**options)
        matcher.add(records, on_error=on_error)
        return matcher

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def common_cap(self) -> int:
        return self._common_cap or max(200, len(self.entries) // 400)

    def add(self, records: Iterable[Mapping[str, Any]], *, on_error: str = "raise") -> None:
        postings, neighbours = self._postings, self._neighbours
        for position, record in enumerate(records):
            try:
                entry = _Entry(record)
            except ValueError as error:
                record_id = record.get("id") if isinstance(record, Mapping) else None
                if on_error == "raise":
                    raise ValueError(f"record {position} (id {record_id!r}): {error}") from None
                self.rejected.append(Rejected(position, record_id, str(error)))
                continue
            if entry.id in self._by_id:
                raise ValueError(f"record {position}: duplicate id {entry.id!r}")
            index = len(self.entries)
            self.entries.append(entry)
            self._by_id[entry.id] = index
            keys = {k for name in entry.names for t in name if not t.initial for k in t.keys}
            for key in keys:
                bucket = postings.get(key)
                if bucket is None:
                    postings[key] = [index]
                    neighbours.setdefault(key, []).append(key)
                    if len(key) >= 3:
                        for deleted in _deletions(key):
                            neighbours.setdefault(deleted, []).append(key)
                else:
                    bucket.append(index)
            for ident in entry.identifiers:
                self._identifiers.setdefault(ident, []).append(index)
        self._fuzzy_cache.clear()

    def _fuzzy_keys(self, token: Token) -> tuple[str, ...]:
        """Vocabulary keys within one edit of the token's keys."""
        found = self._fuzzy_cache.get(token)
        if found is not None:
            return found
        neighbours = self._neighbours
        out: set[str] = set()
        for key in token.keys:
            out.update(neighbours.get(key, ()))
            if len(key) >= 3:
                for deleted in _deletions(key):
                    out.update(neighbours.get(deleted, ()))
        found = tuple(k for k in out if k in self._postings)
        if len(self._fuzzy_cache) > 200_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[token] = found
        return found

    def _candidates(self, query: _Entry) -> list[int]:
        """Shortlist of entry indexes: exact key hits count 2, one-edit neighbours 1; the
        postings of common tokens are intersected with each other instead of unioned."""
        postings = self._postings
        counts: Counter[int] = Counter()
        forced: set[int] = set()
        for ident in query.identifiers:
            forced.update(self._identifiers.get(ident, ()))
        cap = self.common_cap
        seen: set[Token] = set()
        for name in query.names:
            common: list[list[list[int]]] = []
            for token in name:
                if token.initial or token in seen:
                    continue
                seen.add(token)
                exact = [postings[k] for k in token.keys if k in postings]
                fuzzy = [postings[k] for k in self._fuzzy_keys(token) if k not in token.keys]
                exact_size = sum(map(len, exact))
                if exact and exact_size <= cap:
                    for bucket in exact:
                        counts.update(bucket)
                        counts.update(bucket)
                elif exact:
                    common.append(exact)
                if sum(map(len, fuzzy)) <= cap:
                    for bucket in fuzzy:
                        counts.update(bucket)
                elif not exact:
                    common.append(fuzzy)
            if not common:
                continue
            common.sort(key=lambda lists: sum(map(len, lists)))
            smallest = set().union(*common[0])
            if len(common) == 1:
                if counts:
                    for index in [i for i in counts if i in smallest]:
                        counts[index] += 2
                elif len(name) == 1 or not counts:
                    counts.update(smallest)  # a lone common token: every holder
                continue
            for other in common[1:3]:
                both: set[int] = set()
                for bucket in other:
                    both.update(smallest.intersection(bucket))
                for _ in range(4):
                    counts.update(both)
        ranked = (
            [i for i, _ in counts.most_common(self.shortlist)]
            if len(counts) > self.shortlist
            else list(counts)
        )
        if forced:
            ranked = list(dict.fromkeys([*forced, *ranked]))
        return ranked

    def candidates(self, query: Mapping[str, Any]) -> list[Any]:
        """Record ids that would be scored for this query (to measure blocking recall)."""
        return [self.entries[i].id for i in self._candidates(_Entry(query))]

    def match(
        self,
        queries: Iterable[Mapping[str, Any]],
        threshold: float | None = None,
        limit: int = 5,
    ) -> list[list[Candidate]]:
        """Per query, the candidates scoring at least `threshold` (DEFAULT_THRESHOLD), best
        first, at most `limit`. A malformed query raises ValueError naming the field."""
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        results = []
        for query in queries:
            entry = _Entry(query)
            scored = []
            for index in self._candidates(entry):
                value, _ = _score(entry, self.entries[index], explain=False)
                if value >= threshold:
                    scored.append((value, index))
            found = []
            for value, index in heapq.nlargest(limit, scored):
                record = self.entries[index]
                _, explanation = _score(entry, record, explain=True)
                assert explanation is not None
                found.append(Candidate(record.id, round(value, 4), explanation))
            results.append(found)
        return results

    def match_one(self, query: Mapping[str, Any], **options: Any) -> list[Candidate]:
        return self.match([query], **options)[0]
