"""detect_batch skips a recognizer only where none of its hits could reach the threshold."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.batch import best_score, detect_batch
from detectors.recognizers.base import HEADER_BACKED_SCORE, found_in
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


PHONE_LIKE = ["2079460123", "02079460123", "+44 20 7946 0123", "4155550199", "1234567", "0012"]


def test_bare_numbers_are_phone_numbers_only_with_a_phone_header(analyzer: AnalyzerEngine) -> None:
    def phones(context: list[str], threshold: float) -> list[list[float]]:
        hits = detect_batch(analyzer, PHONE_LIKE, context=context, threshold=threshold)
        return [[h.score for h in found if h.entity == e.PHONE_NUMBER] for found in hits]

    with_header = phones(["phone"], 0.5)
    # bare and valid: the header lifts them
    assert with_header[0] == with_header[3] == [HEADER_BACKED_SCORE + 0.45]
    without = phones([], 0.5)
    assert without[0] == without[3] == []  # not validated at all: could not count
    assert without[1:3] == [[0.75], [0.85]]  # formatted ones still count
    # A hit exactly at the threshold counts, as it does for every other recognizer.
    assert phones(["phone"], HEADER_BACKED_SCORE + 0.45)[0]


def test_hits_above_a_floor_are_analyze_less_the_hits_under_it() -> None:
    recognizer = CrmPhoneRecognizer()
    text = " ; ".join(PHONE_LIKE)
    everything = recognizer.analyze(text, [e.PHONE_NUMBER])
    for floor in (0.0, HEADER_BACKED_SCORE, 0.5, 0.8, 0.9):
        (above,) = found_in(recognizer, [text], floor)
        assert [(hit.start, hit.end, hit.score) for hit in above] == [
            (r.start, r.end, r.score) for r in everything if r.score >= floor
        ]
