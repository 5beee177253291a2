"""The screening engine: an in-memory index of listed persons, and the scoring of candidates.

    from vigie.screening.engine import Matcher
    matcher = Matcher.from_records(records)       # mappings: id, name, aliases, birth_date, ...
    results = matcher.match([{"id": "q1", "name": "يوسف عبد القادر الزياني"}])

Plain Python, no Django import: the app builds the index from its selectors (docs/screening.md).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import heapq
import itertools
import math
import operator
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

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
from vigie.screening.normalise import (
    KEY_RULES,
    KUNYA_NOTE,
    Token,
    clear_name_caches,
    normalise_name,
    token_key,
)

DEFAULT_THRESHOLD = 0.80
"""Alert at or above this score. Calibrated with `python -m vigie.screening.benchmark`: a name
that matches token for token (in any script and order) with the birth date missing, year-only
or differing as a typo would, stays above it; a clearly different birth date (two people) puts
any name below it (docs/benchmarks.md)."""

TOKEN_MATCH_MIN = 0.75  # below this two tokens are not the same token
# A token's shortfall from 1 counts this many times in the name score: two surnames 80 %
# alike (two or three letters apart) are weak evidence, not 80 % of a match.
STRETCH = 2.0
CROSS_SCRIPT_BAR = 0.5  # prefilter bar between Latin and Arabic or Cyrillic tokens
PREFILTER_FORMS = 3  # a record token's first forms compared by the prefilter (all in practice)
UNMATCHED_QUERY_WEIGHT = 0.35  # cost of a query token the record lacks (vs a matched one)
UNMATCHED_RECORD_WEIGHT = 0.2  # cost of a record token the query lacks (middle names)
# One shared token between two longer names caps the name score here: even an exact birth date
# and nationality then stay under DEFAULT_THRESHOLD (brothers share a surname and birthdays).
SINGLE_TOKEN_CAP = 0.5
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
        "tids", "keys", "flat", "spelled",
    )  # fmt: skip

    def __init__(self, record: Mapping[str, Any], *, listed: bool = False):
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
        if listed and len(names[0]) >= 2:
            # A kunya is used alone or with the family name (Abu Hamza Benali): a listed
            # person's kunya alias also stands with the last token of the name.
            family = names[0][-1]
            for alias_tokens, alias in zip(names[1:], raw[1:], strict=True):
                if len(alias_tokens) == 1 and alias_tokens[0].note == KUNYA_NOTE:
                    names.append((alias_tokens[0], family))
                    raw.append(f"{alias} {family.text.capitalize()}")
        self.names = tuple(names)
        self.raw_names = tuple(raw)
        # The name's tokens in alphabetical order: ranks candidates tied on keys.
        self.spelled = " ".join(sorted(t.text for t in names[0]))
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
    if (q.note == KUNYA_NOTE) != (r.note == KUNYA_NOTE):
        return (0.0, "", 0, 0)  # "father of Hamza" is not Hamza, however alike the letters
    best = (0.0, "", 0, 0)
    # Arabic script writes no short vowels: its skeleton meeting a key is the evidence there is.
    skeleton = (q.script == "arabic") != (r.script == "arabic")
    q_pairs: Sequence[tuple[str, str]] = list(zip(q.forms, q.keys, strict=True))
    r_pairs: Sequence[tuple[str, str]] = list(zip(r.forms, r.keys, strict=True))
    if (q.script == "latin") != (r.script == "latin"):
        # Arabic or Cyrillic script writes a name as it sounds; give the Latin side its
        # spoken forms too (Dubois ~ Дюбуа, Faycal ~ فيصل, Jan ~ Ян, Murad ~ Мурат).
        if q.script == "latin":
            q_pairs = [*q_pairs, *_spoken_pairs(q.forms)]
        else:
            r_pairs = [*r_pairs, *_spoken_pairs(r.forms)]
    similarity = Indel.normalized_similarity
    for i, (fa, ka) in enumerate(q_pairs):
        for j, (fb, kb) in enumerate(r_pairs):
            if fa == fb:
                s, how = 1.0, EXACT
            elif ka == kb:
                how = TRANSLITERATION
                if skeleton:
                    s = _skeleton_similarity(fa, fb, q.script == "arabic")
                else:
                    s_loose = similarity(loose_form(fa), loose_form(fb))
                    s = min(0.95, max(similarity(fa, fb), s_loose) + 0.1)
            else:
                s, how = similarity(fa, fb), TYPO
                s_key = similarity(ka, kb) * 0.92 if len(ka) > 2 else 0.0
                if s_key > s and s_key >= TOKEN_MATCH_MIN:
                    if not skeleton:
                        # Keys are short: one consonant apart is weak evidence unless the
                        # spellings, vowels included, agree as much (Nikolya ~ Nicolas, not
                        # Vaizoust ~ Fost).
                        s_key = min(s_key, similarity(loose_form(fa), loose_form(fb)))
                    s = max(s, s_key)
            if i or j:  # met through a folded or spoken form
                s *= 0.97
                if how == EXACT:
                    how = FOLDED if i < len(q.forms) and j < len(r.forms) else TRANSLITERATION
            if s > best[0]:
                best = (s, how, min(i, len(q.forms) - 1), min(j, len(r.forms) - 1))
    return best


_FINAL_SILENT = re.compile(r"(?<=[aeiouyn])(?:s|t|x|d|z|ts|ds)$")
_HARD_C = re.compile(r"(?<=[aeiouy])c(?=[aou])")


def _skeleton_similarity(fa: str, fb: str, a_is_arabic: bool) -> float:
    """Same key, one side in Arabic script: Arabic leaves short vowels out but writes long
    ones, so its letters should all be found, in order, in the Latin spelling (الزياني
    ~ Zayani, not ~ Yassine, though all three share the key "sn")."""
    arabic, latin = (fa, fb) if a_is_arabic else (fb, fa)
    arabic, latin = loose_form(arabic), loose_form(latin)
    common = (len(arabic) + len(latin) - Indel.distance(arabic, latin)) / 2  # LCS length
    coverage = common / max(len(arabic), 1)
    return max(0.0, 0.95 - 0.75 * (1.0 - coverage))


@functools.lru_cache(maxsize=50_000)
def _spoken_pairs(forms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """How a Latin spelling may sound, for comparison with Arabic or Cyrillic script: a lost
    cedilla (Faycal, Francois), a Dutch or German initial j (Jan, Janssens), a final d said t
    (Murad ~ Мурат), French silent final letters (Dubois, Dupont, Nicolas)."""
    out: dict[str, None] = {}
    for form in forms:
        for spoken in dict.fromkeys((form, _HARD_C.sub("s", form))):
            if spoken.startswith("j"):
                spoken = "y" + spoken[1:]
            out[spoken] = None
            if spoken.endswith("d"):
                out[spoken[:-1] + "t"] = None
            if len(spoken) > 4 and (silent := _FINAL_SILENT.sub("", spoken)) != spoken:
                out[silent] = None
    for form in forms:
        out.pop(form, None)
    return tuple((form, token_key(form)) for form in out)


_NO_MATCH = (0.0, "", 0, 0)


def _may_reach(
    q: _Entry, r: _Entry, possible: list[list[frozenset[int] | None]], threshold: float
) -> bool:
    """False when no pair of names can align two tokens (nor one, between names of one
    token): the single-token cap then keeps the record under the threshold."""
    if q.identifiers and q.identifiers & r.identifiers:
        return True
    for qn, sets in zip(q.names, possible, strict=True):
        for rn in r.tids:
            matched = 0
            for allowed in sets:
                if allowed is None or not allowed.isdisjoint(rn):
                    matched += 1
            if matched >= 2 or (matched == 1 and min(len(qn), len(rn)) < 2):
                return True
    return False


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
        num += max(0.0, 1.0 - STRETCH * (1.0 - s)) * w
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
        score = min(score, SINGLE_TOKEN_CAP)
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


_CONFLICT_CEILING = _combine(1.0, dates.CONFLICT, "agree", "missing")  # 0.55


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
    return round(_score(_Entry(query), _Entry(record, listed=True), explain=False)[0], 4)


def explain(query: Mapping[str, Any], record: Mapping[str, Any]) -> Candidate:
    """Score of one pair with its explanation."""
    q, r = _Entry(query), _Entry(record, listed=True)
    value, explanation = _score(q, r, explain=True)
    assert explanation is not None
    return Candidate(r.id, round(value, 4), explanation)


# ---------------------------------------------------------------------------------------------
# Index


def _deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


_EMPTY = np.zeros(0, dtype=np.int32)
_MET = 4096.0  # one query token met, in the overlap array (weights sum far below it)


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector: building the index or screening a batch makes
    millions of objects but no cycles, and each full collection would walk the whole index
    (measured: a quarter of the screening time at 100,000 persons). Reference counting
    still frees everything; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_YEAR_OFFSET = 100  # unknown years are -99: tables start at -100
_YEARS = np.arange(-_YEAR_OFFSET, 10_000, dtype=np.int32)  # any YYYY


@functools.lru_cache(maxsize=256)
def _year_tables(year: int) -> tuple[np.ndarray, np.ndarray]:
    """For a query's birth year, by listed birth year (+ _YEAR_OFFSET): whether it is another
    year than a typo makes (two years or more apart, and two digits or more), and its ranking
    bonus (YEAR_BONUS). An unknown year (-99) is neither."""
    digits = sum(((_YEARS // 10**k) % 10 != (year // 10**k) % 10) for k in range(4))
    gap = np.abs(_YEARS - year)
    other = (_YEARS != -99) & (gap >= 2) & (digits >= 2)
    bonus = np.where(gap == 0, YEAR_BONUS[0], np.where(gap == 1, YEAR_BONUS[1], 0.0))
    bonus[_YEARS == -99] = 0.0
    return other, bonus.astype(np.float32)


def _distinct(indexes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each index once (a record met through two keys is listed twice, with one value)."""
    if len(indexes) < 256:
        seen = dict(zip(indexes.tolist(), values.tolist(), strict=True))
        return np.fromiter(seen, np.int64, len(seen)), np.fromiter(
            seen.values(), np.float32, len(seen)
        )
    unique, first = np.unique(indexes, return_index=True)
    return unique, values[first]


def _slices(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """data[start:start + length] for every pair, one after the other, in one step."""
    total = int(lengths.sum())
    if total == 0:
        return _EMPTY
    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return data[shift + np.arange(total)]


def _concat(arrays: list[np.ndarray]) -> np.ndarray:
    if not arrays:
        return _EMPTY
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


FUZZY_WEIGHT = 0.6  # a one-edit key neighbour counts this share of the token's rarity
YEAR_BONUS = (2.0, 1.0)  # ranking only: the query's birth year met exactly, or one year off
SHORTLIST_MAX = 25  # at most this many above the floor are scored (beside the shortlist)
SPELLING_POOL = 100  # the best this many by overlap and year are also ranked by spelling
SPELLING_WEIGHT = 3.0  # times the similarity (0-1) of the sorted tokens of the two names
UNSEEN_DEPTH = 8  # the shortlist grows this many times when a query token is unseen
LOW_SHARE = 0.3  # when few reach the floor, the shortlist is drawn from overlaps above this
FLOOR = 0.62  # share of the query's rarity weight a candidate needs beyond the best `shortlist`


class Matcher:
    """An index of listed persons; `match` screens queries against it.

    Candidate generation: an inverted index from token keys to records, with the keys' one-edit
    neighbours found through a deletion index over the key vocabulary (typos). Each query token
    weighs its rarity (IDF); every record holding a token's key gains its weight, a record
    holding a one-edit neighbour of it FUZZY_WEIGHT of it (neighbours are looked up for tokens
    that are not common: a common token weighs little anyway). The sums are kept in a numpy
    array, so that every posting counts, however common the token. Candidates are ranked by that
    rarity-weighted overlap and the query's birth year; the best `shortlist`, and every other
    whose overlap reaches FLOOR of the query's weight (at most SHORTLIST_MAX), are scored.
    """

    def __init__(self, *, shortlist: int = 5, common_cap: int | None = None):
        self.entries: list[_Entry | None] = []
        self.rejected: list[Rejected] = []
        self.shortlist = shortlist
        self._common_cap = common_cap
        self._postings: dict[str, list[int]] = {}
        self._key_ids: dict[str, int] = {}  # every key ever indexed, numbered
        self._key_names: list[str] = []
        self._packed_count = 0  # keys 0..count-1 have their postings packed (see _pack)
        self._packed_offsets = np.zeros(1, dtype=np.int64)
        self._packed = np.zeros(0, dtype=np.int32)
        self._changed: set[int] = set()  # keys whose packed postings are stale
        self._neighbour_rows: dict[str, int] = {}  # see _pack_neighbours
        self._neighbour_offsets = np.zeros(1, dtype=np.int64)
        self._neighbour_kids = np.zeros(0, dtype=np.int64)
        self._arrays: dict[int, np.ndarray] = {}  # postings of changed or new keys, as arrays
        self._identifiers: dict[str, list[int]] = {}
        self._neighbours: dict[str, list[int]] = {}  # key or key less one letter -> key ids
        self._hits_cache: dict[Token, tuple[int, np.ndarray, np.ndarray, np.ndarray]] = {}
        # Screening shares scratch arrays and caches: one batch (or change) at a time.
        self._lock = threading.RLock()
        self._by_id: dict[Any, int] = {}
        self._years: list[int] = []  # birth year per entry (-99: unknown), for ranking
        self._years_array = np.zeros(0, dtype=np.int16)
        self._short: list[bool] = []  # per entry: has a name of one token
        self._spelled: list[str] = []  # per entry: its name's tokens, for ranking ties
        self._short_array = np.zeros(0, dtype=bool)
        self._short_ids = np.zeros(0, dtype=np.int64)
        self._acc = np.zeros(0, dtype=np.float32)  # scratch: overlap per entry, kept at zero
        self._tokens: list[Token] = []  # interned record tokens; entries hold their ids
        self._token_ids: dict[Token, int] = {}
        self._spellings: set[str] = set()  # every form of a listed name token
        # Per token id, for the vectorised prefilter: forms and keys by position, and flags.
        self._form_columns: list[list[str]] = [[] for _ in range(PREFILTER_FORMS)]
        self._key_columns: list[list[str]] = [[] for _ in range(PREFILTER_FORMS)]
        self._token_flags: list[tuple[bool, bool, int]] = []  # latin, initial, forms
        self._flag_arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
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
        with _no_collection():
            matcher.add(records, on_error=on_error)
            with matcher._lock:
                matcher._pack()
        return matcher

    def __len__(self) -> int:
        return len(self._by_id)

    def clear_caches(self) -> None:
        """Forget what was memoised for the queries seen so far (benchmarks measure a cold
        pass with it); the index itself is kept."""
        with self._lock:
            self._hits_cache.clear()
            self._sim_rows.clear()
            _SIM_CACHE.clear()
            loose_form.cache_clear()
            _spoken_pairs.cache_clear()
            clear_name_caches()

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    @property
    def common_cap(self) -> int:
        return self._common_cap or max(50, len(self._by_id) // 2000)

    def add(
        self,
        records: Mapping[str, Any] | Iterable[Mapping[str, Any]],
        *,
        on_error: str = "raise",
    ) -> None:
        """Index one record or several. A record whose id is already indexed replaces it (the
        index follows the database); the same id twice in one call is an error."""
        with self._lock:
            self._add(records, on_error)

    def _add(self, records: Mapping[str, Any] | Iterable[Mapping[str, Any]], on_error: str) -> None:
        if isinstance(records, Mapping):
            records = [records]
        postings, neighbours, key_ids = self._postings, self._neighbours, self._key_ids
        token_ids, tokens, arrays = self._token_ids, self._tokens, self._arrays
        changed, packed = self._changed, self._packed_count
        batch: set[Any] = set()
        for position, record in enumerate(records):
            try:
                entry = _Entry(record, listed=True)
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
                self._remove(entry.id)
            index = len(self.entries)
            self.entries.append(entry)
            self._years.append(entry.birth_date.year if entry.birth_date else -99)
            self._short.append(min(len(name) for name in entry.names) < 2)
            self._spelled.append(entry.spelled)
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
                        self._add_columns(token)
                        self._spellings.update(token.forms)
                    ids.append(tid)
                    if not token.initial:
                        keys.update(dict.fromkeys(token.keys))
                tids.append(tuple(ids))
            entry.tids = tuple(tids)
            entry.flat = tuple(set(itertools.chain.from_iterable(tids)))
            entry.keys = tuple(keys)
            for key in entry.keys:
                bucket = postings.get(key)
                if bucket is None:
                    postings[key] = [index]
                    if key not in key_ids:
                        kid = key_ids[key] = len(self._key_names)
                        self._key_names.append(key)
                        neighbours.setdefault(key, []).append(kid)
                        if len(key) >= 3:
                            for deleted in _deletions(key):
                                neighbours.setdefault(deleted, []).append(kid)
                else:
                    bucket.append(index)
                kid = key_ids[key]
                if kid < packed:
                    changed.add(kid)
                arrays.pop(kid, None)
            for ident in entry.identifiers:
                self._identifiers.setdefault(ident, []).append(index)
        self._hits_cache.clear()

    def remove(self, record_id: Any) -> bool:
        """Take a record out of the index; False if it was not there."""
        with self._lock:
            return self._remove(record_id)

    def _remove(self, record_id: Any) -> bool:
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
        for key in entry.keys:
            kid = self._key_ids[key]
            self._arrays.pop(kid, None)
            self._changed.add(kid)
        self._hits_cache.clear()
        return True

    def _add_columns(self, token: Token) -> None:
        for k in range(PREFILTER_FORMS):
            self._form_columns[k].append(token.forms[k] if k < len(token.forms) else "")
            self._key_columns[k].append(token.keys[k] if k < len(token.keys) else "\x00")
        self._token_flags.append((token.script == "latin", token.initial, len(token.forms)))
        self._flag_arrays = None

    def _flags(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._flag_arrays is None:
            latin, initial, width = zip(*self._token_flags, strict=True) or ((), (), ())
            self._flag_arrays = (
                np.array(latin, dtype=bool),
                np.array(initial, dtype=bool),
                np.array(width, dtype=np.int8),
            )
        return self._flag_arrays

    def _pack(self) -> None:
        """Copy the postings into one array (CSR layout by key id), so that a query reads a
        key's postings as a slice; keys changed since are read from their lists until the
        next packing, which happens when they are many."""
        lists = [self._postings.get(key, ()) for key in self._key_names]
        lengths = np.fromiter(map(len, lists), np.int64, len(lists))
        self._packed_offsets = np.concatenate(([0], np.cumsum(lengths)))
        self._packed = np.fromiter(
            itertools.chain.from_iterable(lists), np.int32, int(lengths.sum())
        )
        self._packed_count = len(lists)
        self._arrays.clear()
        self._changed.clear()
        self._pack_neighbours()

    def _pack_neighbours(self) -> None:
        """The deletion index (a key, or a key less one letter -> key ids) packed the same
        way: a query token's neighbour keys are then a few slices, made unique and gathered
        in vectorised steps. Valid until the postings change."""
        strings = list(self._neighbours)
        self._neighbour_rows = {string: n for n, string in enumerate(strings)}
        kid_lists = [self._neighbours[string] for string in strings]
        counts = np.fromiter(map(len, kid_lists), np.int64, len(kid_lists))
        self._neighbour_offsets = np.concatenate(([0], np.cumsum(counts)))
        self._neighbour_kids = np.fromiter(
            itertools.chain.from_iterable(kid_lists), np.int64, int(counts.sum())
        )

    def _array(self, kid: int) -> np.ndarray:
        if kid < self._packed_count and kid not in self._changed:
            return self._packed[self._packed_offsets[kid] : self._packed_offsets[kid + 1]]
        found = self._arrays.get(kid)
        if found is None:
            postings = self._postings.get(self._key_names[kid], ())
            found = self._arrays[kid] = np.array(postings, dtype=np.int32)
        return found

    def _gather(self, kids: Iterable[int]) -> np.ndarray:
        """The postings of several keys, one after the other (an index may repeat)."""
        wanted = np.fromiter(kids, np.int64)
        if len(wanted) == 1:
            return self._array(int(wanted[0]))
        parts = []
        stale = wanted >= self._packed_count
        if self._changed:
            stale |= np.isin(wanted, np.fromiter(self._changed, np.int64))
        if stale.any():
            parts = [self._array(int(kid)) for kid in wanted[stale]]
            wanted = wanted[~stale]
        if len(wanted):
            starts = self._packed_offsets[wanted]
            lengths = self._packed_offsets[wanted + 1] - starts
            parts.append(_slices(self._packed, starts, lengths))
        return _concat(parts)

    def _neighbour_postings_of(self, token: Token) -> np.ndarray:
        """The records holding a key within one edit of the token's keys (packed index)."""
        rows = self._neighbour_rows
        wanted = []
        for key in token.keys:
            row = rows.get(key)
            if row is not None:
                wanted.append(row)
            if len(key) >= 3:
                wanted.extend(r for d in _deletions(key) if (r := rows.get(d)) is not None)
        if not wanted:
            return _EMPTY
        where = np.array(wanted, dtype=np.int64)
        starts = self._neighbour_offsets[where]
        lengths = self._neighbour_offsets[where + 1] - starts
        kids = np.unique(_slices(self._neighbour_kids, starts, lengths))
        starts = self._packed_offsets[kids]
        return _slices(self._packed, starts, self._packed_offsets[kids + 1] - starts)

    def _fuzzy_keys(self, token: Token) -> set[int]:
        """Ids of the keys within one edit of the token's keys, the keys themselves included
        (a key no record holds any more has no postings)."""
        neighbours = self._neighbours
        out: set[int] = set()
        for key in token.keys:
            out.update(neighbours.get(key, ()))
            if len(key) >= 3:
                for deleted in _deletions(key):
                    out.update(neighbours.get(deleted, ()))
        return out

    def _hits(self, token: Token) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        """(how many records hold the token's keys, their indexes, the indexes of the records
        holding a key within one edit, those included); an index may repeat in either array.
        Computed once per token until the index changes."""
        found = self._hits_cache.get(token)
        if found is not None:
            return found
        if len(self._changed) > max(1000, len(self._postings) // 50):
            self._pack()
        exact_keys = [k for k in token.keys if k in self._postings]
        df = sum(len(self._postings[k]) for k in exact_keys)
        exact = self._gather(self._key_ids[k] for k in exact_keys) if exact_keys else _EMPTY
        near = _EMPTY
        # A common key's neighbours are many and a common token weighs little: they are
        # left, unless no listed name is spelt so (a typo may land on a common key).
        if df <= self.common_cap or token.forms[0] not in self._spellings:
            if not self._changed and self._packed_count == len(self._key_names):
                near = self._neighbour_postings_of(token)
            else:
                fuzzy = self._fuzzy_keys(token)
                if fuzzy:
                    near = self._gather(fuzzy)
        met = near if len(near) else exact
        short = met[self._scratch()[2][met]] if len(met) else _EMPTY  # one-token names
        if len(self._hits_cache) > 100_000:
            self._hits_cache.clear()
        found = self._hits_cache[token] = (df, exact, near, short)
        return found

    def _scratch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        size = len(self.entries)
        if len(self._acc) != size:
            self._acc = np.zeros(size, dtype=np.float32)
        if len(self._years_array) != size:
            self._years_array = np.array(self._years, dtype=np.int16)
            self._short_array = np.array(self._short, dtype=bool)
            self._short_ids = np.flatnonzero(self._short_array)
        return self._acc, self._years_array, self._short_array, self._short_ids

    def _paired_candidates(
        self,
        met_arrays: list[np.ndarray],
        forced: list[int],
        floor: float,
        total: float,
        shortlist: int,
        query: _Entry,
        acc: np.ndarray,
        years: np.ndarray,
        short_arrays: list[np.ndarray],
        threshold: float,
    ) -> list[int]:
        """_candidates when a record must meet two query tokens: such a record is in two of
        the tokens' arrays, so in one of all but the longest; only those are read back (the
        longest is often a common given name's), not the whole overlap array."""
        longest = max(range(len(met_arrays)), key=lambda n: len(met_arrays[n]))
        rest = [a for n, a in enumerate(met_arrays) if n != longest]
        pool = rest[0] if len(rest) == 1 else np.concatenate(rest)
        overlap = acc[pool]
        paired = overlap >= 2 * _MET
        pool, overlap = pool[paired], overlap[paired]
        weights = overlap - _MET * np.floor(overlap / _MET)
        # a one-token name (a kunya alias) meeting one token may still alert
        shorts = [a for a in short_arrays if len(a)]
        if shorts:
            near = shorts[0] if len(shorts) == 1 else np.concatenate(shorts)
            single = acc[near]
            one = (single >= _MET + floor) & (single < 2 * _MET)
            singles, single_values = near[one], single[one] - _MET
        else:
            singles, single_values = _EMPTY, np.zeros(0, dtype=np.float32)
        acc.fill(0.0)
        keep = weights >= floor
        if np.count_nonzero(keep) + len(singles) < shortlist:
            keep = weights >= LOW_SHARE * total
            if np.count_nonzero(keep) + len(singles) < shortlist:
                keep = np.ones(len(pool), dtype=bool)
        ranked, values = _distinct(pool[keep], weights[keep])
        if len(singles):
            singles, single_values = _distinct(singles, single_values)
        above = int(np.count_nonzero(values >= floor)) + len(singles)
        if len(singles):
            ranked = np.concatenate((ranked, singles))
            values = np.concatenate((values, single_values))
        return self._rank(ranked, values, above, shortlist, query, years, forced, floor, threshold)

    def _rank(
        self,
        ranked: np.ndarray,
        values: np.ndarray,
        above: int,
        shortlist: int,
        query: _Entry,
        years: np.ndarray,
        forced: list[int],
        floor: float,
        threshold: float,
    ) -> list[int]:
        """The candidates above the floor (at most SHORTLIST_MAX) or the best `shortlist`,
        by overlap, birth year and, among the best, the whole name's spelling. Those born in
        a year that differs from the query's by more than a typo (two years or more, and two
        digits or more) are left out first: a clearly different birth date means two people,
        and no name can lift such a pair to the threshold (a shared document number comes
        back through `forced`)."""
        if query.birth_date is not None:
            other_year, bonus = _year_tables(query.birth_date.year)
            born = years[ranked] + _YEAR_OFFSET
            if threshold > _CONFLICT_CEILING and len(ranked):
                other = other_year[born]
                if other.any():
                    plausible = ~other
                    above = max(0, above - int(np.count_nonzero(other & (values >= floor))))
                    ranked, values, born = ranked[plausible], values[plausible], born[plausible]
            values = values + bonus[born]
        keep = max(shortlist, min(above, SHORTLIST_MAX))
        if len(values) > keep:
            if len(values) > SPELLING_POOL:
                top = np.argpartition(values, len(values) - SPELLING_POOL)[-SPELLING_POOL:]
                ranked, values = ranked[top], values[top]
            # Many records tie on keys alone (short skeletons): the whole name's spelling
            # ranks the best of them, in one vectorised pass.
            spelled = operator.itemgetter(*ranked.tolist())(self._spelled)
            similarity = cdist(
                [query.spelled], spelled, scorer=Indel.normalized_similarity, dtype=np.float32
            )[0]
            values = values + SPELLING_WEIGHT * similarity
            top = np.argpartition(values, len(values) - keep)[-keep:]
            ranked, values = ranked[top], values[top]
        out = ranked[np.argsort(-values, kind="stable")].tolist()
        if forced:
            out = list(dict.fromkeys([*forced, *out]))
        return out

    def _candidates(self, query: _Entry, threshold: float = 0.0) -> list[int]:
        """Entry indexes to score, best first by rarity-weighted token overlap and birth year;
        with a threshold, those whose birth year rules them out are left out."""
        forced: list[int] = []
        for ident in query.identifiers:
            forced.extend(self._identifiers.get(ident, ()))
        log_n = math.log(len(self._by_id) + 1)
        acc, years, short, short_ids = self._scratch()
        tokens_seen = 0
        total = 0.0
        unseen = False  # a query token no listed name holds: a typo, or another spelling
        met_arrays: list[np.ndarray] = []  # per token, the records meeting it
        short_arrays: list[np.ndarray] = []  # per token, those with a one-token name
        seen: set[Token] = set()
        for name in query.names:
            for token in name:
                if token.initial or token in seen:
                    continue
                seen.add(token)
                df, exact, near, short_met = self._hits(token)
                short_arrays.append(short_met)
                weight = log_n - math.log(df + 1) + 0.1
                total += weight
                unseen = unseen or df == 0
                # A record gains the token's weight once (a repeated index adds once), and a
                # share of it for a neighbour key only.
                tokens_seen += 1
                # The count of tokens met rides in the same array, in units of _MET.
                if len(near):
                    acc[near] += _MET + FUZZY_WEIGHT * weight
                    met_arrays.append(near)
                    if len(exact):
                        acc[exact] += (1.0 - FUZZY_WEIGHT) * weight
                elif len(exact):
                    acc[exact] += _MET + weight
                    met_arrays.append(exact)
        if not met_arrays:
            return forced
        floor = FLOOR * total
        # The weight of an unseen token rests on its neighbours alone, which may miss: the
        # other tokens' holders, ranked by birth year, are then looked at more deeply.
        shortlist = self.shortlist * (UNSEEN_DEPTH if unseen else 1)
        # Every record whose overlap reaches the floor, and the best `shortlist` by overlap
        # and birth year (the year separates the many holders of a common name).
        # A record must meet two query tokens (or have a one-token name): one shared token
        # is capped under any threshold (SINGLE_TOKEN_CAP). An unseen token may have missed
        # its record's key, so then the shortlist does not ask for it.
        two = tokens_seen > 1
        if two and not unseen and len(met_arrays) > 1:
            return self._paired_candidates(
                met_arrays,
                forced,
                floor,
                total,
                shortlist,
                query,
                acc,
                years,
                short_arrays,
                threshold,
            )
        low = _EMPTY
        if two and not unseen:
            # Records meeting two tokens, and those with a one-token name (few) meeting one.
            bar = 2 * _MET + LOW_SHARE * total
            low = np.flatnonzero(acc >= bar)
            single = acc[short_ids]
            singles = short_ids[(single >= _MET + floor) & (single < bar)]
            if len(singles):
                low = np.concatenate((low, singles))
        if len(low) < shortlist:
            low = np.flatnonzero(acc >= _MET + LOW_SHARE * total)
            if len(low) < shortlist:
                low = np.flatnonzero(acc)
        acc_low = acc[low]
        acc.fill(0.0)
        met, weights = np.divmod(acc_low, _MET)
        paired = (met >= 2) | short[low] if two else np.ones(len(low), dtype=bool)
        keep = paired & (weights >= floor)
        above = int(np.count_nonzero(keep))
        if above >= shortlist:
            ranked, values = low[keep], weights[keep]
        elif two and not unseen:
            ranked, values = low[paired], weights[paired]
        else:
            ranked, values = low, weights
        return self._rank(ranked, values, above, shortlist, query, years, forced, floor, threshold)

    def candidates(self, query: Mapping[str, Any]) -> list[Any]:
        """Record ids that would be scored for this query (to measure blocking recall)."""
        with self._lock:
            found = self._candidates(_Entry(query), DEFAULT_THRESHOLD)
            return [self.entries[i].id for i in found]  # type: ignore[union-attr]

    def _row(self, token: Token) -> dict[int, tuple[float, str, int, int]]:
        row = self._sim_rows.get(token)
        if row is None:
            if len(self._sim_rows) > 20_000:
                self._sim_rows.clear()
            row = self._sim_rows[token] = {}
        return row

    def _prefill(
        self, q: _Entry, candidates: list[int]
    ) -> list[list[frozenset[int] | None]] | None:
        """Per query token, the candidates' tokens it may match (None: any), found in one
        vectorised pass: a pair whose spellings and keys are all too far apart cannot reach
        TOKEN_MATCH_MIN (a looser bar across scripts, where spoken forms are compared too).
        Most pairs are such, and are then never compared one by one."""
        if not candidates:
            return None
        entries = self.entries
        tids = list(set(itertools.chain.from_iterable(entries[i].flat for i in candidates)))  # type: ignore[union-attr]
        if len(tids) < 2:
            return None
        distinct = list(dict.fromkeys(t for name in q.names for t in name if not t.initial))
        if not distinct:
            return None
        flags_latin, flags_initial, flags_width = self._flags()
        where = np.array(tids, dtype=np.int64)
        latin, initial = flags_latin[where], flags_initial[where]
        q_forms = [f for t in distinct for f in t.forms]
        q_keys = [k for t in distinct for k in t.keys]
        widths = flags_width[where]
        wide = widths > PREFILTER_FORMS  # more forms than compared here: left to the scorer
        width = min(PREFILTER_FORMS, int(widths.max()))
        pick = operator.itemgetter(*tids)
        form_sim = key_sim = None
        for k in range(width):
            forms, keys = pick(self._form_columns[k]), pick(self._key_columns[k])
            fs = cdist(q_forms, forms, scorer=Indel.normalized_similarity, dtype=np.float32)
            ks = cdist(q_keys, keys, scorer=Indel.normalized_similarity, dtype=np.float32)
            form_sim = fs if form_sim is None else np.maximum(form_sim, fs)
            key_sim = ks if key_sim is None else np.maximum(key_sim, ks)
        assert form_sim is not None and key_sim is not None
        if len(q_forms) > len(distinct):  # a query token of several forms: its best one
            bounds = np.cumsum([0] + [len(t.forms) for t in distinct])[:-1]
            form_sim = np.maximum.reduceat(form_sim, bounds, axis=0)
            key_sim = np.maximum.reduceat(key_sim, bounds, axis=0)
        # Same script: spelling or 0.92 x key similarity must reach TOKEN_MATCH_MIN, or keys
        # be equal; across scripts a looser bar for both (spoken forms are not compared here).
        q_latin = np.array([t.script == "latin" for t in distinct], dtype=bool)
        cross = q_latin[:, None] != latin[None, :]
        form_bar = np.where(cross, CROSS_SCRIPT_BAR, TOKEN_MATCH_MIN)
        key_bar = np.where(cross, CROSS_SCRIPT_BAR, TOKEN_MATCH_MIN / 0.92)
        near = (form_sim >= form_bar) | (key_sim >= key_bar) | (initial | wide)[None, :]
        by_token = {
            token: frozenset(itertools.compress(tids, row))
            for token, row in zip(distinct, near.tolist(), strict=True)
        }
        return [[None if t.initial else by_token[t] for t in name] for name in q.names]

    def _score_entry(
        self,
        q: _Entry,
        rows: list[list[dict]],
        r: _Entry,
        threshold: float,
        possible: list[list[frozenset[int] | None]] | None = None,
    ) -> tuple[float, tuple[float, int, int, list]] | None:
        tokens = self._tokens
        best: tuple[float, int, int, list] = (-1.0, 0, 0, [])
        for a, qn in enumerate(q.names):
            qrows = rows[a]
            allowed = possible[a] if possible is not None else [None] * len(qn)
            for b, rn in enumerate(r.tids):
                sims = []
                for qt, row, able in zip(qn, qrows, allowed, strict=True):
                    line = []
                    for tid in rn:
                        hit = row.get(tid)
                        if hit is None:
                            if able is not None and tid not in able:
                                hit = _NO_MATCH
                            else:
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
        with self._lock, _no_collection():
            return self._match(queries, threshold, limit)

    def _match(
        self, queries: Iterable[Mapping[str, Any]], threshold: float, limit: int
    ) -> list[list[Candidate]]:
        results = []
        entries = self.entries
        for query in queries:
            entry = _Entry(query)
            rows = [[self._row(t) for t in name] for name in entry.names]
            candidates = self._candidates(entry, threshold)
            possible = self._prefill(entry, candidates)
            filtering = possible is not None and _best_possible(SINGLE_TOKEN_CAP) < threshold
            scored = []
            for index in candidates:
                record = entries[index]
                assert record is not None
                if filtering and not _may_reach(entry, record, possible, threshold):
                    continue
                hit = self._score_entry(entry, rows, record, threshold, possible)
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
