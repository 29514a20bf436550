"""pattern_hits gives what Presidio's own PatternRecognizer.analyze gives, over a floor."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer

from detectors.batch import SEPARATOR
from detectors.recognizers.base import found_in
from detectors.recognizers.pattern_hits import pattern_hits, runs_as_presidio

FLOORS = (0.0, 0.1, 0.3, 0.5, 0.9)


def _analyze(
    recognizer: PatternRecognizer, text: str, floor: float
) -> list[tuple[int, int, float]]:
    found = recognizer.analyze(text, list(recognizer.supported_entities))
    return sorted((r.start, r.end, r.score) for r in found if r.score >= floor)


def _ours(
    recognizer: PatternRecognizer, texts: list[str], floor: float
) -> list[list[tuple[int, int, float]]]:
    per_text: list[list[tuple[int, int, float]]] = [[] for _ in texts]
    for at, start, end, score in pattern_hits(recognizer, texts, floor):
        per_text[at].append((start, end, score))
    return [sorted(hits) for hits in per_text]


def _sample_texts(samples: Path) -> list[str]:
    """Each column of the Keap sample as the planner reads it (values joined), and a
    few single cells."""
    frame = pl.read_csv(
        samples / "keap_contacts.csv", infer_schema=False, truncate_ragged_lines=True
    )
    columns = [SEPARATOR.join(v for v in frame.get_column(c).to_list() if v) for c in frame.columns]
    cells = [v for c in frame.columns for v in frame.get_column(c).head(3).to_list() if v]
    return columns + cells


def test_every_plain_pattern_recognizer_finds_what_presidio_finds(
    analyzer: AnalyzerEngine, samples: Path
) -> None:
    texts = _sample_texts(samples)
    recognizers = [
        r
        for r in analyzer.registry.get_recognizers(language="en", all_fields=True)
        if runs_as_presidio(r)
    ]
    # Presidio's e-mail (validates), IP (invalidates), card (checksum), and ours
    assert {"EmailRecognizer", "IpRecognizer", "CreditCardRecognizer", "CrmIdRecognizer"} <= {
        type(r).__name__ for r in recognizers
    }
    found_any = 0
    for recognizer in recognizers:
        assert isinstance(recognizer, PatternRecognizer)
        for floor in FLOORS:
            ours = _ours(recognizer, texts, floor)
            assert ours == [_analyze(recognizer, text, floor) for text in texts], (
                type(recognizer).__name__,
                floor,
            )
            found_any += sum(map(len, ours))
    assert found_any > 1_000  # the sample holds e-mails, ids, postcodes, dates...


class _Shouty(PatternRecognizer):
    """Overlapping patterns, validation and invalidation, all in one."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="SHOUT",
            patterns=[
                Pattern("word", r"[A-Z]{3,}", 0.4),
                Pattern("pair", r"[A-Z]{3,} [A-Z]{3,}", 0.6),
                Pattern("weak pair", r"[A-Z]{3,} [A-Z]{3,}", 0.2),
                Pattern("first", r"[A-Z]{3}", 0.4),
                Pattern("empty", r"Z*", 0.9),
            ],
            global_regex_flags=0,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        if pattern_text.startswith("OK"):
            return True
        return False if pattern_text.startswith("NO") else None

    def invalidate_result(self, pattern_text: str) -> bool | None:
        return pattern_text.endswith("X")


def test_scores_and_duplicates_are_presidios() -> None:
    recognizer = _Shouty()
    texts = [
        "HELLO WORLD and OKAY THEN, NOPE, BOX and ABC DEF",
        "ZZZ",
        "",
        "lower case only",
        "OKAY OKAY OKAY NOPE NOPE",
    ]
    for floor in FLOORS:
        assert _ours(recognizer, texts, floor) == [_analyze(recognizer, t, floor) for t in texts]
    # the same hits come through found_in, the planner's way in
    (through,) = found_in(recognizer, [texts[0]], 0.3)
    assert sorted((h.start, h.end, h.score) for h in through) == _analyze(recognizer, texts[0], 0.3)


@pytest.mark.parametrize("name", ["CrmPhoneRecognizer", "PersonNameRecognizer", "IbanRecognizer"])
def test_recognizers_with_their_own_analyze_keep_it(analyzer: AnalyzerEngine, name: str) -> None:
    (recognizer,) = [
        r
        for r in analyzer.registry.get_recognizers(language="en", all_fields=True)
        if type(r).__name__ == name
    ]
    assert not runs_as_presidio(recognizer)
