"""Street addresses: English, German and French shapes, stronger with header context."""

from __future__ import annotations

import re
from typing import ClassVar, Final

from presidio_analyzer import Pattern, PatternRecognizer

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.recognizers.base import CASE_SENSITIVE_FLAGS, HEADER_BACKED_SCORE
from detectors.recognizers.dictionaries import street_suffixes

_CAP = r"[^\W\d_a-z][^\W\d_]*"
# "3 Month Pass", "2 Day Course", "10 Visit Pass": a count of something, not a house
# number, though Pass and Course are street suffixes
_UNITS: Final = "day week month year hour minute night visit session lesson seat ticket credit"
_COUNTED: Final = frozenset(
    [*_UNITS.split(), *(unit + "s" for unit in _UNITS.split()), "class", "classes", "people"]
)
_FIRST_WORD: Final = re.compile(r"\d{1,5}[A-Za-z]?,?\s+([^\W\d_]+)")
_UNIT = r"(?:(?:Flat|Apt\.?|Apartment|Suite|Unit|Studio)\s+\d+[A-Za-z]?[,\s]+)?"


def _patterns() -> list[Pattern]:
    suffixes = "|".join(street_suffixes())
    return [
        Pattern(
            "English street",
            rf"\b{_UNIT}\d{{1,5}}[A-Za-z]?,?\s+(?:{_CAP}\s+){{1,4}}(?:{suffixes})\b\.?"
            rf"(?:\s+(?:Apt\.|Suite)\s+\d+)?",
            0.6,
        ),
        Pattern(
            "German street",
            r"\b[^\W\d_a-z][\w.-]*(?:straße|strasse|str\.|weg|platz|gasse|allee|ring|damm"
            r"|ufer|chaussee|Straße|Weg|Platz|Gasse|Allee)\s+\d{1,4}(?:[-/]\d{1,4})?[a-z]?\b",
            0.6,
        ),
        Pattern(
            "French street",
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin"
            r"|allée|impasse|quai|route|cours)\s+[^\n,]{2,40}",
            0.6,
        ),
        Pattern(
            "number and words",
            rf"\b{_UNIT}\d{{1,5}}[A-Za-z]?,?\s+(?:{_CAP}\s*){{1,4}}",
            HEADER_BACKED_SCORE,
        ),
    ]


class StreetAddressRecognizer(PatternRecognizer):
    """A house number with capitalised words ending in a street suffix ("12 Baker
    Street", "Hauptstraße 5", "12, rue de la Paix"). A bare number and words counts
    only where the header says street or address."""

    ENTITY: ClassVar[str] = e.STREET_ADDRESS

    # Free text: every pattern needs a digit; cells without one are not searched.
    TEXT_PREFILTER: ClassVar[str] = r"\d"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="StreetAddressRecognizer",
            patterns=_patterns(),
            context=context_words(self.ENTITY),
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """A number followed by a unit ("3 Month Pass") counts, it does not address."""
        first = _FIRST_WORD.search(pattern_text)
        return first is not None and first.group(1).casefold() in _COUNTED
