"""The fictitious-person generator: deterministic, in the published proportions, varied."""

from __future__ import annotations

from collections import Counter

from vigie.demo.generator import generate_persons, to_arabic, to_cyrillic
from vigie.registry.choices import NameType, RelationKind
from vigie.registry.services import detect_script

PEOPLE = generate_persons(2000, seed=7)
PERSONS = [e for e in PEOPLE if e.kind == "person"]


def test_same_seed_same_records_other_seed_others():
    again = generate_persons(2000, seed=7)
    assert [(e.names, e.birth_date, e.memberships) for e in again] == [
        (e.names, e.birth_date, e.memberships) for e in PEOPLE
    ]
    other = generate_persons(50, seed=8)
    assert [e.names[0] for e in other] != [e.names[0] for e in PEOPLE[:50]]


def test_count_and_groups():
    assert len(PERSONS) == 2000
    groups = [e for e in PEOPLE if e.kind == "organisation"]
    assert groups and all(g.memberships == [("PH", "ph_organisation")] for g in groups)
    members = [r for e in PERSONS for r in e.relations if r[0] == RelationKind.MEMBER]
    assert members


def test_categories_roughly_in_published_proportions():
    first = Counter(e.memberships[0][0] for e in PERSONS)
    shares = {c: n / len(PERSONS) for c, n in first.items()}
    # End 2023: FTF 426, HTF 40, PH 90, EPV 110, PCT 23 (of 689 memberships).
    assert 0.56 < shares["FTF"] < 0.68
    assert 0.03 < shares["HTF"] < 0.09
    assert 0.10 < shares["PH"] < 0.17
    assert 0.12 < shares["EPV"] < 0.20
    assert 0.015 < shares["PCT"] < 0.055
    dual = sum(len(e.memberships) == 2 for e in PERSONS) / len(PERSONS)
    assert 0.03 < dual < 0.08
    ftf = Counter(e.memberships[0][1] for e in PERSONS if e.memberships[0][0] == "FTF")
    assert ftf["ftf_returned"] > ftf["ftf_intending"] and ftf["ftf_presumed_dead"] > 0


def test_threat_levels_mostly_two_and_three():
    levels = Counter(e.threat_level for e in PERSONS)
    assert (levels[2] + levels[3]) / len(PERSONS) > 0.8
    assert levels[1] and levels[4]


def test_siblings_share_surname_and_differ_by_birth_date():
    by_key = {e.key: e for e in PERSONS}
    pairs = [(e, by_key[k]) for e in PERSONS for kind, k in e.relations if kind == "sibling"]
    assert len(pairs) > 20
    for a, b in pairs:
        surname_a, surname_b = a.names[0].surname, b.names[0].surname
        # Chechen sisters carry the feminine form (-a) of the family name.
        assert surname_a.rstrip("a") == surname_b.rstrip("a")
        assert a.birth_date != b.birth_date


def test_names_in_arabic_and_cyrillic_and_kunyas_and_variants():
    names = [n for e in PERSONS for n in e.names]
    scripts = Counter(detect_script(n.full_name) for n in names)
    assert scripts["arabic"] > 50 and scripts["cyrillic"] > 20
    assert any(n.name_type == NameType.KUNYA and n.full_name.startswith("Abu ") for n in names)
    aliases = {n.full_name.split()[0] for n in names if n.name_type == NameType.ALIAS}
    assert {"Muhammad", "Yusuf"} & aliases


def test_partial_birth_dates_and_iso_nationalities():
    lengths = Counter(len(e.birth_date) for e in PERSONS)
    assert lengths[4] and lengths[7] and lengths[10]
    assert all(len(c) == 2 and c.isupper() for e in PERSONS for c in e.nationalities)


def test_addresses_weighted_to_the_big_cities():
    cities = Counter(a[0] for e in PERSONS for a in e.addresses)
    brussels = sum(n for nis, n in cities.items() if nis.startswith("21"))
    assert brussels > cities["11002"] > cities["12025"]


def test_document_numbers_unique():
    numbers = [(d[0], d[2], d[1]) for e in PEOPLE for d in e.documents]
    assert len(numbers) == len(set(numbers)) > 500


def test_transliteration_tables():
    assert to_arabic("Mohamed") == "محمد"
    assert to_arabic("Youssef") == "يوسف"
    assert to_cyrillic("Magomed Dudaev") == "Магомед Дудаев"
