"""Why a candidate matched: which name met which, token by token, and the other evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

# How two tokens met.
EXACT = "exact"
TRANSLITERATION = "transliteration"  # same phonetic key: spelling variant or other script
TYPO = "typo"
INITIAL = "initial"
FOLDED = "particle/compound"  # met through a folded form (al-, abd-al-, ben, van der, ...)


@dataclass(frozen=True)
class TokenMatch:
    query: str
    record: str
    how: str
    similarity: float


@dataclass(frozen=True)
class Explanation:
    query_name: str  # the query's name or alias that matched, as given
    record_name: str  # the record's name or alias that matched, as given
    name_score: float
    tokens: tuple[TokenMatch, ...]
    missing_in_record: tuple[str, ...] = ()  # query tokens without a partner
    missing_in_query: tuple[str, ...] = ()  # record tokens without a partner (middle names...)
    reordered: bool = False
    birth_date: str = "missing"  # dates.EXACT, PARTIAL, TYPO, SWAPPED, MISSING, CONFLICT
    nationality: str = "missing"  # "agree", "differ", "missing"
    gender: str = "missing"
    identifier: str | None = None  # the shared document number, decisive
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line for a reviewer, e.g. for the UI or the API."""
        if self.identifier:
            return f"identity document {self.identifier} matches"
        parts = [f"{t.query}~{t.record} ({t.how})" for t in self.tokens]
        if self.missing_in_record:
            parts.append("not in record: " + " ".join(self.missing_in_record))
        if self.missing_in_query:
            parts.append("not in query: " + " ".join(self.missing_in_query))
        if self.reordered:
            parts.append("token order differs")
        parts.append(f"birth date: {self.birth_date}")
        parts.append(f"nationality: {self.nationality}")
        return "; ".join(parts)
