"""Word lists the recognizers use, taken from the locales Faker ships."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache

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


def _provider_attr(kind: str, locale: str, attr: str) -> Iterable[str]:
    try:
        module = importlib.import_module(f"faker.providers.{kind}.{locale}")
    except ImportError:
        return ()
    value = getattr(module.Provider, attr, ())
    return value.keys() if isinstance(value, dict) else value


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in words if len(w) > 1)


@cache
def first_names() -> frozenset[str]:
    """Given names across the supported locales, case-folded."""
    return _folded(
        name
        for loc in NAME_LOCALES
        for attr in ("first_names", "first_names_female", "first_names_male")
        for name in _provider_attr("person", loc, attr)
    )


# Faker's pl_PL keeps its surnames apart (its `last_names` is a placeholder, "Doe").
_LAST_NAME_ATTRS = ("last_names", "unisex_last_names", "male_last_names", "female_last_names")
# Polish surnames in -ski, -cki and -dzki take -ska, -cka and -dzka for a woman.
_FEMININE_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


@cache
def last_names() -> frozenset[str]:
    """Family names across the supported locales, case-folded (compound names split,
    Polish feminine forms added)."""
    parts = [
        part
        for loc in NAME_LOCALES
        for attr in _LAST_NAME_ATTRS
        for name in _provider_attr("person", loc, attr)
        for part in name.replace("-", " ").split()
    ]
    feminine = [
        part[: -len(male)] + female
        for part in parts
        for male, female in _FEMININE_ENDINGS
        if part.endswith(male)
    ]
    return _folded(parts + feminine)


@cache
def street_suffixes() -> tuple[str, ...]:
    """English street suffixes ("Road", "Lane", "Circles"), longest first."""
    words = {
        suffix
        for loc in ADDRESS_LOCALES
        for suffix in _provider_attr("address", loc, "street_suffixes")
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
