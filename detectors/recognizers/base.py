"""Shared pieces of the project's own Presidio recognizers."""

from __future__ import annotations

import re
from typing import Final

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

# Case matters for names and postcodes, so our pattern recognizers do not use
# Presidio's default IGNORECASE.
CASE_SENSITIVE_FLAGS: Final = re.DOTALL | re.MULTILINE

# Scores of evidence that only counts when the header (Presidio context) backs it.
# The analyzer adds CONTEXT_BOOST when a context word is present, so such a match
# passes the default threshold (0.5) only with header support.
HEADER_BACKED_SCORE: Final = 0.1
CONTEXT_BOOST: Final = 0.45


def recognizer_name(recognizer: EntityRecognizer) -> str:
    """The recognizer's name (Presidio sets it untyped in ``__init__``)."""
    return str(recognizer.name)  # type: ignore[has-type]


def result(
    recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float
) -> RecognizerResult:
    """A RecognizerResult carrying the metadata Presidio's context enhancer needs."""
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=recognizer_name(recognizer), original_score=score
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer_name(recognizer),
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )
