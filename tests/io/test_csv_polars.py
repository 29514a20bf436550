"""Polars' frame is kept only where the bytes prove it whole; the csv module is the
reference for what a whole frame holds."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.io import csv_reader, read_table
from anonymise.io.blank_rows import drop_blank_rows
from anonymise.io.csv_fallback import read_with_csv_module
from anonymise.io.csv_header import read_header
from anonymise.io.csv_polars import PolarsRead, read_with_polars
from anonymise.io.encoding import to_utf8
from tests.io.samples import DIRTY_FRAME, DIRTY_LINES, strings


def polars_frame(data: bytes) -> pl.DataFrame | None:
    text = to_utf8("test.csv", data)
    header = read_header("test.csv", text.body, prefer_tab=False)
    return read_with_polars("test.csv", text, header, local_path=None).frame


def csv_module_read(data: bytes) -> tuple[pl.DataFrame, int, int]:
    text = to_utf8("test.csv", data)
    header = read_header("test.csv", text.body, prefer_tab=False)
    frame, blank, ragged = read_with_csv_module(
        str(text.body[header.byte_length :], "utf-8"), header
    )
    return frame, blank, len(ragged)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\n1,2\n3,4\n", {"a": ["1", "3"], "b": ["2", "4"]}),
        (b"a,b\r\n1,2\r\n3,4", {"a": ["1", "3"], "b": ["2", "4"]}),  # no final line break
        # empty cells, quoted or not, are null; a doubled quote is one quote
        (b'a,b,c\n"",,"say ""hi"""\n', {"a": [None], "b": [None], "c": ['say "hi"']}),
        # the last fields empty: whole, not short
        (b"a,b,c\n1,,\n,,\n", {"a": ["1", None], "b": [None, None], "c": [None, None]}),
        # line breaks in values: LF in an LF file, CRLF in a CRLF file
        (b'a,b\n"x\ny",1\n', {"a": ["x\ny"], "b": ["1"]}),
        (b'a,b\r\n"x\r\ny",1\r\n', {"a": ["x\r\ny"], "b": ["1"]}),
        # blank lines at the end are rows of nulls, for the blank-row count
        (b"a,b\n1,2\n\n\n", {"a": ["1", None, None], "b": ["2", None, None]}),
        (b"a,b\r\n1,2\r\n\r\n", {"a": ["1", None], "b": ["2", None]}),
        ('a;b\nZoë;"1;2"\n'.encode(), {"a": ["Zoë"], "b": ["1;2"]}),
        (b"\xef\xbb\xbfa\nx\n\ny\n", {"a": ["x", None, "y"]}),  # one column: no short rows
        # a header over two lines
        (b'"a\nb",c\n1,2\n', {"a\nb": ["1"], "c": ["2"]}),
        (b"\n\nsep=;\r\na;b\r\n1;2\r\n", {"a": ["1"], "b": ["2"]}),  # lines before the header
    ],
)
def test_a_whole_frame_is_kept(data: bytes, expected: dict[str, list[str | None]]) -> None:
    frame = polars_frame(data)
    assert frame is not None
    assert_frame_equal(frame, strings(expected))


@pytest.mark.parametrize(
    "data",
    [
        b"a,b,c\n1,2,3\n4,5\n6,7,8\n",  # a short row, padded with a null by Polars
        b"a,b,c\n1,2,3\n4,5",  # the same at the end
        b"a,b,c\n1\n2,3,4\n",  # the first row short
        b'a,b\n"x""y",z\n1\n',  # a short row and a doubled quote do not cancel out
        b"a,b\n1,2\n\n3,4\n",  # a blank line inside the file (Arrow counts it)
        b"a,b\n1,2,3\n",  # a long row
        b"a,b\n1,2,\n",  # a long row whose extra field is empty
        b"a,b\n1,2\n3,4,",  # the same at the end, which Polars drops silently
        b'a,b\n"x"y"z",1\n',  # sloppy quoting
        b"a,b\n1,2\r3,4\n",  # a lone CR
        b'a,b\n"x\r\ny",1\n',  # a CRLF in a value of an LF file: not provable, Arrow reads it
        b"a,b\n",  # no rows
        b"\ra,b\n1,2\n",  # a lone CR before the header: lines are counted differently
        # Polars drops a byte-order mark opening the first row, which three short rows
        # would balance
        b"a,b\n\xef\xbb\xbf1,2\n3\n4\n5\n",
        b"x^2,y\n1,2\n",  # Polars takes "x^" for a zlib stream
        b"a,b\n1,",  # a last row ending the file with an empty field: refused, to be safe
    ],
)
def test_anything_unproven_is_left_to_arrow(data: bytes) -> None:
    assert polars_frame(data) is None


# U+FEFF as well: Polars drops it where it opens the first row.
FIELD_TEXT = st.lists(
    st.sampled_from(["a", "é", " ", ",", '"', "\n", "\r\n", "\ufeff"]), max_size=4
).map("".join)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV files, mostly well formed, some with a row of the wrong width or a stray byte."""
    width = draw(st.integers(min_value=1, max_value=4))
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    counts = [width] * draw(st.integers(min_value=1, max_value=6))
    if draw(st.integers(min_value=0, max_value=2)) == 0:
        counts[draw(st.integers(min_value=0, max_value=len(counts) - 1))] += draw(
            st.sampled_from([-1, 1])
        )
    rows = []
    for count in counts:
        fields = draw(st.lists(FIELD_TEXT, min_size=count, max_size=count))
        quote = draw(st.booleans())
        rows.append(
            ",".join(
                f'"{v.replace(chr(34), 2 * chr(34))}"' if quote or set(v) & set(',"\r\n') else v
                for v in fields
            )
        )
    text = line_end.join([",".join(f"c{i}" for i in range(width)), *rows])
    text += draw(st.sampled_from(["", line_end, line_end * 2]))
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from([",", '"', "\n", "\r", ""])) + text[at:]
    return text.encode()


@settings(max_examples=400, deadline=None)
@given(csv_files())
def test_a_kept_frame_is_what_the_csv_module_reads(data: bytes) -> None:
    frame = polars_frame(data)
    if frame is None:
        return
    expected, blank, ragged = csv_module_read(data)
    kept, dropped = drop_blank_rows(frame)
    assert ragged == 0
    assert dropped == blank
    assert_frame_equal(kept, expected)


def test_a_clean_export_is_read_by_polars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept: list[bool] = []

    def noting(*args: Any, **kwargs: Any) -> PolarsRead:
        read = read_with_polars(*args, **kwargs)
        kept.append(read.frame is not None)
        return read

    monkeypatch.setattr(csv_reader, "read_with_polars", noting)
    clean = [DIRTY_LINES[i] for i in (0, 1, 3, 4, 11)]  # the dirty export's whole records
    path = tmp_path / "clean.csv"
    path.write_bytes(("\r\n".join(clean) + "\r\n").encode())
    result = read_table(str(path))
    assert kept == [True]
    assert_frame_equal(result.frame, DIRTY_FRAME)
    assert (result.blank_rows, result.quarantined) == (0, ())


@pytest.mark.parametrize(
    "data",
    [
        b"x^2,y\n1,2\n",
        "x^2,y\n\u00e9,2\n".encode("cp1252"),
        "x^2,y\n1,2\n".encode("utf-16"),
        b"\x28\xb5\x2f\xfd,y\n1,2\n",
    ],
)
def test_a_file_starting_like_a_compressed_stream_is_read_as_text(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    result = read_table(str(path))
    assert result.frame.height == 1
    assert result.frame.columns[1] == "y"


def test_a_byte_order_mark_opening_the_first_row_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"a,b\n\xef\xbb\xbf1,2\n3\n4\n5\n")
    result = read_table(str(path))
    assert result.frame.rows() == [("\ufeff1", "2")]
    assert [q.line for q in result.quarantined] == [3, 4, 5]


def test_a_windows_1252_export_that_starts_in_ascii_is_still_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"Name,City\n" + b"Ann,Leeds\n" * 10_000 + "René,Zürich\n".encode("cp1252"))
    result = read_table(str(path))
    assert result.encoding == "cp1252"
    assert result.frame.row(-1) == ("René", "Zürich")
    assert result.frame.height == 10_001


def test_a_file_left_to_arrow_says_why_and_quotes_no_value(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "short.csv"
    path.write_bytes(b"Email,City\nann@example.com,Leeds\nbob@example.org\n")
    with caplog.at_level(logging.DEBUG, logger="anonymise.io.csv_polars"):
        result = read_table(str(path))
    assert len(result.quarantined) == 1
    assert "does not account for every byte" in caplog.text
    assert "example" not in caplog.text
