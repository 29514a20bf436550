"""The committed samples are exactly what generate.py writes, and hold the dirt they promise."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import phonenumbers
import polars as pl
import pytest
import yaml
from polars.testing import assert_frame_equal

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
FILES = (
    "hubspot_contacts.parquet",
    "hubspot_contacts.tsv",
    "keap_contacts.csv",
    "keap_contacts.csv.gz",
    "mailchimp_audience.csv",
    "mailchimp_audience.ndjson",
)
# Physical line numbers (1-based, header is line 1) promised in data/samples/README.md.
KEAP_MALFORMED_LINE = 224
KEAP_BLANK_LINES = (116, 331, 332)
ENTITIES = {
    "EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "LOCATION", "STREET_ADDRESS", "POSTCODE",
    "DATE_OF_BIRTH", "IP_ADDRESS", "GEO_COORDINATE", "CRM_ID", "FREE_TEXT", None,
}  # fmt: skip
COUNTRY_REGIONS = {"United Kingdom": "GB", "United States": "US", "Germany": "DE", "France": "FR"}


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("samples_generate", SAMPLES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def regenerated(generate: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("samples")
    generate.main(out_dir)
    return out_dir


def read_records(text: str, delimiter: str = ",") -> list[tuple[int, list[str]]]:
    """(physical line where the record ends, fields) for every record after the header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)
    return [(reader.line_num, row) for row in reader]


def keap_text() -> str:
    return (SAMPLES / "keap_contacts.csv").read_bytes().decode("utf-8-sig")


def header_with_suffixes(header: list[str]) -> list[str]:
    """Rename repeated headers the way the reader does: the second 'Phone Number' -> '_2'."""
    seen: Counter[str] = Counter()
    names = []
    for name in header:
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


def file_columns(name: str) -> list[str]:
    path = SAMPLES / name
    if name.startswith("keap"):
        return next(csv.reader(io.StringIO(keap_text())))
    if name == "mailchimp_audience.csv":
        return next(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"))))
    if name.endswith(".ndjson"):
        return list(json.loads(path.read_text(encoding="utf-8").splitlines()[0]))
    if name.endswith(".tsv"):
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"))
        return header_with_suffixes(header)
    return list(pl.read_parquet_schema(path))


# --- regeneration ---------------------------------------------------------------------


def test_main_writes_exactly_the_committed_files(regenerated: Path) -> None:
    assert tuple(sorted(path.name for path in regenerated.iterdir())) == FILES


@pytest.mark.parametrize("name", FILES)
def test_regenerating_gives_the_committed_bytes(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (SAMPLES / name).read_bytes(), (
        f"{name} is stale: run `uv run python data/samples/generate.py` and commit the result"
    )


# --- Keap -----------------------------------------------------------------------------


def test_keap_starts_with_a_utf8_bom() -> None:
    assert (SAMPLES / "keap_contacts.csv").read_bytes().startswith(b"\xef\xbb\xbfId,")


def test_keap_has_exactly_one_row_with_the_wrong_field_count(generate: ModuleType) -> None:
    records = [(line, row) for line, row in read_records(keap_text()) if row]
    wrong = [line for line, row in records if len(row) != len(generate.KEAP_COLUMNS)]
    assert wrong == [KEAP_MALFORMED_LINE]
    assert len(records) == generate.KEAP_ROWS


def test_keap_has_blank_lines_in_the_middle() -> None:
    blank = [line for line, row in read_records(keap_text()) if not row]
    assert tuple(blank) == KEAP_BLANK_LINES


def test_keap_notes_hold_quoted_newlines() -> None:
    notes = [row[15] for _, row in read_records(keap_text()) if len(row) == 22]
    assert sum("\n" in note for note in notes) >= 10
    assert sum(note == "" for note in notes) >= 100


def test_keap_phone_cells_are_apostrophe_prefixed_padded_valid_numbers() -> None:
    rows = [row for _, row in read_records(keap_text()) if len(row) == 22 and row[5]]
    assert len(rows) > 300
    for row in rows:
        cell, country = row[5], row[12]
        assert cell.startswith("'"), "Keap writes '<number><spaces>"
        assert cell.endswith(" "), "Keap writes '<number><spaces>"
        if cell.startswith("'+") or country:
            number = phonenumbers.parse(cell[1:].strip(), COUNTRY_REGIONS.get(country))
            assert phonenumbers.is_valid_number(number)


def test_keap_gzip_holds_the_csv() -> None:
    packed = (SAMPLES / "keap_contacts.csv.gz").read_bytes()
    assert gzip.decompress(packed) == (SAMPLES / "keap_contacts.csv").read_bytes()


# --- Mailchimp ------------------------------------------------------------------------


def test_mailchimp_is_windows_1252_and_not_utf8() -> None:
    raw = (SAMPLES / "mailchimp_audience.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    for char in "éöß€’":
        assert char in text


def test_mailchimp_rows_all_have_the_header_width(generate: ModuleType) -> None:
    text = (SAMPLES / "mailchimp_audience.csv").read_bytes().decode("cp1252")
    rows = [row for _, row in read_records(text)]
    assert len(rows) == generate.MAILCHIMP_ROWS
    assert {len(row) for row in rows} == {len(generate.MAILCHIMP_COLUMNS)}


def test_mailchimp_ndjson_is_the_first_hundred_rows() -> None:
    text = (SAMPLES / "mailchimp_audience.csv").read_bytes().decode("cp1252")
    rows = [[value or None for value in row] for _, row in read_records(text)][:100]
    lines = (SAMPLES / "mailchimp_audience.ndjson").read_text(encoding="utf-8").splitlines()
    assert [list(json.loads(line).values()) for line in lines] == rows


# --- HubSpot --------------------------------------------------------------------------


def test_hubspot_has_a_duplicate_phone_number_header() -> None:
    header = file_columns("hubspot_contacts.tsv")
    assert header.count("Phone Number") == 1
    assert header[-1] == "Phone Number_2"


def test_hubspot_parquet_is_the_tsv_without_the_duplicate_column(generate: ModuleType) -> None:
    text = (SAMPLES / "hubspot_contacts.tsv").read_text(encoding="utf-8")
    rows = [[value or None for value in row[:-1]] for _, row in read_records(text, "\t")]
    columns = generate.HUBSPOT_COLUMNS[:-1]
    expected = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")
    assert expected.height == generate.HUBSPOT_ROWS
    assert_frame_equal(pl.read_parquet(SAMPLES / "hubspot_contacts.parquet"), expected)


# --- ground truth ---------------------------------------------------------------------


def test_expected_entities_name_every_column_of_every_file() -> None:
    expected = yaml.safe_load((SAMPLES / "expected_entities.yaml").read_text(encoding="utf-8"))
    assert sorted(expected) == sorted(FILES)
    for name, columns in expected.items():
        assert list(columns) == file_columns(name), name
        assert set(columns.values()) <= ENTITIES, name


# --- the benchmark export -------------------------------------------------------------


def test_big_keap_has_the_keap_columns_and_is_deterministic(
    generate: ModuleType, tmp_path: Path
) -> None:
    first = generate.write_big_keap(tmp_path / "a.csv", rows=3_000, seed=7)
    second = generate.write_big_keap(tmp_path / "b.csv", rows=3_000, seed=7)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(first, infer_schema=False)
    assert tuple(frame.columns) == generate.KEAP_COLUMNS
    assert frame.height == 3_000
    assert frame["Person Notes"].str.contains("@").sum() > 100
    assert frame["Email"].null_count() == 0
