"""A recognizer is skipped only where its Rust form finds nothing: it could not hit there."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine

from anonymise.io.readers import read_table
from detectors.batch import SEPARATOR
from detectors.candidates import as_series, candidate_regex, could_hit


def _recognizers(analyzer: AnalyzerEngine) -> list:  # type: ignore[type-arg]
    return list(analyzer.registry.get_recognizers(language="en", all_fields=True))


@pytest.mark.parametrize(
    "name", ["keap_contacts.csv", "mailchimp_audience.csv", "hubspot_contacts.tsv"]
)
def test_no_recognizer_hits_where_its_candidate_regex_finds_nothing(
    analyzer: AnalyzerEngine, samples: Path, name: str
) -> None:
    frame = read_table(str(samples / name)).frame
    for column in frame.columns:
        values = frame.get_column(column).drop_nulls().cast(pl.String).to_list()
        if not values:
            continue
        recognizers = _recognizers(analyzer)
        # all of a column's recognizers in one query, as classification asks
        hittable = could_hit(recognizers, as_series(values))
        for recognizer, could in zip(recognizers, hittable, strict=True):
            hits = recognizer.analyze(SEPARATOR.join(values), recognizer.supported_entities, None)
            if any(h.score > 0 for h in hits or []):
                assert could, (name, column, recognizer.name)


def test_values_without_candidates_are_skipped(analyzer: AnalyzerEngine) -> None:
    by_name = {r.name: r for r in _recognizers(analyzer)}
    assert candidate_regex(by_name["EmailRecognizer"]) is not None
    email, phone = by_name["EmailRecognizer"], by_name["CrmPhoneRecognizer"]
    assert could_hit([email, phone], as_series(["Open", "Closed", "12.50"])) == [False, False]
    assert could_hit([email, phone], as_series(["Open", "jo@example.com"])) == [True, False]
    assert could_hit([phone], as_series(["Open", "Closed"])) == [False]
