"""Word lists the recognizers use, taken from the locales Faker ships.

The names are the core locales' (``NAME_LOCALES``), whose words are taken as they are,
and the wider locales' (``WIDER_NAME_LOCALES``), which only add words neither the core
lists nor the notes' languages know (see ``first_names``).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS

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
    if isinstance(value, dict):
        return value.keys()
    # a few locales compute some lists (a property), which are left out
    return value if isinstance(value, (list, tuple)) else ()


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for w in set(map(str.casefold, words)) if len(w) > 1)


# The names of contacts from further afield, as Faker's locales write them in the Latin
# alphabet (Chinese and Japanese names in their romanised forms). They only add words
# the dictionaries above do not know (a known surname does not become a first name), and
# no word of the languages notes are written in nor a street's suffix
# (``_common_words``): "Can" (Turkish), "An" (Vietnamese), "Lei" (Chinese) or "Hills"
# stay words.
WIDER_NAME_LOCALES = (
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "ro_RO",
    "fi_FI",
    "no_NO",
    "is_IS",
    "et_EE",
    "lt_LT",
    "lv_LV",
    "hr_HR",
    "sl_SI",
    "ga_IE",
    "de_CH",
    "fr_CH",
    "fr_BE",
    "nl_BE",
    "fr_CA",
    "es_MX",
    "es_AR",
    "es_CL",
    "es_CO",
    "pt_BR",
    "en_NZ",
    "tr_TR",
    "az_AZ",
    "uz_UZ",
    "en_IN",
    "en_PK",
    "en_TH",
    "id_ID",
    "vi_VN",
    "en_KE",
    "en_NG",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "zu_ZA",
    "sw",
    "fr_DZ",
    "zh_CN",
    "zh_TW",
    "ja_JP",
)
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
# The languages of the notes (the locales' lorem words; and English's function words).
_COMMON_WORD_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "da_DK")


@cache
def first_names() -> frozenset[str]:
    """Given names across the supported locales, case-folded."""
    core = first_names_of(NAME_LOCALES)
    wider = first_names_of(WIDER_NAME_LOCALES) - _common_words()
    return core | (wider - core - last_names_of(NAME_LOCALES))


@cache
def last_names() -> frozenset[str]:
    """Family names across the supported locales, case-folded (compound names split,
    Polish feminine forms added)."""
    core = last_names_of(NAME_LOCALES)
    wider = last_names_of(WIDER_NAME_LOCALES) - _common_words()
    return core | (wider - core - first_names_of(NAME_LOCALES))


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
    names = list(_provider_attr("person", locale, attr))
    if not _NOT_LATIN.search("\n".join(names)):  # one search for a whole list
        return names
    return [name for name in names if not _NOT_LATIN.search(name)]


# A letter of another alphabet than the Latin one (Basic Latin to the spacing modifiers,
# and Latin Extended Additional, which holds Vietnamese).
_NOT_LATIN = re.compile(r"[^\W\d_\u0000-\u02ff\u1e00-\u1eff]")


@cache
def _common_words() -> frozenset[str]:
    words = [w for loc in _COMMON_WORD_LOCALES for w in _provider_attr("lorem", loc, "word_list")]
    return _folded([*words, *ENGLISH_STOP_WORDS, *street_suffixes()])


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
