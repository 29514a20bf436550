"""Make the wider locales' names files (``detectors/recognizers/wider_names.py``).

    uv run --frozen python -m detectors.recognizers.wider_names_build

Needs the dev group (``english-words``, for GCIDE's English headwords). Run it again
after upgrading Faker or changing the locales; the test that compares the files with
what this makes then says whether they are current.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Final

from spacy.lang.en.stop_words import STOP_WORDS

from detectors.recognizers.dictionaries import (
    NAME_LOCALES,
    first_names_of,
    last_names_of,
    provider_attr,
    street_suffixes,
)
from detectors.recognizers.wider_names import FIRST_FILE, LAST_FILE, WIDER_NAME_LOCALES

# the languages of the notes besides English, as Faker's lorem words
_LOREM_LOCALES: Final = ("de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "da_DK")
_PLACE_LOCALES: Final = ("en_US", "en_GB", "en_CA", "en_AU", "en_IE", "en_IN")
_PLACE_ATTRS: Final = ("countries", "states", "provinces", "counties")


def build() -> tuple[list[str], list[str]]:
    """The wider given and family names, sorted, from the installed Faker and
    english-words."""
    left_out = common_words() | first_names_of(NAME_LOCALES) | last_names_of(NAME_LOCALES)
    first = first_names_of(WIDER_NAME_LOCALES) - left_out
    last = last_names_of(WIDER_NAME_LOCALES) - left_out
    return sorted(first), sorted(last)


def common_words() -> frozenset[str]:
    """Words of the notes' languages, and places, case-folded."""
    english = _english_words()
    lorem = [w for loc in _LOREM_LOCALES for w in provider_attr("lorem", loc, "word_list")]
    places = [
        word
        for loc in _PLACE_LOCALES
        for attr in _PLACE_ATTRS
        for place in provider_attr("address", loc, attr)
        for word in place.split()
    ]
    words = [*english, *STOP_WORDS, *lorem, *places, *street_suffixes()]
    return frozenset(w.casefold() for w in words)


def _english_words() -> set[str]:
    """Words both dictionaries of ``english-words`` have as common words: GCIDE's
    headwords that Webster's Second (web2) writes in lower case. A proper noun either
    has (``Krishna``, ``Penelope``, ``Otis``) is no common word, and stays a name."""
    sets = importlib.import_module("english_words").get_english_words_set
    lower_case = {word for word in sets(["web2"]) if word.islower()}
    return {word.casefold() for word in sets(["gcide"])} & lower_case


def names_file(words: list[str], kind: str) -> str:
    """A names file's text: a header, then a word a line."""
    header = (
        f"# {kind} names of Faker's wider locales, less common words and places.\n"
        "# Made by `python -m detectors.recognizers.wider_names_build`: do not edit.\n"
    )
    return header + "".join(f"{w}\n" for w in words)


def main() -> None:
    first, last = build()
    files: list[tuple[Path, list[str], str]] = [
        (FIRST_FILE, first, "Given"),
        (LAST_FILE, last, "Family"),
    ]
    for path, words, kind in files:
        path.write_text(names_file(words, kind), encoding="utf-8")
    print(f"{len(first)} given and {len(last)} family names", file=sys.stderr)


if __name__ == "__main__":
    main()
