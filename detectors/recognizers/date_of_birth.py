"""Dates of birth: any common date shape, counted only with birth-date header context."""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.recognizers.base import HEADER_BACKED_SCORE

_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")


class DateOfBirthRecognizer(PatternRecognizer):
    """A date is not personal by itself (a creation date is not): the base score is
    too low to count unless the header speaks of birth. Years outside 1900-today
    are rejected."""

    ENTITY: ClassVar[str] = e.DATE_OF_BIRTH
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("ISO date", r"\b(?:19|20)\d\d-[01]?\d-[0-3]?\d\b", HEADER_BACKED_SCORE),
        Pattern(
            "day-first date", r"\b[0-3]?\d[./-][01]?\d[./-](?:19|20)\d\d\b", HEADER_BACKED_SCORE
        ),
        Pattern("month-first date", r"\b[01]?\d/[0-3]?\d/(?:19|20)\d\d\b", HEADER_BACKED_SCORE),
        Pattern(
            "written date",
            r"\b[0-3]?\d\.? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? "
            r"(?:19|20)\d\d\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? "
            r"[0-3]?\d,? (?:19|20)\d\d\b",
            HEADER_BACKED_SCORE,
        ),
    ]

    # validate_result only rejects: no hit scores above its pattern's score
    VALIDATION_ONLY_REJECTS: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="DateOfBirthRecognizer",
            patterns=self.PATTERNS,
            context=context_words(self.ENTITY),
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject dates whose year cannot be a living person's birth year."""
        year = _YEAR.search(pattern_text)
        if year is None or not 1900 <= int(year.group()) <= date.today().year:
            return False
        return None
