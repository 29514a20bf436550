"""Geographic coordinates: a latitude/longitude pair, or one with header context."""

from __future__ import annotations

from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.recognizers.base import HEADER_BACKED_SCORE, TextIsland


class GeoCoordinateRecognizer(PatternRecognizer):
    """A decimal with at least three decimals within +-180; a pair "51.5074, -0.1278"
    stands on its own, a single value needs a header such as LATITUDE."""

    ENTITY: ClassVar[str] = e.GEO_COORDINATE
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "coordinate pair",
            r"(?<![\w.])[-+]?\d{1,2}\.\d{3,10},\s?[-+]?\d{1,3}\.\d{3,10}(?![\w.])",
            0.6,
        ),
        Pattern("coordinate", r"(?<![\w.])[-+]?\d{1,3}\.\d{3,10}(?![\w.])", HEADER_BACKED_SCORE),
    ]

    # Free text: the patterns look around (Rust regex cannot); a run of digits, signs,
    # dots, commas and blanks with a decimal of 3 places holds every hit.
    TEXT_ISLANDS: ClassVar[tuple[TextIsland, ...]] = (
        TextIsland(r"[-+\d.,\s]*\d\.\d{3}[-+\d.,\s]*"),
    )
    # validate_result only rejects: no hit scores above its pattern's score
    VALIDATION_ONLY_REJECTS: ClassVar[bool] = True

    # Free text: every pattern needs a digit; cells without one are not searched.
    TEXT_PREFILTER: ClassVar[str] = r"\d"

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="GeoCoordinateRecognizer",
            patterns=self.PATTERNS,
            context=context_words(self.ENTITY),
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject numbers outside the range of a coordinate."""
        parts = [p for p in pattern_text.replace(" ", "").split(",") if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            return False
        if len(values) == 2 and abs(values[0]) > 90:
            return False
        return None if all(abs(v) <= 180 for v in values) else False
