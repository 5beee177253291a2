"""The screening engine: an in-memory index of listed persons, and the scoring of candidates.

    from vigie.screening.engine import Matcher
    matcher = Matcher.from_records(records)       # mappings: id, name, aliases, birth_date, ...
    results = matcher.match([{"id": "q1", "name": "يوسف عبد القادر الزياني"}])

Plain Python, no Django import: the app builds the index from its selectors (docs/screening.md).
"""

from __future__ import annotations

import functools
import heapq
import math
import re
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
from vigie.screening.normalise import KEY_RULES, Token, normalise_name

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

    __slots__ = (
        "id", "names", "raw_names", "birth_date", "nationality", "gender", "identifiers",
        "tids", "keys",
    )  # fmt: skip

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

_VOWEL_CLASS = str.maketrans({"e": "i", "y": "i", "o": "u", "w": "u"})


@functools.lru_cache(maxsize=200_000)
def loose_form(form: str) -> str:
    """A spelling with the consonant folds of the key but its vowels kept in three classes
    (a, e/i/y, o/u/w) and runs collapsed: two tokens with the same consonant skeleton are the
    same name only if their vowels roughly agree too (Youssef ~ Yusuf, not Yassine ~ Chun)."""
    word = form
    for old, new in KEY_RULES:
        if old in word:
            word = word.replace(old, new)
    word = word.replace("z", "s").translate(_VOWEL_CLASS)
    out = []
    for char in word:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


def _token_similarity(q: Token, r: Token) -> tuple[float, str, int, int]:
    """(similarity in [0, 1], how, form index in q, form index in r)."""
    if q.initial or r.initial:
        if q.initial and r.initial:
            return (0.8, INITIAL, 0, 0) if q.text == r.text else (0.0, "", 0, 0)
        letter, full = (q.text, r) if q.initial else (r.text, q)
        if any(form.startswith(letter) for form in full.forms):
            return (0.8, INITIAL, 0, 0)
        return (0.0, "", 0, 0)
    best = (0.0, "", 0, 0)
    # Arabic script writes no short vowels: its skeleton meeting a key is the evidence there is.
    skeleton = (q.script == "arabic") != (r.script == "arabic")
    for i, (fa, ka) in enumerate(zip(q.forms, q.keys, strict=True)):
        for j, (fb, kb) in enumerate(zip(r.forms, r.keys, strict=True)):
            folded = i > 0 or j > 0
            if fa == fb:
                s, how = 1.0, EXACT
            else:
                s_form = Indel.normalized_similarity(fa, fb)
                if ka == kb:
                    how = TRANSLITERATION
                    if skeleton:
                        s = 0.95
                    else:
                        s_loose = Indel.normalized_similarity(loose_form(fa), loose_form(fb))
                        s = min(0.95, max(s_form, s_loose) + 0.1)
                else:
                    s_key = Indel.normalized_similarity(ka, kb) * 0.92 if len(ka) > 2 else 0.0
                    s, how = max(s_form, s_key), TYPO
            if folded:
                s *= 0.97
                how = FOLDED if how == EXACT else how
            if s > best[0]:
                best = (s, how, i, j)
    return best


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


def _align(
    q: tuple[Token, ...], r: tuple[Token, ...], sims: list[list[tuple[float, str, int, int]]]
) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Order-insensitive greedy alignment given the token similarity matrix `sims[i][j]`."""
    pairs = []
    for i, row in enumerate(sims):
        for j, (s, how, _, _) in enumerate(row):
            if s >= TOKEN_MATCH_MIN:
                pairs.append((s, i, j, how))
    if not pairs:
        return 0.0, []
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_r: set[int] = set()
    aligned = []
    for s, i, j, how in pairs:
        if i not in used_q and j not in used_r:
            used_q.add(i)
            used_r.add(j)
            aligned.append((i, j, s, how))
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


def name_similarity(
    q: tuple[Token, ...], r: tuple[Token, ...]
) -> tuple[float, list[tuple[int, int, float, str]]]:
    """Order-insensitive alignment of two token lists: (score, [(qi, ri, sim, how)])."""
    return _align(q, r, [[token_similarity(qt, rt) for rt in r] for qt in q])


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


def _best_possible(name: float) -> float:
    """The highest score a name score can reach with the best other evidence."""
    score = name + (1.0 - name) * 0.5
    return score + (1.0 - score) * 0.1


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
    best = (-1.0, 0, 0, [])
    for a, qn in enumerate(q.names):
        for b, rn in enumerate(r.names):
            s, aligned = name_similarity(qn, rn)
            if s > best[0]:
                best = (s, a, b, aligned)
    return _finish(q, r, best, explain)


def _finish(
    q: _Entry, r: _Entry, best: tuple[float, int, int, list], explain: bool
) -> tuple[float, Explanation | None]:
    shared = q.identifiers & r.identifiers
    date_kind, nationality, gender = _evidence(q, r)
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


FUZZY_WEIGHT = 0.6  # a one-edit key neighbour counts this share of the token's rarity
YEAR_BONUS = {0: 2.0, 1: 1.0}  # ranking only: the query's birth year met exactly or one off
SHORTLIST_MAX = 150  # at most this many candidates are fully scored
LOOKUP_POOL = 300  # common tokens are looked up in this many of the best candidates
SCAN_FLOOR = 0.5  # tokens weighing less than this share of the query together are looked up
FLOOR = 0.6  # share of the query's rarity weight a candidate needs beyond the best `shortlist`


class Matcher:
    """An index of listed persons; `match` screens queries against it.

    Candidate generation: an inverted index from token keys to records, with the keys' one-edit
    neighbours found through a deletion index over the key vocabulary (typos). Each query token
    weighs its rarity (IDF); the postings of rare tokens are scanned, common tokens (longer
    postings than `common_cap`) only add their weight to the candidates found otherwise, by a
    look-up in the record's own keys. Candidates are ranked by that rarity-weighted overlap and
    the query's birth year; the best `shortlist`, and every other whose overlap reaches half of
    the query's weight (at most SHORTLIST_MAX), are scored.
    """

    def __init__(self, *, shortlist: int = 10, common_cap: int | None = None):
        self.entries: list[_Entry | None] = []
        self.rejected: list[Rejected] = []
        self.shortlist = shortlist
        self._common_cap = common_cap
        self._postings: dict[str, list[int]] = {}
        self._identifiers: dict[str, list[int]] = {}
        self._neighbours: dict[str, list[str]] = {}
        self._vocabulary: set[str] = set()
        self._fuzzy_cache: dict[Token, tuple[str, ...]] = {}
        self._by_id: dict[Any, int] = {}
        self._years: list[int] = []  # birth year per entry (-99: unknown), for ranking
        self._tokens: list[Token] = []  # interned record tokens; entries hold their ids
        self._token_ids: dict[Token, int] = {}
        self._sim_rows: dict[Token, dict[int, tuple[float, str, int, int]]] = {}

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
        return len(self._by_id)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    @property
    def common_cap(self) -> int:
        return self._common_cap or max(200, len(self._by_id) // 400)

    def add(
        self,
        records: Mapping[str, Any] | Iterable[Mapping[str, Any]],
        *,
        on_error: str = "raise",
    ) -> None:
        """Index one record or several. A record whose id is already indexed replaces it (the
        index follows the database); the same id twice in one call is an error."""
        if isinstance(records, Mapping):
            records = [records]
        postings, neighbours, vocabulary = self._postings, self._neighbours, self._vocabulary
        token_ids, tokens = self._token_ids, self._tokens
        batch: set[Any] = set()
        for position, record in enumerate(records):
            try:
                entry = _Entry(record)
                if entry.id in batch:
                    raise ValueError(f"id: duplicate id {entry.id!r} in the same batch")
            except ValueError as error:
                record_id = record.get("id") if isinstance(record, Mapping) else None
                if on_error == "raise":
                    raise ValueError(f"record {position} (id {record_id!r}): {error}") from None
                self.rejected.append(Rejected(position, record_id, str(error)))
                continue
            batch.add(entry.id)
            if entry.id in self._by_id:
                self.remove(entry.id)
            index = len(self.entries)
            self.entries.append(entry)
            self._years.append(entry.birth_date.year if entry.birth_date else -99)
            self._by_id[entry.id] = index
            tids = []
            keys: dict[str, None] = {}
            for name in entry.names:
                ids = []
                for token in name:
                    tid = token_ids.get(token)
                    if tid is None:
                        tid = token_ids[token] = len(tokens)
                        tokens.append(token)
                    ids.append(tid)
                    if not token.initial:
                        keys.update(dict.fromkeys(token.keys))
                tids.append(tuple(ids))
            entry.tids = tuple(tids)
            entry.keys = tuple(keys)
            for key in entry.keys:
                bucket = postings.get(key)
                if bucket is None:
                    postings[key] = [index]
                    if key not in vocabulary:
                        vocabulary.add(key)
                        neighbours.setdefault(key, []).append(key)
                        if len(key) >= 3:
                            for deleted in _deletions(key):
                                neighbours.setdefault(deleted, []).append(key)
                else:
                    bucket.append(index)
            for ident in entry.identifiers:
                self._identifiers.setdefault(ident, []).append(index)
        self._fuzzy_cache.clear()

    def remove(self, record_id: Any) -> bool:
        """Take a record out of the index; False if it was not there."""
        index = self._by_id.pop(record_id, None)
        if index is None:
            return False
        entry = self.entries[index]
        assert entry is not None
        self.entries[index] = None
        for table, keys in ((self._postings, entry.keys), (self._identifiers, entry.identifiers)):
            for key in keys:
                bucket = table[key]
                bucket.remove(index)
                if not bucket:
                    del table[key]
        self._fuzzy_cache.clear()
        return True

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
        found = tuple(k for k in out if k in self._postings and k not in token.keys)
        if len(self._fuzzy_cache) > 200_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[token] = found
        return found

    def _candidates(self, query: _Entry) -> list[int]:
        """Entry indexes to score, best first by rarity-weighted token overlap and birth year.

        Each distinct query token weighs its rarity (IDF). Tokens are taken rarest first and
        their postings (and those of their one-edit key neighbours) are scanned until the
        tokens left weigh less than half of the query: a record holding only those could not
        reach the floor. The tokens left are looked up in the best candidates' own keys."""
        postings, entries = self._postings, self.entries
        log_n = math.log(len(self._by_id) + 1)
        tokens: list[tuple[float, list[str], tuple[str, ...]]] = []
        seen: set[Token] = set()
        for name in query.names:
            for token in name:
                if token.initial or token in seen:
                    continue
                seen.add(token)
                exact = [k for k in token.keys if k in postings]
                df = sum(len(postings[k]) for k in exact)
                tokens.append((log_n - math.log(df + 1) + 0.1, exact, self._fuzzy_keys(token)))
        tokens.sort(key=lambda item: -item[0])
        total = sum(weight for weight, _, _ in tokens)
        floor = FLOOR * total
        remaining = total
        acc: dict[int, float] = {}
        lookups: list[tuple[float, frozenset[str]]] = []
        fuzzy_cap = self.common_cap
        for weight, exact, fuzzy_keys in tokens:
            if remaining < SCAN_FLOOR * total and acc:
                lookups.append((weight, frozenset(exact)))
                if fuzzy_keys:
                    lookups.append((FUZZY_WEIGHT * weight, frozenset(fuzzy_keys)))
                continue
            remaining -= weight
            gains: dict[int, float] = {}
            if fuzzy_keys:
                size = sum(len(postings[k]) for k in fuzzy_keys)
                if size <= fuzzy_cap:
                    for key in fuzzy_keys:
                        gains.update(dict.fromkeys(postings[key], FUZZY_WEIGHT * weight))
                else:
                    lookups.append((FUZZY_WEIGHT * weight, frozenset(fuzzy_keys)))
            for key in exact:
                gains.update(dict.fromkeys(postings[key], weight))
            if acc:
                get = acc.get
                for index, gain in gains.items():
                    acc[index] = get(index, 0.0) + gain
            else:
                acc = gains
        forced: list[int] = []
        for ident in query.identifiers:
            forced.extend(self._identifiers.get(ident, ()))
        if not acc:
            return forced
        if query.birth_date is not None:
            year, years, bonus = query.birth_date.year, self._years, YEAR_BONUS.get
            for index, value in acc.items():
                acc[index] = value + bonus(abs(years[index] - year), 0.0)
        if lookups:
            pool = heapq.nlargest(LOOKUP_POOL, acc, key=acc.__getitem__)
            for weight, keys in lookups:
                isdisjoint = keys.isdisjoint
                for index in pool:
                    if not isdisjoint(entries[index].keys):  # type: ignore[union-attr]
                        acc[index] += weight
            candidates = {index: acc[index] for index in pool}
        else:
            candidates = acc
        ranked = heapq.nlargest(SHORTLIST_MAX, candidates.items(), key=lambda item: item[1])
        keep = self.shortlist
        out = [index for n, (index, value) in enumerate(ranked) if n < keep or value >= floor]
        if forced:
            out = list(dict.fromkeys([*forced, *out]))
        return out

    def candidates(self, query: Mapping[str, Any]) -> list[Any]:
        """Record ids that would be scored for this query (to measure blocking recall)."""
        return [self.entries[i].id for i in self._candidates(_Entry(query))]  # type: ignore[union-attr]

    def _row(self, token: Token) -> dict[int, tuple[float, str, int, int]]:
        row = self._sim_rows.get(token)
        if row is None:
            if len(self._sim_rows) > 20_000:
                self._sim_rows.clear()
            row = self._sim_rows[token] = {}
        return row

    def _score_entry(
        self, q: _Entry, rows: list[list[dict]], r: _Entry, threshold: float
    ) -> tuple[float, tuple[float, int, int, list]] | None:
        tokens = self._tokens
        best: tuple[float, int, int, list] = (-1.0, 0, 0, [])
        for a, qn in enumerate(q.names):
            qrows = rows[a]
            for b, rn in enumerate(r.tids):
                sims = []
                for qt, row in zip(qn, qrows, strict=True):
                    line = []
                    for tid in rn:
                        hit = row.get(tid)
                        if hit is None:
                            hit = row[tid] = _token_similarity(qt, tokens[tid])
                        line.append(hit)
                    sims.append(line)
                s, aligned = _align(qn, r.names[b], sims)
                if s > best[0]:
                    best = (s, a, b, aligned)
        if _best_possible(best[0]) < threshold and not (q.identifiers & r.identifiers):
            return None
        value, _ = _finish(q, r, best, explain=False)
        return (value, best) if value >= threshold else None

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
        entries = self.entries
        for query in queries:
            entry = _Entry(query)
            rows = [[self._row(t) for t in name] for name in entry.names]
            scored = []
            for index in self._candidates(entry):
                record = entries[index]
                assert record is not None
                hit = self._score_entry(entry, rows, record, threshold)
                if hit is not None:
                    scored.append((hit[0], -index, hit[1]))
            found = []
            for value, negative, best in heapq.nlargest(limit, scored, key=lambda s: s[:2]):
                record = entries[-negative]
                assert record is not None
                _, explanation = _finish(entry, record, best, explain=True)
                assert explanation is not None
                found.append(Candidate(record.id, round(value, 4), explanation))
            results.append(found)
        return results

    def match_one(self, query: Mapping[str, Any], **options: Any) -> list[Candidate]:
        return self.match([query], **options)[0]
