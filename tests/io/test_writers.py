"""Atomic writes and the formula guard of CSV output."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.errors import ConfigError
from anonymise.io.writers import check_output_names, guard_formulas, output_name, write_frame


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+44 20 7946 0123", "'+44 20 7946 0123"),  # a phone looks like a formula too
        ("-5", "-5"),  # a plain number is read as the number it is
        ("-5.00", "-5.00"),
        ("-12,50", "-12,50"),  # decimal commas, as European exports write amounts
        ("-1.234,56", "-1.234,56"),
        ("-1,234.56", "-1,234.56"),
        ("-1 234,56", "-1 234,56"),  # French, with a space or a no-break space
        ("-1\u202f234,56", "-1\u202f234,56"),
        ("-1 2", "'-1 2"),
        ("-1,2,3+cmd", "'-1,2,3+cmd"),
        ("-,", "'-,"),
        ("+1e3", "+1e3"),
        ("-5+cmd|' /C calc'!A0", "'-5+cmd|' /C calc'!A0"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),  # only the first character matters
        ("", ""),
        (None, None),
        ("Ünïcödé", "Ünïcödé"),
    ],
)
def test_guard_formulas(cell: str | None, written: str | None) -> None:
    frame = pl.DataFrame({"c": [cell]}, schema={"c": pl.String})
    assert guard_formulas(frame)["c"][0] == written


def test_guard_prefixes_a_column_name_that_is_a_formula() -> None:
    frame = pl.DataFrame({"Id": ["1"], "=cmd|' /C calc'!A0": ["x"], "@note": ["y"]})
    assert guard_formulas(frame).columns == ["Id", "'=cmd|' /C calc'!A0", "'@note"]


def test_guard_leaves_numbers_and_empty_frames_alone() -> None:
    frame = pl.DataFrame({"n": [-1, 2]})
    assert_frame_equal(guard_formulas(frame), frame)
    empty = pl.DataFrame(schema={"c": pl.String})
    assert_frame_equal(guard_formulas(empty), empty)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_write_frame_leaves_no_temporary_file(tmp_path: Path, fmt: str) -> None:
    frame = pl.DataFrame({"c": ["a", "=b"]})
    target = write_frame(frame, tmp_path / f"out.{fmt}", fmt)  # type: ignore[arg-type]
    assert [p.name for p in tmp_path.iterdir()] == [f"out.{fmt}"]
    back = pl.read_parquet(target) if fmt == "parquet" else pl.read_csv(target)
    assert back["c"].to_list() == (["a", "=b"] if fmt == "parquet" else ["a", "'=b"])


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("data/keap_contacts.csv", "keap_contacts.parquet"),
        ("s3://bucket/x/mailchimp.csv.gz", "mailchimp.parquet"),
        ("hubspot.tsv", "hubspot.parquet"),
        ("noext", "noext.parquet"),
        ("x/Export.CSV.GZ", "Export.parquet"),  # was Export.CSV.parquet
        ("x/Export.CSV.Zip", "Export.parquet"),
    ],
)
def test_output_name_is_the_input_stem(source: str, name: str) -> None:
    assert output_name(source, "parquet") == name


def test_a_binary_column_cannot_go_to_csv_and_is_named(tmp_path: Path) -> None:
    frame = pl.DataFrame({"Email": ["tok_1"], "Blob": [b"\x00\x01"]})
    with pytest.raises(ConfigError, match=r"column 'Blob' holds binary data, which a CSV"):
        write_frame(frame, tmp_path / "out.csv", "csv")
    assert list(tmp_path.iterdir()) == []
    assert write_frame(frame, tmp_path / "out.parquet", "parquet").is_file()


def test_parquet_is_zstd_at_the_given_level(tmp_path: Path) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    text = "".join(f"row {i} of a fairly repetitive column; " for i in range(2000))
    frame = pl.DataFrame({"c": [text] * 50})
    fast = write_frame(frame, tmp_path / "fast.parquet", "parquet", compression_level=1)
    small = write_frame(frame, tmp_path / "small.parquet", "parquet", compression_level=19)
    assert pq.ParquetFile(fast).metadata.row_group(0).column(0).compression == "ZSTD"
    assert small.stat().st_size < fast.stat().st_size  # the level reached the writer
    assert_frame_equal(pl.read_parquet(small), frame)


def test_output_compression_level_is_validated() -> None:
    from pydantic import ValidationError

    from anonymise.config import OutputConfig

    assert OutputConfig().compression_level == 1
    with pytest.raises(ValidationError, match="compression_level"):
        OutputConfig(compression_level=0)


@pytest.mark.parametrize(
    "sources",
    [
        ["exports/a/contacts.csv", "exports/b/contacts.csv"],
        ["good.csv", "good.json", "good.parquet"],
        ["good.csv.gz", "s3://bucket/good.csv"],
        ["Contacts.csv", "contacts.tsv"],  # one file on macOS and Windows
    ],
)
def test_inputs_published_under_one_name_are_refused(sources: list[str]) -> None:
    with pytest.raises(
        ConfigError, match=r"would both be written to '(?i:contacts|good)\.parquet'"
    ):
        check_output_names(sources, "parquet")


def test_inputs_with_their_own_names_pass() -> None:
    check_output_names(["a/contacts.csv", "a/contacts_2.csv", "b/leads.csv"], "csv")
