"""verify_frame: residual personal data in transformed columns, by name and count only."""

from __future__ import annotations

import polars as pl
from presidio_analyzer import AnalyzerEngine

from anonymise.plan import PlannedInput
from anonymise.verification import verify_frame
from detectors.settings import DetectionSettings
from tests.planned import planned_column, planned_input


def _planned(*columns: tuple[str, str | None, str]) -> PlannedInput:
    return planned_input(*(planned_column(*column) for column in columns), rows=3)


def test_a_column_meant_to_be_clean_that_still_holds_emails_is_a_residual(
    analyzer: AnalyzerEngine,
) -> None:
    frame = pl.DataFrame(
        {
            "Email": ["jane@example.com", "tok_3f2a9c", "omar@example.org"],
            "Token": ["tok_9a8b7c6d", "tok_1a2b3c4d", None],
            "Notes": ["mail me at jo@example.net", "no contact", None],
            "Kept": ["bob@example.com", "x", "y"],
        }
    )
    planned = _planned(
        ("Email", "EMAIL_ADDRESS", "pseudonymise"),
        ("Token", "EMAIL_ADDRESS", "pseudonymise"),
        ("Notes", "FREE_TEXT", "redact_text"),
        ("Kept", None, "keep"),
    )
    residuals = verify_frame(frame, planned, analyzer, DetectionSettings())
    found = {(r.column, r.entity): (r.cells, r.sampled) for r in residuals}
    assert found == {("Email", "EMAIL_ADDRESS"): (2, 3), ("Notes", "EMAIL_ADDRESS"): (1, 2)}


def test_allow_listed_values_are_not_residuals(analyzer: AnalyzerEngine) -> None:
    frame = pl.DataFrame({"Email": ["support@ourco.example", "tok_1"]})
    planned = _planned(("Email", "EMAIL_ADDRESS", "pseudonymise"))
    settings = DetectionSettings()
    assert (
        verify_frame(frame, planned, analyzer, settings, allow_values=["Support@OurCo.example"])
        == []
    )
