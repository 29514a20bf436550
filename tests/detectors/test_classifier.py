"""The classifier against the sample exports' ground truth (expected_entities.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from presidio_analyzer import AnalyzerEngine

from anonymise.io.readers import read_table
from detectors.classifier import classify_column, classify_frame
from detectors.settings import DetectionSettings

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
EXPECTED: dict[str, dict[str, str | None]] = yaml.safe_load(
    (SAMPLES / "expected_entities.yaml").read_text()
)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_column_gets_its_entity(analyzer: AnalyzerEngine, name: str) -> None:
    frame = read_table(str(SAMPLES / name)).frame
    findings = classify_frame(frame, analyzer, DetectionSettings())
    assert {f.name: f.entity for f in findings} == EXPECTED[name]


def test_classification_is_deterministic(analyzer: AnalyzerEngine) -> None:
    frame = read_table(str(SAMPLES / "keap_contacts.csv")).frame
    first = classify_frame(frame, analyzer, DetectionSettings())
    again = classify_frame(frame, analyzer, DetectionSettings())
    assert first == again


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_columns_classified_side_by_side_are_found_as_one_by_one(
    analyzer: AnalyzerEngine, name: str
) -> None:
    frame = read_table(str(SAMPLES / name)).frame
    settings = DetectionSettings()
    one_by_one = [
        classify_column(c, frame.get_column(c), analyzer, settings) for c in frame.columns
    ]
    assert classify_frame(frame, analyzer, settings) == one_by_one


def test_an_empty_frame_has_no_findings(analyzer: AnalyzerEngine) -> None:
    frame = read_table(str(SAMPLES / "keap_contacts.csv")).frame.clear()
    findings = classify_frame(frame, analyzer, DetectionSettings())
    # no values: the header alone decides, with low confidence
    assert {f.name: f.entity for f in findings}["Email"] == "EMAIL_ADDRESS"
    assert all(f.confidence <= 0.5 for f in findings if f.entity)


def test_a_bare_name_column_needs_dictionary_support(analyzer: AnalyzerEngine) -> None:
    import polars as pl

    from detectors.classifier import classify_column

    plans = pl.Series(["Premium Plan", "Starter", "Enterprise Suite", "Team Plus"] * 30)
    people = pl.Series(["Jane Smith", "Peter Jones", "Maria Garcia", "Hans Müller"] * 30)
    settings = DetectionSettings()
    assert classify_column("Name", plans, analyzer, settings).entity is None
    assert classify_column("Name", people, analyzer, settings).entity == "PERSON"


@pytest.mark.parametrize(
    ("header", "cell"),
    [
        ("Lead Source", "Referred by Liam Brown ({i}.liam@outlook.com)"),
        ("Lead Status", "Moved - new email is ann{i}@yahoo.com"),
        ("Tags", "vip; call back on +44 7911 123{i:03d} after six"),
    ],
)
def test_a_not_personal_header_does_not_hide_contacts_in_its_text(
    analyzer: AnalyzerEngine, header: str, cell: str
) -> None:
    import polars as pl

    values = pl.Series([cell.format(i=i) for i in range(60)])
    finding = classify_column(header, values, analyzer, DetectionSettings())
    assert finding.entity == "FREE_TEXT"


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        ("Lead Status", ["Open - call back", "Closed - won the deal", "Nurture for Q3 campaign"]),
        ("Lead Source", [f"Webinar {i} on data privacy for teams" for i in range(40)]),
    ],
)
def test_a_not_personal_header_keeps_text_without_contacts(
    analyzer: AnalyzerEngine, header: str, cells: list[str]
) -> None:
    import polars as pl

    finding = classify_column(header, pl.Series(cells * 20), analyzer, DetectionSettings())
    assert finding.entity is None


@pytest.mark.parametrize(
    ("header", "cells", "entity"),
    [
        # a handful of values, but what the header says: a small team
        ("Contact owner", ["Sam Okafor", "Priya Raman"], "PERSON"),
        ("Created By", ["Jane Doe"], "PERSON"),  # a person, not a creation date
        ("Sales Rep", ["Priya Raman", "Sam Okafor", "Ann Lee"], "PERSON"),
        # a "not personal" header over phone numbers written as such: the numbers win
        ("Status", [f"+44 20 7946 {1000 + i}" for i in range(25)], "PHONE_NUMBER"),
        # flags, codes and ids under headers that could name a person or a place
        ("Owner", ["Yes", "No"], None),
        ("State", ["Active", "Inactive"], None),
        ("Region", ["EMEA", "APAC", "AMER"], None),
        ("Town", ["Y", "N"], None),
        ("District", ["1", "2", "3"], None),
        ("City", ["London", "Leeds", "York"], None),  # places need NER to be told
        ("Sales Rep Territory", ["North", "South"], None),
        # what follows a role decides
        ("Created By ID", [f"0055g00000AbCd{i:03d}" for i in range(25)], "CRM_ID"),
        ("Created By Name", ["Jane Doe", "Sam Okafor", "Priya Raman", "Ann Lee"], "PERSON"),
        ("Last Modified By Name", ["Jane Doe", "Sam Okafor", "Ann Lee", "Bob Jones"], "PERSON"),
        # valid phone numbers, however written, beat a "not personal" header
        ("Company Phone", [f"0207946{i:04d}" for i in range(25)], "PHONE_NUMBER"),
        ("Date Created", ["2024-01-15", "2024-02-01"], None),
    ],
)
def test_few_distinct_values_and_role_headers(
    analyzer: AnalyzerEngine, header: str, cells: list[str], entity: str | None
) -> None:
    import polars as pl

    values = pl.Series((cells * 30)[:60])
    assert classify_column(header, values, analyzer, DetectionSettings()).entity == entity


@pytest.mark.parametrize(
    ("header", "cells", "entity"),
    [
        # numbers libphonenumber refuses (Ofcom's drama range; so would be a range newer
        # than its metadata, or a typo) but written as phone numbers: phones all the same
        ("Line", [f"+44 7700 900{i:03d}" for i in range(40)], "PHONE_NUMBER"),
        ("Alt", [f"(+44) 7700 900{i:03d}" for i in range(40)], "PHONE_NUMBER"),
        ("Direct", [f"+44 7700 900{i:03d} ext. {i}" for i in range(40)], "PHONE_NUMBER"),
        ("Backup", [f"0044 7700 900{i:03d}" for i in range(40)], "PHONE_NUMBER"),
        # a header with a say of its own keeps it: shape alone is weaker evidence
        ("Status", [f"+44 7700 900{i:03d}" for i in range(40)], None),
        # what is not written as a phone number stays what it was
        ("Ref", [f"00{i:08d}" for i in range(40)], None),  # zero-padded ids
        ("Code", [f"009-3136-7{i:03d}" for i in range(40)], None),  # no country is 9
        ("Amount", [f"12345{i:03d}.90" for i in range(40)], None),
        ("Balance", [f"+49923{i:02d}.85" for i in range(40)], None),  # signed amounts
        ("Version", [f"10.0.19{i:03d}" for i in range(40)], None),
    ],
)
def test_a_column_written_as_phone_numbers_is_one_when_libphonenumber_refuses_them(
    analyzer: AnalyzerEngine, header: str, cells: list[str], entity: str | None
) -> None:
    import polars as pl

    finding = classify_column(header, pl.Series(cells), analyzer, DetectionSettings())
    assert finding.entity == entity
    if entity:
        assert finding.evidence.decided_by == "shape"
