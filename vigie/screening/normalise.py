"""Names to comparable tokens: script, case, diacritics, particles, compounds, phonetic keys.

`normalise_name("EZZAYANI, Youssef")` gives the tokens `youssef` and `ezzayani` (the latter
with the alternative form `zayani`, its Arabic article removed). Every token carries one or more
Latin *forms* (spellings that are the same name token) and, for each form, a *key*: a
consonant skeleton in which the usual spelling variants of transliterated names fold together
(vowels, y/w, ou/u, q/k, c/k, ph/f, v/f, p/b, kh/h, gh/g/j/dj, dh/d, th/t, sh/ch/sch/tch,
ts/tz/z, doubled letters, a final h after a vowel) and a leading vowel is kept as "a". See
docs/adr/0002-screening-engine.md.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from anyascii import anyascii

from vigie.screening.translit import script_of, transliterate_word

MAX_NAME_CHARS = 500
MAX_TOKENS = 12
MAX_TOKEN_CHARS = 40

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/.,;:()\[\]{}\"«»<>|+*&#=~`!?@%^]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Cc but tab, LF, CR
_ELISION = re.compile(r"(?i)\b([dl])['’](?=\w)")
_APOSTROPHE = re.compile(r"['’ʼʻ`´]")
_VOWELS = frozenset("aeiouyw")

# Arabic article and its assimilated forms before a "sun letter" (al-Zayani -> az-Zayani,
# Ezzayani); a standalone article is dropped, an assimilated one only before its own letter.
ARTICLES = frozenset({"al", "el", "ul", "il", "ol"})
SUN = ("t", "th", "d", "dh", "r", "z", "s", "sh", "n", "l", "ch", "j")
ASSIMILATED = {v + c: c for v in ("a", "e", "u", "o", "i") for c in SUN}
_JOINED_SUN = re.compile(r"^[aeiou](th|dh|sh|ch|[tdrzsnl])\1(.{3,})$")
_JOINED_ARTICLE = re.compile(r"^[ae]l(.{4,})$")
_ABD = re.compile(r"^abd(?:[aeiou]{0,2}l|[aeiou]{1,2})?(.{3,})$")
_ABU = re.compile(r"^ab(?:ou|u|o)(.{3,})$")
_DIN = re.compile(r"^(.{3,}?)[aeiou]?d?d(?:i|ee|ie)ne?$")
_DUTCH = re.compile(r"^(?:vande[rn]|vander|vanden|van|von|ver)(.{4,})$")
PATRONYMIC = {"ben": "ben", "bin": "ben", "ibn": "ben", "ibnu": "ben", "bent": "bent",
              "bint": "bent", "ould": "ould", "ait": "ait", "oglu": "oglu"}  # fmt: skip
KUNYA_NOTE = "kunya abu+"
KUNYA = frozenset({"abu", "abou", "abo", "abi", "umm", "oum", "um"})
ABD = frozenset({"abd", "abdel", "abdul", "abdal", "abdoul", "abdu", "abdi", "abdol", "abdil"})
DIN = frozenset({"din", "dine", "deen", "eddine", "eddin", "uddin", "addin", "ud", "ed", "ad"})
ALLAH = frozenset({"allah", "ullah", "illah", "ollah", "alla", "ulla"})
EUROPEAN = frozenset(
    {"van", "von", "der", "den", "de", "du", "da", "di", "del", "della", "dos", "das", "ter",
     "ten", "te", "le", "la", "mac", "mc", "st", "saint", "sainte", "vanden", "vander", "d", "l"}
)  # fmt: skip

# Ordered spelling-variant rules of the phonetic key (applied to a lowercase ASCII form).
KEY_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "s"), ("tsch", "s"), ("chr", "kr"), ("sch", "s"), ("tch", "s"), ("sh", "s"),
    ("ch", "s"),
    ("dzh", "j"), ("dj", "j"), ("dz", "j"), ("zh", "j"), ("gh", "j"), ("g", "j"),
    ("kh", "h"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("q", "k"),
    ("c", "k"), ("x", "ks"), ("ts", "z"), ("tz", "z"), ("v", "f"), ("p", "b"),
)  # fmt: skip
_FINAL_W = re.compile(r"(?<=[aeiou])w$")
_FINAL_H = re.compile(r"(?<=[aeiouy])h$")
# A leading w, or ou before a vowel (French spelling of the same sound), is the consonant that
# Russian writes в and Arabic و: Walid, Oualid, Валид, وليد meet; so do Wouters and ووترس.
_LEADING_W = re.compile(r"^(?:w|ou(?=[aeiy]))")
_SOFT_C = re.compile(r"c(?=[eiy])")  # Yacine ~ Yassine, Marcel ~ Марсель


class Token(NamedTuple):
    """One name token: its spellings (`forms`, first is shown) and their phonetic keys."""

    forms: tuple[str, ...]
    keys: tuple[str, ...]
    initial: bool = False
    script: str = "latin"
    note: str = ""  # how particles or compounds were folded into it, for explanations

    @property
    def text(self) -> str:
        return self.forms[0]


@functools.lru_cache(maxsize=200_000)
def token_key(form: str) -> str:
    """Phonetic skeleton of one lowercase ASCII form ("youssef" and "yusf" -> "sf")."""
    if not form:
        return ""
    word = _FINAL_H.sub("", _FINAL_W.sub("v", _LEADING_W.sub("v", form)))
    word = _SOFT_C.sub("s", word)
    for old, new in KEY_RULES:
        if old in word:
            word = word.replace(old, new)
    # z and s fold (Arabic writes a Western final s as ز; Zaid ~ Saeed is left to the
    # spelling comparison).
    word = word.replace("z", "s")
    out = ["a"] if word[0] in "aeiou" else []
    previous = out[0] if out else ""
    for char in word:
        if char in _VOWELS:
            previous = ""
            continue
        if char != previous:
            out.append(char)
        previous = char
    return "".join(out) or form[:3]


def _check(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected text, got {type(value).__name__}")
    if len(value) > MAX_NAME_CHARS:
        raise ValueError(f"{field}: longer than {MAX_NAME_CHARS} characters ({len(value)})")
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"{field}: control character U+{ord(found.group()):04X}")
    return value


@functools.lru_cache(maxsize=100_000)
def _romanise(word: str) -> tuple[tuple[str, str], ...]:
    """One raw word -> (latin word, script) pairs, lowercase ASCII letters and digits only."""
    out = []
    for piece in transliterate_word(word):
        script = "latin" if piece.isascii() else "other"
        text = unicodedata.normalize("NFKD", piece.replace("ç", "s").replace("Ç", "s"))
        text = "".join(c for c in text if not unicodedata.combining(c))
        if not text.isascii():
            text = anyascii(text)
        text = _NON_ALNUM.sub("", text.casefold())[:MAX_TOKEN_CHARS]
        if text:
            out.append((text, script))
    return tuple(out)


def _words(text: str) -> list[tuple[str, str]]:
    text = unicodedata.normalize("NFC", text)
    if "," in text:
        surname, _, given = text.partition(",")
        if surname.strip() and given.strip():
            text = f"{given} {surname}"  # "SURNAME, Given" -> "Given SURNAME"
    # d'Artagnan, l'Hermite: an elided particle is a word of its own; other apostrophes vanish.
    if not text.isascii() or "'" in text or "`" in text:
        text = _APOSTROPHE.sub("", _ELISION.sub(r"\1 ", text))
    words: list[tuple[str, str]] = []
    for raw in _SEPARATORS.split(text):
        if raw:
            script = script_of(raw)
            for latin, _kind in _romanise(raw):
                words.append((latin, script))
    return words


def _make(forms: list[str], script: str, note: str = "", initial: bool = False) -> Token:
    unique = tuple(dict.fromkeys(f[:MAX_TOKEN_CHARS] for f in forms if f))
    return _token(unique, script, note, initial)


@functools.lru_cache(maxsize=300_000)
def _token(forms: tuple[str, ...], script: str, note: str, initial: bool) -> Token:
    return Token(forms, tuple(token_key(f) for f in forms), initial, script, note)


def _fold(word: str) -> tuple[list[str], str]:
    """Alternative forms of a joined word (Ezzayani -> zayani, Abdelkader -> abdkader)."""
    if match := _ABD.match(word):
        return ["abd" + match.group(1), word], "compound abd+"
    if match := _ABU.match(word):
        return ["abu" + match.group(1), word], KUNYA_NOTE
    if match := _JOINED_SUN.match(word):
        return [match.group(1) + match.group(2), word], "article"
    if word not in ABD and (match := _DIN.match(word)) and len(word) >= 7:
        joined = match.group(1) + "din"
        while (
            len(joined) >= 7 and (again := _DIN.match(joined)) and again.group(1) + "din" != joined
        ):
            joined = again.group(1) + "din"  # to a fixed point: normalising is idempotent
        return [joined, word], "compound +din"
    if match := _JOINED_ARTICLE.match(word):
        return [word, match.group(1)], "article"
    if match := _DUTCH.match(word):
        return [word, match.group(1)], "particle"
    return [word], ""


_NAME_CACHE: dict[str, tuple[Token, ...]] = {}


def clear_name_caches() -> None:
    """Forget the memoised names, words and keys (a cold pass in benchmarks)."""
    _NAME_CACHE.clear()
    _romanise.cache_clear()
    token_key.cache_clear()


def normalise_name(value: object, *, field: str = "name") -> tuple[Token, ...]:
    """Tokens of one name; raises ValueError naming `field` when nothing usable remains.

    Names repeat a lot (given names, aliases): results are cached per distinct text, and the
    tokens are shared between the names that contain them."""
    if isinstance(value, str):
        hit = _NAME_CACHE.get(value)
        if hit is not None:
            return hit
    tokens = _normalise_name(value, field)
    if len(_NAME_CACHE) > 300_000:
        _NAME_CACHE.clear()
    _NAME_CACHE[value] = tokens  # type: ignore[index]
    return tokens


def _normalise_name(value: object, field: str) -> tuple[Token, ...]:
    text = _check(value, field)
    words = _words(text)
    tokens: list[Token] = []
    i = 0
    n = len(words)
    while i < n and len(tokens) < MAX_TOKENS:
        word, script = words[i]
        following = words[i + 1][0] if i + 1 < n else ""
        if word in ARTICLES and following:
            i += 1
            continue
        if word in ASSIMILATED and following.startswith(ASSIMILATED[word]) and len(following) > 2:
            i += 1
            continue
        if word in ABD and following:
            j = i + 1
            if (words[j][0] in ARTICLES or words[j][0] in ASSIMILATED) and j + 1 < n:
                j += 1
            forms, _ = _fold("abd" + words[j][0])
            tokens.append(_make(forms, script, "compound abd+"))
            i = j + 1
            continue
        if word in KUNYA and following:
            j = i + 1
            if words[j][0] in ARTICLES and j + 1 < n:
                j += 1
            tokens.append(_make(["abu" + words[j][0]], script, KUNYA_NOTE))
            i = j + 1
            continue
        if word in PATRONYMIC and following:
            j = i + 1
            if words[j][0] in ARTICLES and j + 1 < n:
                j += 1
            nxt = _fold(words[j][0])[0]
            tokens.append(_make([PATRONYMIC[word] + words[j][0], *nxt], script, "particle ben+"))
            i = j + 1
            continue
        if (word in DIN or word in ALLAH) and tokens and not tokens[-1].initial:
            previous = tokens.pop()
            suffix = "din" if word in DIN else "lah"
            forms = [previous.forms[0] + suffix, previous.forms[0] + word]
            forms.insert(0, _fold(forms[0])[0][0])  # as the joined spelling would normalise
            tokens.append(_make(forms, previous.script, f"compound +{suffix}"))
            i += 1
            continue
        if word in EUROPEAN and following and len(following) > 1:
            particles = [word]
            j = i + 1
            while j + 1 < n and words[j][0] in EUROPEAN:
                particles.append(words[j][0])
                j += 1
            last = words[j][0]
            tokens.append(_make(["".join(particles) + last, last], script, "particle"))
            i = j + 1
            continue
        if len(word) == 1 and word.isalpha():
            tokens.append(_make([word], script, "initial", initial=True))
            i += 1
            continue
        forms, note = _fold(word)
        tokens.append(_make(forms, script, note))
        i += 1
    if not any(not t.initial and len(t.text) >= 2 for t in tokens):
        raise ValueError(f"{field}: no name token of two letters or more")
    return tuple(tokens)


def display(tokens: tuple[Token, ...]) -> str:
    return " ".join(t.text for t in tokens)
