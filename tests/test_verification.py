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


def test_a_phone_number_with_a_glued_extension_is_a_residual(analyzer: AnalyzerEngine) -> None:
    frame = pl.DataFrame({"Notes": ["ring 212-736-5000x12 today", "no contact", None]})
    planned = _planned(("Notes", "FREE_TEXT", "redact_text"))
    residuals = verify_frame(frame, planned, analyzer, DetectionSettings())
    assert {(r.column, r.entity, r.cells) for r in residuals} == {("Notes", "PHONE_NUMBER", 1)}


def test_allow_listed_values_are_not_residuals(analyzer: AnalyzerEngine) -> None:
    frame = pl.DataFrame({"Email": ["support@ourco.example", "tok_1"]})
    planned = _planned(("Email", "EMAIL_ADDRESS", "pseudonymise"))
    settings = DetectionSettings()
    assert (
        verify_frame(frame, planned, analyzer, settings, allow_values=["Support@OurCo.example"])
        == []
    )


def test_the_range_labels_of_generalise_are_not_residuals(analyzer: AnalyzerEngine) -> None:
    # "1000-1999" reads like a phone number: a bucketed amount made every run exit 3
    from transforms.generalise import bucket

    amounts = pl.DataFrame({"Total": [str(1250 + 1000 * i) for i in range(20)]})
    labelled = amounts.select(bucket(pl.col("Total"), width=1000))
    assert labelled.get_column("Total")[0] == "1000-1999"
    generalised = planned_column("Total", None, "generalise", {"to": "bucket", "width": 1000})
    assert verify_frame(labelled, _planned_input(generalised), analyzer, DetectionSettings()) == []
    # the same cells under another action are still checked
    masked = planned_column("Total", "PHONE_NUMBER", "mask")
    found = verify_frame(labelled, _planned_input(masked), analyzer, DetectionSettings())
    assert [r.entity for r in found] == ["PHONE_NUMBER"]


def _planned_input(column: object) -> PlannedInput:
    return planned_input(column, rows=20)  # type: ignore[arg-type]
