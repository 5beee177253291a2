"""Fictitious persons and groups for the demo and the benchmark, deterministic per seed.

Every name is made here: given names are common ones, surnames and group names are built
from syllables invented for this file, so that no generated record is a real person (and
no combination is a known one). Proportions follow the published figures (DOMAIN.md §1):
end 2023 FTF 426, HTF 40, PH 90, EPV 110, PCT 23; end 2022 mostly jihadist, then far-right,
then far-left.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from vigie.core.choices import Category
from vigie.registry.bulk_services import GeneratedContribution, GeneratedEntity, GeneratedName
from vigie.registry.choices import DocumentType, EntryStatus, NameType, RelationKind, SubStatus

Weighted = Sequence[tuple[object, float]]

# Published counts at end 2023; a person's first category is drawn with these weights.
CATEGORY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Category.FTF, 426),
    (Category.HTF, 40),
    (Category.PH, 90),
    (Category.EPV, 110),
    (Category.PCT, 23),
)
SUB_STATUS_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    Category.FTF: (
        (SubStatus.FTF_RETURNED, 30),
        (SubStatus.FTF_DEPARTED, 25),
        (SubStatus.FTF_PRESUMED_DEAD, 25),
        (SubStatus.FTF_INTENDING, 10),
        (SubStatus.FTF_PREVENTED, 10),
    ),
    Category.HTF: ((SubStatus.HTF_INTENT, 45), (SubStatus.HTF_SUPPORT, 55)),
    Category.PH: ((SubStatus.PH_PERSON, 1),),
    Category.EPV: (("", 1),),
    Category.PCT: (
        (SubStatus.PCT_CONVICTED_BE, 60),
        (SubStatus.PCT_CONVICTED_ABROAD, 15),
        (SubStatus.PCT_INTERNED_BE, 10),
        (SubStatus.PCT_PROTECTION_BE, 10),
        (SubStatus.PCT_PROTECTION_ABROAD, 5),
    ),
}
# A second category that fits the first (a returned fighter later convicted, ...).
SECOND_CATEGORY = {
    Category.FTF: Category.PCT,
    Category.HTF: Category.PCT,
    Category.PH: Category.EPV,
    Category.EPV: Category.PH,
    Category.PCT: Category.FTF,
}
DUAL_SHARE = 0.05
# Ideology given the category; overall about 89 % jihadist, 9 % far right, 2 % far left.
IDEOLOGY_WEIGHTS = {
    Category.FTF: (("jihadist", 1),),
    Category.HTF: (("jihadist", 85), ("far_right", 15)),
    Category.PH: (("jihadist", 70), ("far_right", 25), ("far_left", 5)),
    Category.EPV: (("jihadist", 55), ("far_right", 33), ("far_left", 12)),
    Category.PCT: (("jihadist", 85), ("far_right", 10), ("far_left", 5)),
}
ORIGIN_WEIGHTS = {
    "jihadist": (
        ("maghrebi", 52),
        ("convert", 10),
        ("turkish", 6),
        ("chechen", 8),
        ("balkan", 9),
        ("levant", 8),
        ("flemish", 3),
        ("walloon", 4),
    ),
    "far_right": (("flemish", 60), ("walloon", 40)),
    "far_left": (("flemish", 45), ("walloon", 55)),
}
THREAT_WEIGHTS = ((1, 6), (2, 48), (3, 40), (4, 6))

# Addresses: weighted to the municipalities the published reporting names most (NIS codes).
CITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("21012", 11),  # Molenbeek-Saint-Jean
    ("21004", 9),  # Bruxelles
    ("21015", 7),  # Schaerbeek
    ("21001", 6),  # Anderlecht
    ("21013", 2),  # Saint-Gilles
    ("21007", 2),  # Forest
    ("11002", 12),  # Antwerpen
    ("62063", 7),  # Liège
    ("44021", 6),  # Gent
    ("52011", 5),  # Charleroi
    ("63079", 4),  # Verviers
    ("23088", 4),  # Vilvoorde
    ("12025", 3),  # Mechelen
)
CITY_NAMES = {
    "21012": "Molenbeek",
    "21004": "Brussels",
    "21015": "Schaerbeek",
    "21001": "Anderlecht",
    "21013": "Saint-Gilles",
    "21007": "Forest",
    "11002": "Antwerp",
    "62063": "Liège",
    "44021": "Ghent",
    "52011": "Charleroi",
    "63079": "Verviers",
    "23088": "Vilvoorde",
    "12025": "Mechelen",
}
ELSEWHERE_SHARE = 0.22
BIRTH_PLACES_BE = ("Bruxelles", "Antwerpen", "Liège", "Gent", "Charleroi", "Verviers", "Mechelen")
CONTRIBUTORS = (
    ("police-federal", 40),
    ("vsse", 25),
    ("police-local", 12),
    ("sgrs", 5),
    ("dg-prisons", 8),
    ("immigration-office", 5),
    ("prosecution", 5),
)
RELIABILITY = (("A", 3), ("B", 30), ("C", 40), ("D", 12), ("E", 3), ("F", 12))
CREDIBILITY = (("1", 8), ("2", 35), ("3", 35), ("4", 10), ("5", 2), ("6", 10))

# --- Name parts (given names common; surname syllables invented) -------------------------

GIVEN = {
    "maghrebi": (
        ("Mohamed", "Youssef", "Abdelkader", "Karim", "Mehdi", "Rachid", "Hamza", "Bilal")
        + ("Ayoub", "Anas", "Soufiane", "Ilyas", "Khalid", "Omar", "Said", "Nabil", "Hicham")
        + ("Mustapha", "Ibrahim", "Ismail", "Yassine", "Zakaria", "Redouane", "Tarik"),
        ("Fatima", "Khadija", "Nadia", "Salma", "Imane", "Houda", "Meryem", "Siham", "Naima"),
    ),
    "levant": (
        ("Ahmad", "Mahmoud", "Khaled", "Ali", "Hassan", "Hussein", "Abdullah", "Firas")
        + ("Walid", "Ammar", "Mazen", "Mohammed", "Yusuf", "Abdelkader"),
        ("Rania", "Huda", "Lina", "Reem", "Nour", "Aya"),
    ),
    "turkish": (
        ("Mehmet", "Ahmet", "Mustafa", "Emre", "Burak", "Hakan", "Murat", "Ömer", "Yusuf"),
        ("Ayşe", "Elif", "Zeynep", "Merve", "Büşra"),
    ),
    "chechen": (
        ("Magomed", "Ruslan", "Aslan", "Islam", "Zelimkhan", "Ibragim", "Adam", "Rustam")
        + ("Movsar", "Akhmed", "Umar", "Khamzat", "Aslanbek"),
        ("Khava", "Zarema", "Madina", "Aminat", "Seda", "Petimat"),
    ),
    "balkan": (
        ("Adnan", "Amir", "Armin", "Edin", "Emir", "Haris", "Jasmin", "Kenan", "Mirza")
        + ("Besnik", "Arben", "Driton", "Valon", "Nermin"),
        ("Amra", "Lejla", "Merima", "Besa", "Arta", "Ajla"),
    ),
    "flemish": (
        ("Jan", "Pieter", "Tom", "Wouter", "Bram", "Jens", "Stijn", "Koen", "Sander", "Niels")
        + ("Dries", "Thijs", "Ruben", "Lars", "Joris"),
        ("Lien", "Sofie", "Eline", "Lotte", "Hanne", "Femke", "Anke"),
    ),
    "walloon": (
        ("Julien", "Maxime", "Nicolas", "Kevin", "Thomas", "Quentin", "Antoine", "Cédric")
        + ("Loïc", "Jérôme", "Damien", "Benoît", "Romain"),
        ("Julie", "Aurélie", "Céline", "Manon", "Laura", "Élodie", "Sarah"),
    ),
}
GIVEN["convert"] = (
    GIVEN["flemish"][0] + GIVEN["walloon"][0],
    GIVEN["flemish"][1] + GIVEN["walloon"][1],
)
SURNAME_PARTS = {
    "maghrebi": (
        ("El ", "Ben", "Bou", "Ait ", "", "", "El "),
        ("Hadd", "Zar", "Mek", "Tah", "Ouaz", "Kadd", "Sebb", "Lakh", "Moust", "Rhaz", "Fadl"),
        ("aoui", "ouchi", "ani", "ari", "iri", "ali", "i", "ouni", "ati"),
    ),
    "levant": (
        ("al-", "al-", "", "el-"),
        ("Hamd", "Jub", "Hal", "Rif", "Nas", "Sab", "Kurd", "Dar", "Tam"),
        ("ani", "awi", "abi", "iri", "uri", "i", "ami"),
    ),
    "turkish": (
        ("",),
        ("Kara", "Ak", "Demir", "Yıl", "Öz", "Kay", "Tok", "Ars", "Bay", "Gök"),
        ("soy", "han", "dağ", "taş", "er", "can", "oğlu", "türk", "al"),
    ),
    "chechen": (
        ("",),
        ("Dud", "Khas", "Mag", "Arsan", "Bat", "Tsur", "Edil", "Dzhab", "Umkh", "Gaz", "Vakh"),
        ("aev", "iev", "uev", "anov", "irov", "ayev", "ov"),
    ),
    "balkan": (
        ("",),
        ("Hodž", "Beg", "Mus", "Hal", "Del", "Ker", "Muj", "Sal", "Ram", "Krasn", "Zeć"),
        ("ić", "ović", "agić", "ani", "aj", "iqi", "ku", "ević"),
    ),
    "flemish": (
        ("Van ", "Van de ", "Van der ", "De ", "Ver", "", ""),
        ("Hul", "Bra", "Sme", "Wae", "Ker", "Lau", "Bie", "Goe", "Ro", "Dam", "Mol"),
        ("beke", "dael", "gem", "sens", "mans", "ckx", "rynck", "aert", "hove", "straete"),
    ),
    "walloon": (
        ("", "", "Du", "Le", "De"),
        ("Mar", "Ro", "Ber", "Fon", "Gil", "Del", "Cou", "Lam", "Sau", "Thi"),
        ("pont", "bois", "chet", "quet", "mont", "lieu", "rond", "taine", "vaux", "hay"),
    ),
}
SURNAME_PARTS["convert"] = SURNAME_PARTS["flemish"]
NATIONALITIES = {
    "maghrebi": ((("BE", "MA"), 55), (("MA",), 15), (("BE",), 22), (("DZ",), 4), (("TN",), 4)),
    "levant": ((("SY",), 50), (("IQ",), 40), (("BE", "IQ"), 10)),
    "turkish": ((("BE", "TR"), 50), (("TR",), 35), (("BE",), 15)),
    "chechen": ((("RU",), 70), (("BE",), 20), (("BE", "RU"), 10)),
    "balkan": ((("BA",), 35), (("AL",), 15), (("MK",), 15), (("BE", "BA"), 20), (("BE",), 15)),
    "flemish": ((("BE",), 95), (("BE", "NL"), 5)),
    "walloon": ((("BE",), 93), (("BE", "FR"), 7)),
    "convert": ((("BE",), 90), (("BE", "FR"), 10)),
}
BIRTH_PLACES = {
    "maghrebi": BIRTH_PLACES_BE + ("Tanger", "Nador", "Al Hoceïma", "Tétouan", "Oujda"),
    "levant": ("Homs", "Alep", "Mossoul", "Bagdad", "Deir ez-Zor"),
    "turkish": BIRTH_PLACES_BE + ("Emirdağ", "Afyon", "Kayseri"),
    "chechen": ("Grozny", "Argun", "Gudermes", "Urus-Martan"),
    "balkan": ("Sarajevo", "Tuzla", "Zenica", "Tirana", "Skopje", "Tetovo"),
}
# Kunya: "Abu" and a son's name (names that open no known combination), sometimes a nisba.
KUNYA_SONS = ("Yusuf", "Ilyas", "Yahya", "Idris", "Ismail", "Suhayb", "Harun", "Zakariya")
KUNYA_SONS += ("Ayyub", "Dawud", "Salman", "Yunus", "Nuh", "Adam", "Sulayman", "Hamid")
NISBA = {
    "maghrebi": ("al-Maghribi", "al-Rifi"),
    "convert": ("al-Belgiki",),
    "turkish": ("al-Turki",),
    "chechen": ("al-Kavkazi",),
    "balkan": ("al-Bosni", "al-Albani"),
    "levant": ("al-Shami", "al-Iraqi"),
}
# Latin spellings of one name (French, English and scholarly transcriptions).
GIVEN_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("Mohamed", "Mohammed", "Muhammad", "Mohammad"),
    ("Youssef", "Yusuf", "Youssouf", "Yousef"),
    ("Abdelkader", "Abd al-Qadir", "Abdulkadir"),
    ("Ibrahim", "Brahim", "Ebrahim"),
    ("Mustapha", "Mustafa", "Moustafa"),
    ("Khalid", "Khaled", "Halid"),
    ("Ismail", "Ismaïl", "Smail"),
    ("Zakaria", "Zakariya", "Zakariyya"),
    ("Magomed", "Magomet", "Mahomed"),
    ("Ibragim", "Ibrahim"),
    ("Akhmed", "Ahmed", "Achmed"),
    ("Hussein", "Husayn", "Houssein"),
    ("Omar", "Umar", "Omer"),
    ("Rachid", "Rashid", "Rachied"),
)
VARIANT_OF = {name: group for group in GIVEN_VARIANTS for name in group}
# Surname spelling rules (pattern, replacement): French vs English vs German transcription.
SURNAME_RULES: tuple[tuple[str, str], ...] = (
    ("El ", "Al-"),
    ("El ", "El-"),
    ("El ", "El"),
    ("al-", "Al "),
    ("al-", "el-"),
    ("el-", "al-"),
    ("ou", "u"),
    ("ch", "sh"),
    ("Kh", "H"),
    ("aev", "ayev"),
    ("iev", "yev"),
    ("ov", "ow"),
    ("ev", "ew"),
    ("ić", "ic"),
    ("ć", "c"),
    ("ž", "z"),
    ("ş", "s"),
    ("ı", "i"),
    ("ğ", "g"),
    ("ö", "o"),
    ("ü", "u"),
)

# --- Latin → Arabic / Cyrillic (small letter tables, longest match first) ----------------

ARABIC_WORDS = {"abd": "عبد", "abu": "أبو", "al": "ال", "el": "ال", "ben": "بن", "bou": "بو"}
ARABIC_LETTERS = (
    ("kh", "خ"),
    ("sh", "ش"),
    ("ch", "ش"),
    ("gh", "غ"),
    ("th", "ث"),
    ("dh", "ذ"),
    ("ou", "و"),
    ("oo", "و"),
    ("aa", "ا"),
    ("ee", "ي"),
    ("ss", "س"),
    ("b", "ب"),
    ("t", "ت"),
    ("j", "ج"),
    ("h", "ح"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("f", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("w", "و"),
    ("y", "ي"),
    ("i", "ي"),
    ("u", "و"),
    ("g", "ج"),
    ("c", "ك"),
    ("p", "ب"),
    ("v", "ف"),
)
CYRILLIC_LETTERS = (
    ("shch", "щ"),
    ("dzh", "дж"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("ye", "е"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("w", "в"),
    ("j", "й"),
    ("c", "ц"),
    ("q", "к"),
    ("x", "кс"),
    ("ž", "ж"),
    ("ć", "ћ"),
    ("č", "ч"),
    ("š", "ш"),
)
VOWELS = set("aeiouy")


def _transliterate_word(word: str, table: Sequence[tuple[str, str]], *, arabic: bool) -> str:
    lower = word.lower()
    if arabic and lower in ARABIC_WORDS:
        return ARABIC_WORDS[lower]
    if arabic and lower.startswith("abd") and len(lower) > 4:
        # Abdelkader, Abdullah: the servant-of prefix has its own spelling.
        rest = lower[3:].removeprefix("el").removeprefix("ul").removeprefix("al")
        return "عبد ال" + _transliterate_word(rest, table, arabic=True)
    out: list[str] = []
    i = 0
    while i < len(lower):
        char = lower[i]
        if arabic and char in "aeo":
            # Arabic writes no short vowels: only a word-initial vowel gets an alif.
            if i == 0:
                out.append("ا" if char != "o" else "أو")
            elif i == len(lower) - 1 and char == "a":
                out.append("ة")
            i += 1
            continue
        if not arabic and char == "y" and i > 0 and lower[i - 1] in VOWELS:
            out.append("й")
            i += 1
            continue
        for latin, letter in table:
            if lower.startswith(latin, i):
                out.append(letter)
                i += len(latin)
                break
        else:
            i += 1  # a letter the table does not know is dropped
    result = "".join(out)
    return result.capitalize() if not arabic else result


def to_arabic(name: str) -> str:
    """A plausible Arabic-script spelling of a Latin-script Arab name (not a scholarly one)."""
    words = name.replace("-", " ").split()
    out = [_transliterate_word(w, ARABIC_LETTERS, arabic=True) for w in words]
    # The article is written joined to the next word.
    joined: list[str] = []
    for word in out:
        if joined and joined[-1] == "ال":
            joined[-1] += word
        else:
            joined.append(word)
    return " ".join(w for w in joined if w)


def to_cyrillic(name: str) -> str:
    """Russian-style Cyrillic of a Latin-script name (Chechen and Balkan names)."""
    return " ".join(
        _transliterate_word(w, CYRILLIC_LETTERS, arabic=False) for w in name.split() if w
    )


# --- The generator --------------------------------------------------------------------------


@dataclass
class _Person:
    origin: str
    given: str
    surname: str
    gender: str


class PersonGenerator:
    """Deterministic: the same seed, count and options give the same records.

    `first_serial` keeps document numbers unique when a database already holds seeded data.
    """

    def __init__(
        self,
        *,
        seed: int = 2026,
        first_serial: int = 0,
        municipalities: Sequence[str] = (),
        today: date | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.serial = first_serial
        self.elsewhere = [m for m in municipalities if m not in dict(CITY_WEIGHTS)]
        self.today = today or date(2026, 1, 15)
        self.prefix = f"s{seed}-{first_serial}"

    # Small helpers on the seeded RNG.
    def pick(self, weighted: Weighted) -> object:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def _key(self) -> str:
        self.serial += 1
        return f"{self.prefix}-{self.serial}"

    def _surname(self, origin: str, gender: str) -> str:
        prefix, root, suffix = (self.rng.choice(p) for p in SURNAME_PARTS[origin])
        if prefix and not prefix.endswith((" ", "-")):
            root = root.lower()  # "Ben" + "Hadd" is "Benhadd", not "BenHadd"
        surname = f"{prefix}{root}{suffix}"
        if origin == "chechen" and gender == "F":
            surname += "a"  # Russian-style feminine surname
        return surname

    def _person(self, origin: str, gender: str, surname: str | None = None) -> _Person:
        male, female = GIVEN[origin]
        given = self.rng.choice(female if gender == "F" else male)
        return _Person(origin, given, surname or self._surname(origin, gender), gender)

    def _birth_date(self, category: str, avoid: set[str]) -> str:
        low, high = (1980, 2003) if category == Category.FTF else (1958, 2007)
        if avoid:
            # A sibling: born within a few years of the others.
            year = int(next(iter(avoid))[:4])
            low, high = max(1950, year - 7), min(2008, year + 7)
        while True:
            year = self.rng.randint(low, high)
            month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
            precision = self.rng.random()
            if precision < 0.10:
                value = f"{year}"
            elif precision < 0.25:
                value = f"{year}-{month:02d}"
            else:
                value = f"{year}-{month:02d}-{day:02d}"
            # Siblings differ by birth date (twins aside, which the demo leaves out).
            if value not in avoid and not any(value[:4] == a[:4] for a in avoid):
                return value

    def _names(self, person: _Person) -> list[GeneratedName]:
        full = f"{person.given} {person.surname}"
        names = [GeneratedName(full, NameType.PRIMARY, person.given, person.surname)]
        seen = {full}

        def add(value: str, name_type: str, given: str = "", surname: str = "") -> None:
            if value not in seen:
                seen.add(value)
                names.append(GeneratedName(value, name_type, given, surname))

        rng = self.rng
        # Latin spelling variants of the given name and the surname, as aliases.
        group = VARIANT_OF.get(person.given)
        if group and rng.random() < 0.8:
            for variant in rng.sample(group, k=min(len(group), rng.randint(1, 2))):
                add(f"{variant} {person.surname}", NameType.ALIAS, variant, person.surname)
        rules = [r for r in SURNAME_RULES if r[0] in person.surname]
        if rules and rng.random() < 0.7:
            pattern, replacement = rng.choice(rules)
            surname = person.surname.replace(pattern, replacement, 1)
            add(f"{person.given} {surname}", NameType.ALIAS, person.given, surname)
        # Names in the script of the country of origin.
        if person.origin in ("maghrebi", "levant") and rng.random() < 0.5:
            add(to_arabic(full), NameType.TRANSLITERATION)
        if person.origin in ("chechen", "balkan") and rng.random() < 0.6:
            add(to_cyrillic(full), NameType.TRANSLITERATION)
        return names

    def _kunya(self, person: _Person, names: list[GeneratedName], ideology: str) -> None:
        if ideology != "jihadist" or person.gender == "F":
            return
        chance = 0.9 if person.origin == "convert" else 0.35
        if self.rng.random() >= chance:
            return
        kunya = f"Abu {self.rng.choice(KUNYA_SONS)}"
        if self.rng.random() < 0.6:
            kunya += " " + self.rng.choice(NISBA.get(person.origin, ("al-Belgiki",)))
        names.append(GeneratedName(kunya, NameType.KUNYA))
        if self.rng.random() < 0.3:
            names.append(GeneratedName(to_arabic(kunya), NameType.KUNYA))

    def _address(self) -> tuple[str, str]:
        if self.elsewhere and self.rng.random() < ELSEWHERE_SHARE:
            nis = self.rng.choice(self.elsewhere)
        else:
            nis = str(self.pick(CITY_WEIGHTS))
        return nis, self._street(nis)

    def _street(self, nis: str) -> str:
        number = self.rng.randint(1, 240)
        # Flemish municipalities' NIS codes start 1, 3, 4, 7 or 2[34]; Brussels 21.
        flemish = nis[0] in "1347" or nis[:2] in ("23", "24")
        root = self.rng.choice(("Lin", "Bo", "Ker", "Mo", "Vel", "Hoe", "Bre", "Sta", "Wa"))
        tail = self.rng.choice(("den", "ter", "kel", "ven", "ris", "mel"))
        if flemish:
            return f"{root}{tail}straat {number}"
        kind = self.rng.choice(("Rue", "Avenue", "Chaussée", "Rue"))
        return f"{kind} des {root}{tail}s {number}"

    def _documents(self, nationalities: Sequence[str]) -> list[tuple[str, str, str]]:
        # Numbers carry the serial: unique by construction, across runs too.
        serial = self.serial
        docs: list[tuple[str, str, str]] = []
        if "BE" in nationalities and self.rng.random() < 0.7:
            docs.append(
                (DocumentType.ID_CARD, f"59{serial % 10:1d}-{serial:07d}-{serial % 97:02d}", "BE")
            )
        if self.rng.random() < 0.35:
            country = nationalities[-1] if nationalities else "BE"
            letters = "".join(self.rng.choice("ABCEHKLMNPRSTUVXZ") for _ in range(2))
            docs.append((DocumentType.PASSPORT, f"{letters}{serial:07d}", country))
        return docs

    def _contributions(self, category: str, sub_status: str, ideology: str, city: str) -> list:
        count = self.pick(((1, 55), (2, 30), (3, 15)))
        texts = {
            "ftf_returned": "Returned from the conflict zone via Istanbul in {year}.",
            "ftf_departed": "Left Belgium for the conflict zone in {year}; last contact abroad.",
            "ftf_presumed_dead": "Reported killed in the conflict zone in {year}; unconfirmed.",
            "ftf_intending": "Expressed the intention to travel to a conflict zone in {year}.",
            "ftf_prevented": "Stopped at the airport before boarding in {year}.",
        }
        generic = (
            "Attends meetings of a {ideology} circle in {city} ({year}).",
            "Posts {ideology} propaganda on social networks ({year}).",
            "Contacts with a listed person observed in {city} in {year}.",
            "Financial transfers to an intermediary abroad noted in {year}.",
            "Statements approving violence reported by a community worker ({year}).",
        )
        result = []
        for n in range(int(count)):  # type: ignore[call-overload]
            template = texts.get(sub_status) if n == 0 and sub_status in texts else None
            template = template or self.rng.choice(generic)
            text = template.format(
                year=self.rng.randint(2013, 2025), city=city, ideology=ideology.replace("_", "-")
            )
            result.append(
                GeneratedContribution(
                    organisation=str(self.pick(CONTRIBUTORS)),
                    text=text,
                    reliability=str(self.pick(RELIABILITY)),
                    credibility=str(self.pick(CREDIBILITY)),
                )
            )
        return result

    def _entity(
        self,
        person: _Person,
        category: str,
        ideology: str,
        *,
        status: str = EntryStatus.VALIDATED,
        avoid_births: set[str] | None = None,
        address: tuple[str, str] | None = None,
    ) -> GeneratedEntity:
        rng = self.rng
        key = self._key()
        names = self._names(person)
        self._kunya(person, names, ideology)
        sub_status = str(self.pick(SUB_STATUS_WEIGHTS[category]))
        memberships = [(category, sub_status)]
        if rng.random() < DUAL_SHARE:
            second = SECOND_CATEGORY[category]
            memberships.append((second, str(self.pick(SUB_STATUS_WEIGHTS[second]))))
        nationalities = list(self.pick(NATIONALITIES[person.origin]))  # type: ignore[call-overload]
        address = address or self._address()
        places = BIRTH_PLACES.get(person.origin, BIRTH_PLACES_BE)
        validated_on = self.today - timedelta(days=rng.randint(30, 3650))
        # Reviewed twice a year: the last review within 7 months, so a few are overdue.
        last_review = max(validated_on, self.today - timedelta(days=rng.randint(0, 210)))
        return GeneratedEntity(
            key=key,
            kind="person",
            names=names,
            status=status,
            birth_date=self._birth_date(category, avoid_births or set()),
            birth_place=rng.choice(places),
            gender=person.gender,
            nationalities=nationalities,
            memberships=memberships if status == EntryStatus.VALIDATED else [],
            threat_level=int(self.pick(THREAT_WEIGHTS))
            if status == EntryStatus.VALIDATED
            else None,  # type: ignore[call-overload]
            validated_on=validated_on,
            last_reviewed_on=last_review,
            addresses=[address] if rng.random() < 0.92 else [],
            documents=self._documents(nationalities),
            contributions=self._contributions(
                category, sub_status, ideology, CITY_NAMES.get(address[0], "Belgium")
            ),
            proposed_by_organisation="police-federal" if status == EntryStatus.PROPOSED else "",
        )

    def _draw(self) -> tuple[str, str, str, str]:
        category = str(self.pick(CATEGORY_WEIGHTS))
        ideology = str(self.pick(IDEOLOGY_WEIGHTS[category]))
        origin = str(self.pick(ORIGIN_WEIGHTS[ideology]))
        male_share = 0.85 if category == Category.FTF else 0.9
        gender = "M" if self.rng.random() < male_share else "F"
        return category, ideology, origin, gender

    def _group(self) -> tuple[GeneratedEntity, str]:
        ideology = str(self.pick((("jihadist", 70), ("far_right", 25), ("far_left", 5))))
        word = self.rng.choice(("Nour", "Fajr", "Sabil", "Bayan", "Ikhwa", "Daw"))
        word += self.rng.choice(("ane", "iya", "oun", "at"))
        kind = {
            "jihadist": ("Collectif", "Halaqa", "Cercle", "Jamaat"),
            "far_right": ("Kring", "Beweging", "Cercle", "Front"),
            "far_left": ("Collectif", "Comité", "Kollektief"),
        }[ideology]
        if ideology != "jihadist":
            word = self.rng.choice(("Ijzer", "Dageraad", "Aube", "Rempart", "Brand", "Vonk"))
        address = self._address()
        place = self.rng.choice(BIRTH_PLACES_BE)
        name = f"{self.rng.choice(kind)} {word} {place}"
        return (
            GeneratedEntity(
                key=self._key(),
                kind="organisation",
                names=[GeneratedName(name)],
                memberships=[(Category.PH, SubStatus.PH_ORGANISATION)],
                threat_level=int(self.pick(((2, 50), (3, 45), (4, 5)))),  # type: ignore[call-overload]
                validated_on=self.today - timedelta(days=self.rng.randint(60, 2000)),
                addresses=[address],
                contributions=self._contributions(Category.PH, "", ideology, place),
            ),
            ideology,
        )

    def generate(self, persons: int, *, proposals: int = 0) -> Iterator[GeneratedEntity]:
        """`persons` validated persons (plus a few groups they belong to), then `proposals`
        pending proposals from the federal police. Streams: nothing is held but group keys."""
        if persons < 0 or proposals < 0:
            raise ValueError("counts must be zero or more")
        groups: list[tuple[str, str]] = []
        group_count = persons // 150 if persons >= 50 else 0
        for _ in range(group_count):
            group, ideology = self._group()
            groups.append((group.key, ideology))
            yield group
        made = 0
        while made < persons:
            category, ideology, origin, gender = self._draw()
            # About 8 % of persons come with one or two siblings.
            size = 1
            if self.rng.random() < 0.04:
                size = min(persons - made, self.rng.choice((2, 2, 3)))
            first = self._person(origin, gender)
            births: set[str] = set()
            keys: list[str] = []
            address = self._address()
            for index in range(size):
                gender_i = gender if index == 0 else ("M" if self.rng.random() < 0.8 else "F")
                person = first if index == 0 else self._person(origin, gender_i, first.surname)
                if origin == "chechen" and index > 0:
                    # Same family name, in its masculine or feminine form.
                    base = first.surname[:-1] if first.gender == "F" else first.surname
                    person.surname = base + ("a" if gender_i == "F" else "")
                entity = self._entity(
                    person, category, ideology, avoid_births=births, address=address
                )
                births.add(entity.birth_date)
                entity.relations = [(RelationKind.SIBLING, k) for k in keys]
                keys.append(entity.key)
                if groups and self.rng.random() < 0.04:
                    fitting = [k for k, i in groups if i == ideology] or [groups[0][0]]
                    entity.relations.append((RelationKind.MEMBER, self.rng.choice(fitting)))
                yield entity
                made += 1
        for _ in range(proposals):
            category, ideology, origin, gender = self._draw()
            person = self._person(origin, gender)
            yield self._entity(person, category, ideology, status=EntryStatus.PROPOSED)


def generate_persons(
    count: int, *, seed: int = 2026, proposals: int = 0, **options: object
) -> list[GeneratedEntity]:
    """Convenience for tests and small runs: the whole list at once."""
    generator = PersonGenerator(seed=seed, **options)  # type: ignore[arg-type]
    return list(generator.generate(count, proposals=proposals))
