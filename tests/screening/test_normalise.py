"""The normaliser: property-based checks and the folding rules (no Django, no ../shared)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigie.screening.normalise import (
    MAX_TOKEN_CHARS,
    MAX_TOKENS,
    display,
    normalise_name,
    token_key,
)


def keys(name: str) -> list[set[str]]:
    return [set(t.keys) for t in normalise_name(name)]


def first_keys(name: str) -> list[str]:
    return [t.keys[0] for t in normalise_name(name)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_on_arbitrary_unicode_and_output_is_bounded(text):
    try:
        tokens = normalise_name(text)
    except ValueError as error:
        assert str(error).startswith("name:")
        return
    assert 1 <= len(tokens) <= MAX_TOKENS
    for token in tokens:
        assert token.forms and len(token.forms) == len(token.keys)
        assert all(form.isascii() and len(form) <= MAX_TOKEN_CHARS for form in token.forms)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc",)), max_size=80))
def test_idempotent(text):
    try:
        once = normalise_name(text)
    except ValueError:
        return
    again = normalise_name(display(once))
    # Idempotent on the Latin side: forms and keys (the script of origin is not in the text).
    assert [(t.text, t.keys[0]) for t in again] == [(t.text, t.keys[0]) for t in once]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=30))
def test_key_is_short_and_stable(word):
    key = token_key(word)
    assert key and len(key) <= len(word) + word.count("x") + 1  # x -> ks
    assert token_key(word) == key


def test_issue_examples_meet_on_keys():
    arabic = first_keys("يوسف عبد القادر الزياني")
    for latin in ("Youssef Abdelkader Ezzayani", "Yusuf Abd al-Qadir al-Zayani"):
        assert first_keys(latin) == arabic
    assert first_keys("Заур Бекмурзаев") == first_keys("Zaur Bekmurzaev")


@pytest.mark.parametrize(
    "variant", ["al-Zayani", "az-Zayani", "Ezzayani", "El Zayani", "Alzayani", "AZ ZAYANI"]
)
def test_sun_letter_assimilation_and_article(variant):
    assert token_key("zayani") in keys(variant)[0]


@pytest.mark.parametrize(
    "variant", ["Abdel Kader", "Abdelkader", "Abd-al-Qadir", "Abd al Qadir", "Abdulkadir"]
)
def test_abd_compounds_become_one_token(variant):
    tokens = normalise_name(variant)
    assert len(tokens) == 1
    assert "abdkdr" in tokens[0].keys


def test_particles_fold():
    assert len(normalise_name("Jan van der Berg")) == 2
    assert "brj" in keys("Jan van der Berg")[1]
    assert "brj" in keys("Vanderberg")[0]
    assert keys("Ali ben Ahmed")[1] & keys("Ali Ahmed")[1]
    assert keys("Abu Bakr")[0] & keys("Abou Bakr")[0] & keys("Aboubakr")[0]
    assert keys("Nour Eddine")[0] & keys("Noureddine")[0] & keys("Nour al-Din")[0]


def test_surname_comma_given_is_reordered():
    assert display(normalise_name("EZZAYANI, Youssef")).startswith("youssef")


def test_initials_diacritics_hyphens():
    tokens = normalise_name("J.-P. Müller-Lüdenscheidt")
    assert [t.initial for t in tokens] == [True, True, False, False]
    assert tokens[2].text == "muller"
    assert normalise_name("José Ñúñez") == normalise_name("Jose Nunez")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "name: no name token"),
        ("J", "name: no name token"),
        ("x" * 100_000, "name: longer than"),
        ("Ali\x00Hassan", r"name: control character U\+0000"),
        (None, "name: expected text"),
    ],
)
def test_bad_input_raises_naming_the_field(value, message):
    with pytest.raises(ValueError, match=message):
        normalise_name(value)


def test_idempotent_on_joined_din():
    once = normalise_name("000o din")
    assert normalise_name(display(once))[0].text == once[0].text


def test_spelling_variants_share_keys():
    for a, b in [
        ("Mohamed", "Muhammad"),
        ("Youssef", "Yusuf"),
        ("Khaled", "Khalid"),
        ("Hussein", "Husain"),
        ("Ivanov", "Ivanow"),
        ("Djamel", "Jamal"),
        ("Chérif", "Sharif"),
        # leading w / ou + vowel is the consonant of в and و
        ("Oualid", "Walid"),
        ("Валид", "Walid"),
        ("وليد", "Oualid"),
        ("Ouali", "вали"),
        ("Wouters", "ووترس"),
        # soft c, cedilla, z/s
        ("Yacine", "Yassine"),
        ("Marcel", "Марсель"),
        ("Fayçal", "Faisal"),
        ("Peeters", "بيترز"),
        ("Gonzales", "Gonzalez"),
    ]:
        assert keys(a)[0] & keys(b)[0], (a, b)
