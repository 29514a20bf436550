"""Person names from first- and last-name dictionaries, with header context."""

from __future__ import annotations

import re
from typing import ClassVar, Final

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.recognizers.base import result
from detectors.recognizers.dictionaries import (
    first_names,
    fold,
    last_names,
    place_prefixes,
    street_words,
)

# A capitalised word: "Jane", "O'Neil", "Müller", "JANE"; names are never lower-case here.
# Its parts may be joined by an apostrophe or a hyphen, typographic ones too ("O’Neil",
# "Evans–Thompson" with an en dash, as word processors write them); a part after a hyphen
# starts as a word does ("Smith–he will call" is "Smith", then a word).
# Rust's word class (the vectorised scanner's) holds combining marks, Python's does not:
# they are spelled out, so "Zoë" written decomposed (e, then U+0308) is one word in both.
_LETTER = "(?:[^\\W\\d_]|[\u0300-\u036f])"
_WORD = re.compile(
    rf"\b[^\W\d_a-z]{_LETTER}*(?:['’]{_LETTER}+|[‐‑‒–-][^\W\d_a-z]{_LETTER}*)*"
    r"(?![\w\u0300-\u036f])"
)


def is_name(word: str, first: frozenset[str], last: frozenset[str]) -> bool:
    """Whether a word is a known name; a double-barrelled one ("Morgan-Lawrence",
    "Smith-Fotheringham", "Jean-Paul") is when its first part is."""
    folded = fold(word)
    opening = folded.split("-", 1)[0]
    return folded in first or folded in last or opening in first or opening in last


def is_first_name(word: str, first: frozenset[str]) -> bool:
    """Whether a word is a known first name ("Jeanne-Agathe" when its first part is)."""
    folded = fold(word)
    return folded in first or folded.split("-", 1)[0] in first


def family_name_first(opening: str, closing: str, first: frozenset[str]) -> bool:
    """Whether a run of known names from ``opening`` to ``closing`` is a name written
    family name first ("Nagy István", "Suzuki Yuta", "Wang Wei"): it ends in a first
    name, and is no place ("North Carolina", "West Virginia") nor street ("Barnes Glen")."""
    return (
        is_first_name(closing, first)
        and fold(opening) not in place_prefixes()
        and fold(opening) not in _NO_FAMILY_NAME
        and fold(closing) not in street_words()
        and fold(closing) not in _NO_GIVEN_NAME
    )


# Words that open a phrase, not a name written family name first ("The May invoice",
# "Early June", "Sales April targets", "Prince Edward Island"), and words a phrase closes
# on that are dates, not given names ("Sales Summer", "Good May").
_NO_FAMILY_NAME: Final = frozenset(STOP_WORDS) | frozenset(
    (
        *("early", "late", "mid", "good", "great", "dear", "happy", "merry", "sales"),
        *("king", "queen", "prince", "princess", "lord", "lady", "sir", "dame", "judge"),
        *("saint", "pope", "father", "mother", "brother", "sister", "uncle", "aunt"),
    )
)
_NO_GIVEN_NAME: Final = frozenset(
    (
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "spring", "summer", "autumn"),
        *("fall", "winter", "monday", "tuesday", "wednesday", "thursday", "friday"),
        *("saturday", "sunday", "easter", "christmas"),
    )
)


class PersonNameRecognizer(LocalRecognizer):
    """A run of capitalised dictionary names.

    "Jane Doe" (a first name then any known name; "Ann Morgan-Lawrence"; or known names
    ending in a first name, "Nagy István", as ``family_name_first`` says) scores 0.7; a
    single known name scores 0.35, which counts only with header context ("First Name",
    "Nachname").
    """

    ENTITY: ClassVar[str] = e.PERSON
    FULL_NAME_SCORE: ClassVar[float] = 0.7
    SINGLE_NAME_SCORE: ClassVar[float] = 0.35

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            name="PersonNameRecognizer",
            context=context_words(self.ENTITY),
        )

    def load(self) -> None:
        self.first = first_names()
        self.last = last_names()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = []
        run: list[re.Match[str]] = []
        for match in [*_WORD.finditer(text), None]:
            known = match is not None and self._is_name(match.group())
            adjacent = bool(run) and match is not None and self._adjacent(text, run[-1], match)
            if known and match is not None and (not run or adjacent):
                run.append(match)
                continue
            if run:
                found.append(self._span(run))
            run = [match] if known and match is not None else []
        return found

    def _is_name(self, word: str) -> bool:
        return is_name(word, self.first, self.last)

    @staticmethod
    def _adjacent(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
        return text[left.end() : right.start()] in (" ", "-")

    def _span(self, run: list[re.Match[str]]) -> RecognizerResult:
        opening, closing = run[0].group(), run[-1].group()
        full = len(run) >= 2 and (
            is_first_name(opening, self.first) or family_name_first(opening, closing, self.first)
        )
        score = self.FULL_NAME_SCORE if full else self.SINGLE_NAME_SCORE
        return result(self, self.ENTITY, run[0].start(), run[-1].end(), score)
