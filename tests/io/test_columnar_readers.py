"""Parquet, NDJSON and JSON keep their types; bad NDJSON lines are quarantined."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.errors import InputError
from anonymise.io import read_table
from tests.io.samples import put_memory_file

TYPED = pl.DataFrame(
    {
        "id": [1, 2],
        "email": ["ann@example.com", None],
        "score": [0.5, 1.5],
        "vip": [True, False],
        "tags": [["a"], []],
    }
)


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "file_format", "encoding"),
    [
        ("typed.parquet", _parquet(TYPED), "parquet", None),
        ("typed.json", TYPED.write_json().encode(), "json", "utf-8"),
        ("typed.ndjson", TYPED.write_ndjson().encode(), "ndjson", "utf-8"),
        ("typed.jsonl", TYPED.write_ndjson().encode(), "ndjson", "utf-8"),
        ("lines.json", TYPED.write_ndjson().encode(), "ndjson", "utf-8"),  # NDJSON in .json
        ("bom.json", b"\xef\xbb\xbf" + TYPED.write_json().encode(), "json", "utf-8-sig"),
    ],
)
def test_columnar_formats_keep_their_types(
    tmp_path: Path, name: str, data: bytes, file_format: str, encoding: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_table(str(path))
    assert_frame_equal(result.frame, TYPED)
    assert (result.format, result.encoding, result.delimiter) == (file_format, encoding, None)
    assert (result.blank_rows, result.quarantined, dict(result.renamed_columns)) == (0, (), {})


def test_parquet_keeps_dates_and_unicode(memory_root: str) -> None:
    frame = pl.DataFrame({"born": [date(1980, 1, 2)], "name": ["Łucja"], "zip": ["00123"]})
    result = read_table(put_memory_file(f"{memory_root}/x.parquet", _parquet(frame)))
    assert_frame_equal(result.frame, frame)


def test_bad_ndjson_lines_are_quarantined_with_their_line(tmp_path: Path) -> None:
    lines = [
        '{"id": 1, "email": "ann@example.com"}',  # 1
        "",  # 2 blank
        '{"id": 2, "email": "bob@example.com"',  # 3 truncated
        "[1, 2]",  # 4 not an object
        "   ",  # 5 blank
        '{"id": 3, "email": null}',  # 6
    ]
    path = tmp_path / "contacts.ndjson"
    path.write_bytes("\r\n".join(lines).encode() + b"\r\n")
    result = read_table(str(path))
    assert_frame_equal(
        result.frame, pl.DataFrame({"id": [1, 3], "email": ["ann@example.com", None]})
    )
    assert result.blank_rows == 2
    assert [(q.line, q.reason, q.raw) for q in result.quarantined] == [
        (3, "not valid JSON (Expecting ',' delimiter at column 37)", lines[2]),
        (4, "expected a JSON object, found list", lines[3]),
    ]
    assert result.records == 6


@pytest.mark.parametrize(
    ("data", "rows", "blank"),
    [
        (b'{"a": 1}\n\n{"a": 2}\n', 2, 1),
        (b'{"a": 1}\r\n   \r\n{"a": 2}', 2, 1),  # no final line break
        (b'\n{"a": 1}\n\n', 1, 2),
    ],
)
def test_ndjson_blank_lines_are_counted(tmp_path: Path, data: bytes, rows: int, blank: int) -> None:
    path = tmp_path / "x.ndjson"
    path.write_bytes(data)
    result = read_table(str(path))
    assert (result.frame.height, result.blank_rows) == (rows, blank)


def test_json_fields_missing_from_some_records_are_null(tmp_path: Path) -> None:
    path = tmp_path / "sparse.json"
    path.write_bytes(b'[{"a": "x"}, {"b": 2}, {}]')
    expected = pl.DataFrame({"a": ["x", None, None], "b": [None, 2, None]})
    assert_frame_equal(read_table(str(path)).frame, expected)


def test_parquet_without_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    path.write_bytes(_parquet(TYPED.clear()))
    with pytest.raises(InputError, match=r"^input '.*empty\.parquet': has columns but no rows;"):
        read_table(str(path))
