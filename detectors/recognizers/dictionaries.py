"""Word lists the recognizers use, taken from the locales Faker ships.

The names are the core locales' (``NAME_LOCALES``), read from Faker as they are, and the
wider locales' (``detectors.recognizers.wider_names``), kept in the repository, which
only add words the core lists do not know.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from detectors.recognizers.wider_names import wider_first_names, wider_last_names

NAME_LOCALES = (
    "en_GB",
    "en_US",
    "en_IE",
    "de_DE",
    "de_AT",
    "fr_FR",
    "es_ES",
    "it_IT",
    "nl_NL",
    "pt_PT",
    "pl_PL",
    "sv_SE",
    "da_DK",
)
ADDRESS_LOCALES = ("en_GB", "en_US", "en_IE", "en_AU")


def provider_attr(kind: str, locale: str, attr: str) -> Iterable[str]:
    """A list of a Faker provider's (``kind``: person, address, lorem) for ``locale``;
    empty where it has none."""
    try:
        module = importlib.import_module(f"faker.providers.{kind}.{locale}")
    except ImportError:
        return ()
    value = getattr(module.Provider, attr, ())
    if isinstance(value, dict):
        return value.keys()
    # a few locales compute some lists (a property), which are left out
    return value if isinstance(value, (list, tuple)) else ()


def fold(word: str) -> str:
    """A word as the dictionaries hold it: composed (NFC: ``Zoë`` written as ``e`` and a
    combining diaeresis is ``ë``), case-folded, a typographic apostrophe or hyphen
    written as a plain one (``O’Brien``, ``Evans–Thompson`` from a phone or a word
    processor)."""
    return unicodedata.normalize("NFC", word).casefold().translate(_PLAIN_MARKS)


_PLAIN_MARKS = str.maketrans({"’": "'", "‐": "-", "‑": "-", "‒": "-", "–": "-"})


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for w in set(map(fold, words)) if len(w) > 1)


_FIRST_NAME_ATTRS = (
    "first_names",
    "first_names_female",
    "first_names_male",
    "first_names_unisex",
    "first_romanized_names",
    "first_romanized_names_female",
    "first_romanized_names_male",
)
# Faker's pl_PL keeps its surnames apart (its `last_names` is a placeholder, "Doe").
_LAST_NAME_ATTRS = (
    "last_names",
    "unisex_last_names",
    "male_last_names",
    "female_last_names",
    "last_names_female",
    "last_names_male",
    "last_names_unisex",
    "last_romanized_names",
)
# Polish surnames in -ski, -cki and -dzki take -ska, -cka and -dzka for a woman.
_FEMININE_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


@cache
def first_names() -> frozenset[str]:
    """Given names across the supported locales, case-folded."""
    core = first_names_of(NAME_LOCALES)
    # a word the core lists know keeps its kind: a core surname is no first name
    return core | (wider_first_names() - core - last_names_of(NAME_LOCALES))


@cache
def last_names() -> frozenset[str]:
    """Family names across the supported locales, case-folded (compound names split,
    Polish feminine forms added)."""
    core = last_names_of(NAME_LOCALES)
    return core | (wider_last_names() - core - first_names_of(NAME_LOCALES))


@cache
def first_names_of(locales: tuple[str, ...]) -> frozenset[str]:
    """The given names of these locales' Faker lists, case-folded."""
    return _folded(
        name for loc in locales for attr in _FIRST_NAME_ATTRS for name in _names(loc, attr)
    )


@cache
def last_names_of(locales: tuple[str, ...]) -> frozenset[str]:
    """The family names of these locales' Faker lists, case-folded (compound names
    split, Polish feminine forms added)."""
    parts = [
        part
        for loc in locales
        for attr in _LAST_NAME_ATTRS
        for name in _names(loc, attr)
        for part in name.replace("-", " ").split()
    ]
    feminine = [
        part[: -len(male)] + female
        for part in parts
        for male, female in _FEMININE_ENDINGS
        if part.endswith(male)
    ]
    return _folded(parts + feminine)


def _names(locale: str, attr: str) -> Iterable[str]:
    """A Faker person list's names in the Latin alphabet (some locales write theirs in
    their own script too)."""
    names = list(provider_attr("person", locale, attr))
    if not _NOT_LATIN.search("\n".join(names)):  # one search for a whole list
        return names
    return [name for name in names if not _NOT_LATIN.search(name)]


# A letter of another alphabet than the Latin one (Basic Latin to the spacing modifiers,
# and Latin Extended Additional, which holds Vietnamese).
_NOT_LATIN = re.compile(r"[^\W\d_\u0000-\u02ff\u1e00-\u1eff]")


@cache
def place_prefixes() -> frozenset[str]:
    """Words that open English place names ("North", "New", "Port", "Mount", "St"),
    case-folded: "North Carolina" and "West Virginia" are no family name then a first
    name."""
    words = {
        prefix.rstrip(".")
        for loc in (*ADDRESS_LOCALES, "en_NZ", "en_CA")
        for prefix in provider_attr("address", loc, "city_prefixes")
    }
    words |= {"Mount", "Mt", "Fort", "Ft", "Saint", "St", "Sainte", "San", "Santa", "Cape"}
    words |= {"Upper", "Lower", "High", "Great", "Little", "Old", "Bad", "Glen", "Point"}
    return frozenset(w.casefold() for w in words)


@cache
def street_words() -> frozenset[str]:
    """``street_suffixes``, as ``fold`` writes words."""
    return frozenset(fold(suffix) for suffix in street_suffixes())


@cache
def street_suffixes() -> tuple[str, ...]:
    """English street suffixes ("Road", "Lane", "Circles"), longest first."""
    words = {
        suffix
        for loc in ADDRESS_LOCALES
        for suffix in provider_attr("address", loc, "street_suffixes")
    }
    words |= {
        "Street",
        "St",
        "Road",
        "Rd",
        "Avenue",
        "Ave",
        "Lane",
        "Ln",
        "Drive",
        "Dr",
        "Close",
        "Court",
        "Ct",
        "Crescent",
        "Terrace",
        "Grove",
        "Gardens",
        "Place",
        "Square",
        "Boulevard",
        "Blvd",
        "Mews",
        "Parkway",
        "Walk",
        "Row",
        "Hill",
    }
    return tuple(sorted(words, key=lambda w: (-len(w), w)))
