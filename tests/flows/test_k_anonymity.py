"""k-anonymity over an output's quasi-identifiers: measured on the written file,
small groups suppressed on request, only counts reported."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from anonymise.config import KAnonymityConfig
from anonymise.k_anonymity import k_anonymity
from flows.run_flow import anonymise_run

# Three groups over (Band, Area): 4 rows, 2 rows, and 1 row with a null area.
_ROWS = pl.DataFrame(
    {
        "Token": [f"tok_{i}" for i in range(7)],
        "Band": ["30-39"] * 4 + ["40-49"] * 2 + ["50-59"],
        "Area": ["SW1A"] * 4 + ["LS1"] * 2 + [None],
    }
)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_small_groups_are_counted_and_suppressed_on_request(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    _ROWS.write_parquet(path) if fmt == "parquet" else _ROWS.write_csv(path)
    spec = KAnonymityConfig(quasi_identifiers=("Band", "Area", "Gone"), k=3)
    measured = k_anonymity(path, fmt, spec, compression_level=1)
    assert measured.as_dict() == {
        "k": 3,
        "quasi_identifiers": ["Band", "Area"],
        "missing": ["Gone"],
        "groups": 3,
        "smallest_group": 1,
        "groups_below_k": 2,
        "rows_below_k": 3,
        "suppressed": 0,
    }
    before = path.read_bytes()
    assert k_anonymity(path, fmt, spec, compression_level=1).suppressed == 0
    assert path.read_bytes() == before  # measured, not touched
    suppressing = spec.model_copy(update={"suppress": True})
    assert k_anonymity(path, fmt, suppressing, compression_level=1).suppressed == 3
    kept = pl.read_parquet(path) if fmt == "parquet" else pl.read_csv(path)
    assert kept.get_column("Token").to_list() == [f"tok_{i}" for i in range(4)]  # in order


def test_nulls_are_one_value_and_no_declared_column_measures_nothing(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    pl.DataFrame({"Area": [None, None, "LS1"]}).write_parquet(path)
    measured = k_anonymity(
        path, "parquet", KAnonymityConfig(quasi_identifiers=("Area",), k=2), compression_level=1
    )
    assert (measured.groups, measured.smallest_group, measured.rows_below_k) == (2, 1, 1)
    none = k_anonymity(
        path, "parquet", KAnonymityConfig(quasi_identifiers=("Band",), k=2), compression_level=1
    )
    assert (none.quasi_identifiers, none.missing, none.groups) == ((), ("Band",), 0)


def test_a_run_measures_its_generalised_output_and_suppresses_small_groups(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from anonymise.records.chain import read_records

    rows = [f"{i},p{i}@example.com,1984-05-0{1 + i % 9},SW1A {i % 9}AA" for i in range(6)]
    rows += ["6,zq7x@example.com,1951-02-03,LS1 4AP"]  # alone in its birth year and area
    export = tmp_path / "contacts.csv"
    export.write_text("Id,Email,Birthday,Postcode\n" + "\n".join(rows) + "\n")
    config = tmp_path / "pipeline.yaml"
    config.write_text(
        "pipeline: k\noutput:\n  dir: out\nverify:\n  k_anonymity:\n"
        "    quasi_identifiers: [Birthday, Postcode]\n    k: 3\n    suppress: true\n"
    )
    caplog.set_level("WARNING")
    report = anonymise_run(str(config), inputs=[str(export)])
    (entry,) = report["inputs"]
    assert entry["k_anonymity"]["rows_below_k"] == entry["k_anonymity"]["suppressed"] == 1
    assert entry["rows_out"] == report["rows_out"] == 6
    output = pl.read_parquet(entry["output"])
    assert output.height == 6
    assert "1951" not in output.get_column("Birthday").to_list()
    assert "1 row(s) in 1 group(s) smaller than k=3 suppressed" in caplog.text
    assert "1951" not in caplog.text
    assert "LS1" not in caplog.text
    (record,) = read_records(tmp_path / "records" / "processing.jsonl")
    (published,) = record["data"]["outputs"]
    assert published["rows"] == 6
    assert published["k_anonymity"]["suppressed"] == 1
    assert (
        "k-anonymity measured (k=3) over Birthday, Postcode, rows of smaller groups suppressed"
        in record["art30"]["security_measures"]
    )
    assert "1951" not in json.dumps(record)


def test_a_blank_is_one_value_with_null(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text('Area,Id\n"",1\n,2\n"  ",3\nLS1,4\n')  # CSV: "" and a missing cell
    measured = k_anonymity(
        path, "csv", KAnonymityConfig(quasi_identifiers=("Area",), k=2), compression_level=1
    )
    assert (measured.groups, measured.rows_below_k) == (2, 1)


def test_a_quasi_identifier_named_like_a_formula_is_found_under_its_guard(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("'=Region,Id\nN,1\nN,2\nS,3\n")  # as the CSV writer guards the header
    spec = KAnonymityConfig(quasi_identifiers=("=Region",), k=2, suppress=True)
    measured = k_anonymity(path, "csv", spec, compression_level=1)
    assert (measured.quasi_identifiers, measured.missing, measured.suppressed) == (
        ("=Region",),
        (),
        1,
    )
    assert path.read_text() == "'=Region,Id\nN,1\nN,2\n"


def test_a_quasi_identifier_named_twice_is_a_config_error(tmp_path: Path) -> None:
    from anonymise.config import load_config
    from anonymise.errors import ConfigError

    config = tmp_path / "pipeline.yaml"
    config.write_text("pipeline: k\nverify:\n  k_anonymity:\n    quasi_identifiers: [Area, Area]\n")
    with pytest.raises(
        ConfigError, match=r"verify\.k_anonymity\.quasi_identifiers.*'Area' is named twice"
    ):
        load_config(config)
