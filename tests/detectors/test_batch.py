"""detect_batch skips a recognizer only where none of its hits could reach the threshold."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.batch import best_score, detect_batch
from detectors.recognizers.base import HEADER_BACKED_SCORE
from detectors.recognizers.crm_id import CrmIdRecognizer
from detectors.recognizers.date_of_birth import DateOfBirthRecognizer
from detectors.recognizers.phone import CrmPhoneRecognizer


def test_best_score_is_the_best_pattern_unless_the_recognizer_validates() -> None:
    assert best_score(CrmIdRecognizer()) == HEADER_BACKED_SCORE
    assert best_score(DateOfBirthRecognizer()) == 1.0  # a validated match scores the maximum
    assert best_score(CrmPhoneRecognizer()) == 1.0  # not pattern-based: anything goes


def test_ids_count_with_an_id_header_and_not_without(analyzer: AnalyzerEngine) -> None:
    values = ["10023", "10024", "88231"]

    def ids(context: list[str]) -> int:
        hits = detect_batch(analyzer, values, context=context, threshold=0.5)
        return sum(h.entity == e.CRM_ID for value_hits in hits for h in value_hits)

    assert ids(["id"]) == 3
    assert ids(["amount"]) == 0
