"""Arabic and Cyrillic script to Latin, letter by letter, from the derived tables in data/.

The tables are produced by `scripts/derive_translit_tables.py` from real name-token
transliterations (see data/README.md); this module never reads anything outside the package.
A table row is `letter<TAB>latin<TAB>latin-at-word-start` (the third column may repeat the
second). Short Arabic vowels are not written, so the Latin produced here is a skeleton that the
phonetic key (normalise.token_key) compares with the full Latin spellings.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

ARABIC_MARKS = frozenset(chr(c) for c in range(0x064B, 0x0660)) | {"\u0670", "\u0640"}
ARTICLE = "\u0627\u0644"  # ال


@functools.cache
def load_table(name: str) -> dict[str, tuple[str, str]]:
    """Letter -> (Latin inside a word, Latin at the start of a word)."""
    text = (
        resources.files("vigie.screening")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        letter, inner, initial = (line.split("\t") + ["", ""])[:3]
        table[letter] = (inner, initial or inner)
    return table


def is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u052f"


_ARABIC_OR_CYRILLIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u0400-\u052f]")


def script_of(word: str) -> str:
    """'arabic', 'cyrillic' or 'latin' (anything else is romanised later by anyascii)."""
    if word.isascii():
        return "latin"
    found = _ARABIC_OR_CYRILLIC.search(word)
    if found is None:
        return "latin"
    return "cyrillic" if is_cyrillic(found.group()) else "arabic"


def transliterate_word(
    word: str,
    arabic: dict[str, tuple[str, str]] | None = None,
    cyrillic: dict[str, tuple[str, str]] | None = None,
) -> tuple[str, ...]:
    """One word in any script -> one or more Latin words (an Arabic article becomes 'al').

    Characters of other scripts pass through unchanged; tables may be given (the derivation
    script tries candidate tables), otherwise the shipped ones are used.
    """
    script = script_of(word)
    if script == "latin":
        return (word,)
    if script == "arabic":
        table = arabic if arabic is not None else load_table("arabic.tsv")
        word = "".join(c for c in word if c not in ARABIC_MARKS)
        prefix: tuple[str, ...] = ()
        if word.startswith(ARTICLE) and len(word) > 3:
            prefix, word = ("al",), word[2:]
        elif word.startswith("\u0648\u0627\u0644") and len(word) > 4:  # وال: "and the"
            prefix, word = ("al",), word[3:]
        return (*prefix, _map(word, table))
    table = cyrillic if cyrillic is not None else load_table("cyrillic.tsv")
    return (_map(word.lower(), table),)


def _map(word: str, table: dict[str, tuple[str, str]]) -> str:
    out = []
    for position, char in enumerate(word):
        row = table.get(char)
        if row is None:
            out.append(char)
        else:
            out.append(row[1] if position == 0 else row[0])
    return "".join(out)
