"""Derive the screening engine's compact transliteration tables from ../shared, once.

Reads the real name-token transliterations in ../shared/data/translit (google-ar2en,
Wikidata en-ru and en-ar), chooses for each Arabic and Cyrillic letter the Latin rendering,
among a few plausible candidates, that makes the most transliterated tokens meet the phonetic
key of their real Latin spelling (coordinate ascent, two passes), writes
vigie/screening/data/{arabic,cyrillic}.tsv, the generator's token pools, copies the licences
and records the measured agreement in vigie/screening/data/README.md.

    .venv/bin/python scripts/derive_translit_tables.py [--shared ../shared]

Neither the product nor the tests read ../shared: they read only what this script wrote.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Indel  # noqa: E402

from vigie.screening.normalise import token_key  # noqa: E402
from vigie.screening.translit import transliterate_word  # noqa: E402

DATA = ROOT / "vigie" / "screening" / "data"

# Candidate renderings: (inside a word, at the start of a word). The first is the default.
ARABIC: dict[str, list[tuple[str, str]]] = {
    "ا": [("a", "a"), ("", "a")], "أ": [("a", "a"), ("", "a")], "إ": [("i", "i"), ("i", "e")],
    "آ": [("a", "a")], "ء": [("", ""), ("a", "a")], "ؤ": [("u", "u"), ("", "")],
    "ئ": [("i", "i"), ("", "")], "ب": [("b", "b")], "ت": [("t", "t")],
    "ث": [("th", "th"), ("s", "s"), ("t", "t")], "ج": [("j", "j"), ("g", "g")],
    "ح": [("h", "h"), ("", "")], "خ": [("kh", "kh"), ("h", "h")], "د": [("d", "d")],
    "ذ": [("dh", "dh"), ("z", "z"), ("d", "d")], "ر": [("r", "r")], "ز": [("z", "z")],
    "س": [("s", "s")], "ش": [("sh", "sh")], "ص": [("s", "s")],
    "ض": [("d", "d"), ("dh", "dh")], "ط": [("t", "t")], "ظ": [("z", "z"), ("dh", "dh")],
    "ع": [("a", "a"), ("", ""), ("", "a")], "غ": [("gh", "gh"), ("g", "g")],
    "ف": [("f", "f")], "ق": [("q", "q"), ("k", "k"), ("g", "g")], "ك": [("k", "k")],
    "ل": [("l", "l")], "م": [("m", "m")], "ن": [("n", "n")],
    "ه": [("h", "h"), ("", "h"), ("a", "h")], "و": [("u", "w"), ("w", "w"), ("o", "o")],
    "ي": [("i", "y")], "ى": [("a", "a"), ("i", "i")],
    "ة": [("a", "a"), ("ah", "ah")], "پ": [("p", "p")], "چ": [("ch", "ch")],
    "ژ": [("zh", "zh")], "گ": [("g", "g")], "ک": [("k", "k")], "ی": [("i", "y")],
    "ڤ": [("v", "v")], "ۀ": [("h", "h")], "ہ": [("h", "h")], "ے": [("e", "e")],
    "ٹ": [("t", "t")], "ڈ": [("d", "d")], "ڑ": [("r", "r")], "ں": [("n", "n")],
}  # fmt: skip
CYRILLIC: dict[str, list[tuple[str, str]]] = {
    "а": [("a", "a")], "б": [("b", "b")], "в": [("v", "v")], "г": [("g", "g"), ("h", "h")],
    "д": [("d", "d")], "е": [("e", "e"), ("e", "ye")], "ё": [("e", "e"), ("yo", "yo")],
    "ж": [("zh", "zh"), ("j", "j")], "з": [("z", "z"), ("s", "s")], "и": [("i", "i")],
    "й": [("y", "y"), ("i", "i"), ("", "")], "к": [("k", "k")], "л": [("l", "l")],
    "м": [("m", "m")], "н": [("n", "n")], "о": [("o", "o")], "п": [("p", "p")],
    "р": [("r", "r")], "с": [("s", "s")], "т": [("t", "t")], "у": [("u", "u")],
    "ф": [("f", "f")], "х": [("kh", "kh"), ("h", "h")], "ц": [("ts", "ts"), ("c", "c")],
    "ч": [("ch", "ch")], "ш": [("sh", "sh")], "щ": [("shch", "shch")], "ъ": [("", "")],
    "ы": [("y", "y")], "ь": [("", "")], "э": [("e", "e")], "ю": [("yu", "yu"), ("u", "u")],
    "я": [("ya", "ya"), ("a", "a")], "і": [("i", "i")], "ї": [("yi", "yi")],
    "є": [("ye", "ye")], "ґ": [("g", "g")], "ў": [("w", "w"), ("u", "u")],
    "ђ": [("dj", "dj")], "ј": [("j", "j"), ("y", "y")], "љ": [("lj", "lj")],
    "њ": [("nj", "nj")], "ћ": [("c", "c"), ("ch", "ch")], "џ": [("dz", "dz"), ("dj", "dj")],
    "ә": [("a", "a")], "ғ": [("g", "g")], "қ": [("q", "q"), ("k", "k")], "ң": [("n", "n")],
    "ө": [("o", "o")], "ұ": [("u", "u")], "ү": [("u", "u")], "һ": [("h", "h")],
    "ӏ": [("", "")],
}  # fmt: skip

# Generator pools: name tokens in their common Latin spellings (first = canonical); the
# Arabic and Cyrillic forms are looked up in the data. Tokens only, no full names.
POOL_TOKENS = [
    ("given", "youssef yusuf youssouf yousef josef"),
    ("given", "mohamed mohammed muhammad mohamad"),
    ("given", "ahmed ahmad"), ("given", "omar umar"), ("given", "ali aly"),
    ("given", "hassan hasan"), ("given", "hussein hussain houssein"), ("given", "karim kareem"),
    ("given", "khaled khalid"), ("given", "said saeed saaid"),
    ("given", "mustafa moustafa mostafa"),
    ("given", "ibrahim brahim ebrahim"), ("given", "ismail ismael smail"),
    ("given", "hamza hamzah"), ("given", "bilal belal"), ("given", "tarek tariq tarik"),
    ("given", "walid waleed oualid"), ("given", "rachid rashid rasheed"),
    ("given", "jamal djamel gamal"), ("given", "nabil nabeel"), ("given", "samir sameer"),
    ("given", "mounir munir"), ("given", "yassine yasin yacine"), ("given", "anas anes"),
    ("given", "amine amin"), ("given", "mehdi mahdi"), ("given", "adel adil"),
    ("given", "hicham hisham"), ("given", "faycal faisal faysal"), ("given", "zakaria zakariya"),
    ("given", "soufiane sufyan sofiane"), ("given", "redouane ridwan radwan"),
    ("given", "fatima fatma fatimah"), ("given", "khadija khadidja"), ("given", "aicha aisha"),
    ("given", "meryem maryam mariam"), ("given", "nadia nadiya"), ("given", "salma selma"),
    ("given", "zaur"), ("given", "ruslan"), ("given", "magomed magamed"), ("given", "aslan"),
    ("given", "islam"), ("given", "timur temur"), ("given", "rustam rustem"),
    ("given", "ilyas iliyas elias"), ("given", "dmitri dmitry dmitriy"), ("given", "sergei sergey"),
    ("given", "alexei aleksei alexey"), ("given", "yevgeny evgeny evgeni"), ("given", "anzor"),
    ("given", "movsar"), ("given", "shamil chamil"), ("given", "murad murat"),
    ("given", "pieter peter"), ("given", "jan"), ("given", "koen"), ("given", "lucas lukas"),
    ("given", "thomas tomas"), ("given", "nicolas nikolas"), ("given", "julien"),
    ("given", "marc mark"),
    ("surname", "zayani"), ("surname", "bekmurzaev"), ("surname", "benali"), ("surname", "haddad"),
    ("surname", "mansouri mansuri"), ("surname", "idrissi idrisi"), ("surname", "tahiri"),
    ("surname", "bouzid"), ("surname", "cherkaoui"), ("surname", "amrani"), ("surname", "alaoui"),
    ("surname", "hamdi"), ("surname", "saidi"), ("surname", "khalil"), ("surname", "nasser nasir"),
    ("surname", "qureshi kureishi"), ("surname", "sharif cherif"), ("surname", "masri"),
    ("surname", "hakimi"), ("surname", "ouali wali"), ("surname", "rahmani"), ("surname", "jaziri"),
    ("surname", "najjar"), ("surname", "salah"), ("surname", "karimi"), ("surname", "azizi"),
    ("surname", "dadaev"), ("surname", "umarov"), ("surname", "tsakayev"), ("surname", "basayev"),
    ("surname", "zakayev"), ("surname", "magomedov"), ("surname", "aliyev aliev"),
    ("surname", "ivanov"), ("surname", "petrov"), ("surname", "smirnov"), ("surname", "kuznetsov"),
    ("surname", "volkov"), ("surname", "sokolov"), ("surname", "morozov"), ("surname", "novikov"),
    ("surname", "peeters"), ("surname", "janssens"), ("surname", "maes"), ("surname", "jacobs"),
    ("surname", "mertens"), ("surname", "willems"), ("surname", "claes"), ("surname", "goossens"),
    ("surname", "wouters"), ("surname", "dubois"), ("surname", "lambert"), ("surname", "dupont"),
]  # fmt: skip


def read_pairs(path: Path, columns: int) -> list[tuple[str, str, int]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        native = parts[1].replace(" ", "") if columns == 3 else parts[0]
        latin = parts[0] if columns == 3 else parts[1]
        count = int(parts[2]) if columns == 3 and len(parts) > 2 else 1
        latin = "".join(c for c in latin.lower() if c.isalpha() and c.isascii())
        if latin and native:
            rows.append((latin, native, count))
    return rows


def agreement(rows, table, kind: str) -> float:
    hits = total = 0
    for latin, native, count in rows:
        pieces = transliterate_word(native, **{kind: table})
        got = token_key(pieces[-1])
        want = token_key(
            latin[2:] if pieces[0] == "al" and latin.startswith(("al", "el")) else latin
        )
        total += count
        hits += count * (got == want or token_key(latin) == got)
    return hits / max(total, 1)


def choose(candidates, rows, kind: str) -> tuple[dict[str, tuple[str, str]], float]:
    table = {letter: options[0] for letter, options in candidates.items()}
    best = agreement(rows, table, kind)
    for _ in range(2):
        for letter, options in candidates.items():
            for option in options[1:] + options[:1]:
                trial = {**table, letter: option}
                rate = agreement(rows, trial, kind)
                if rate > best + 1e-9:
                    table, best = trial, rate
    return table, best


def write_table(path: Path, table, source: str) -> None:
    lines = [f"# letter\tinside a word\tat the start of a word — derived from {source}"]
    lines += [f"{letter}\t{inner}\t{initial}" for letter, (inner, initial) in table.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _plausible(words: list[str], counts: collections.Counter) -> str:
    """The most frequent native form that reads as one of the Latin spellings: label pairs
    hold some mistakes (a Wikidata label for "zakaria" in Cyrillic read "мухаммад")."""
    for native, _count in counts.most_common(10):
        got = token_key(transliterate_word(native)[-1])
        if max(Indel.normalized_similarity(got, token_key(w)) for w in words) >= 0.5:
            return native
    return ""


def pools(ar2en, en_ar, en_ru) -> list[str]:
    arabic_of: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for latin, native, count in ar2en:
        arabic_of[latin][native] += count * 5  # an Arabic-name source: preferred
    for latin, native, count in en_ar:
        arabic_of[latin][native] += count
    cyrillic_of: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for latin, native, count in en_ru:
        cyrillic_of[latin][native] += count
    lines = ["# kind\tlatin spellings (first is canonical)\tarabic\tcyrillic"]
    for kind, spellings in POOL_TOKENS:
        words = spellings.split()
        a = _plausible(words, sum((arabic_of[w] for w in words), collections.Counter()))
        c = _plausible(words, sum((cyrillic_of[w] for w in words), collections.Counter()))
        lines.append(f"{kind}\t{' '.join(words)}\t{a}\t{c}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    src = args.shared / "data" / "translit"
    ar2en = read_pairs(src / "google-ar2en.tsv", 2)
    en_ar = read_pairs(src / "wikidata-en-ar.tsv", 3)
    en_ru = read_pairs(src / "wikidata-en-ru.tsv", 3)

    ar_table, ar_rate = choose(ARABIC, ar2en, "arabic")
    write_table(DATA / "arabic.tsv", ar_table, "google-ar2en (Apache-2.0)")
    ru_table, ru_rate = choose(CYRILLIC, en_ru, "cyrillic")
    write_table(DATA / "cyrillic.tsv", ru_table, "Wikidata en-ru labels (CC0)")
    (DATA / "pools.tsv").write_text("\n".join(pools(ar2en, en_ar, en_ru)) + "\n", "utf-8")
    shutil.copy(src / "LICENSE-google-ar2en.txt", DATA / "LICENSE-google-ar2en.txt")
    shutil.copy(src / "LICENSE-wikidata-CC0.txt", DATA / "LICENSE-wikidata-CC0.txt")
    wd_ar = agreement(en_ar, ar_table, "arabic")
    print(f"arabic  google-ar2en exact key agreement: {ar_rate:.3f} ({len(ar2en)} pairs)")
    print(f"arabic  wikidata-en-ar (count-weighted):  {wd_ar:.3f} ({len(en_ar)} pairs)")
    print(f"cyrillic wikidata-en-ru (count-weighted): {ru_rate:.3f} ({len(en_ru)} pairs)")


if __name__ == "__main__":
    main()
