"""Postal codes: UK postcodes by their strict shape, other European codes with header backing."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.recognizers.base import CASE_SENSITIVE_FLAGS, HEADER_BACKED_SCORE

_UK = (
    r"\b(?:GIR ?0AA"
    r"|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)


class PostcodeRecognizer(PatternRecognizer):
    """UK postcodes on their own; DE/FR/ES/IT (5 digits), NL (1234 AB), US ZIP+4 and
    AT/CH/BE/DK (4 digits) only where the header says postal code."""

    ENTITY: ClassVar[str] = e.POSTCODE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("UK postcode", _UK, 0.6),
        Pattern("US ZIP+4", r"\b\d{5}-\d{4}\b", 0.3),
        Pattern("NL postcode", r"\b[1-9]\d{3} ?[A-Z]{2}\b", HEADER_BACKED_SCORE),
        Pattern("5-digit postal code", r"\b\d{5}\b", HEADER_BACKED_SCORE),
        Pattern("4-digit postal code", r"\b[1-9]\d{3}\b", HEADER_BACKED_SCORE),
    ]

    # Free text: every pattern needs a digit; cells without one are not searched.
    TEXT_PREFILTER: ClassVar[str] = r"\d"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="PostcodeRecognizer",
            patterns=self.PATTERNS,
            context=context_words(self.ENTITY),
            global_regex_flags=CASE_SENSITIVE_FLAGS,
        )
