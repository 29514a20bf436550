"""CRM record identifiers: numeric or opaque IDs, counted only with an ID header."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.recognizers.base import HEADER_BACKED_SCORE


class CrmIdRecognizer(PatternRecognizer):
    """An integer, a UUID or an opaque alphanumeric key ("Id", "Record ID", "LEID",
    "EUID"). Any number looks like this, so the header must back it."""

    ENTITY: ClassVar[str] = e.CRM_ID
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "UUID",
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
            HEADER_BACKED_SCORE,
        ),
        Pattern("integer id", r"\b\d{1,19}\b", HEADER_BACKED_SCORE),
        Pattern(
            "opaque key",
            r"\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{6,40}\b",
            HEADER_BACKED_SCORE,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="CrmIdRecognizer",
            patterns=self.PATTERNS,
            context=context_words(self.ENTITY),
        )
