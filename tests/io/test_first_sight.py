"""A CSV taken for UTF-8 at first sight (its first megabyte), then checked throughout by
the pass over its rows beside Polars' parse: every file reads exactly as when the whole
file was checked before the parse, errors included."""

from __future__ import annotations

import codecs
import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from anonymise.errors import InputError
from anonymise.io import csv_polars, csv_reader, read_table

pytestmark = pytest.mark.usefixtures("each_csv_parser")

HEADER = b"Id,Name,Note\r\n"
# Past the megabyte looked at first: what only the pass can see.
CLEAN = b"".join(b"%d,Ann,plain text\r\n" % i for i in range(60_000))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each parse Polars makes, as it is made."""
    made: list[object] = []
    parse = csv_polars._parse
    monkeypatch.setattr(csv_polars, "_parse", lambda *a: made.append(a) or parse(*a))
    return made


def read(tmp_path: Path, data: bytes) -> Any:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    return read_table(str(path))


def test_a_big_clean_file_is_read_once_and_fingerprinted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[object]
) -> None:
    # No check of the whole file before the parse: the pass beside it makes them.
    monkeypatch.setattr(csv_reader, "to_utf8", lambda *a: pytest.fail("checked before"))
    data = HEADER + CLEAN + "9,Zoë,café\r\n".encode()
    assert len(data) > 1 << 20
    result = read(tmp_path, data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.encoding == "utf-8"
    assert result.frame.height == 60_001
    assert result.frame.row(-1) == ("9", "Zoë", "café")
    assert len(parses) == 1


def test_windows_1252_past_the_first_megabyte_is_still_found(tmp_path: Path) -> None:
    data = HEADER + CLEAN + "9,René,5€\r\n".encode("cp1252")
    result = read(tmp_path, data)
    assert result.encoding == "cp1252"
    assert result.frame.row(-1) == ("9", "René", "5€")
    assert result.frame.height == 60_001
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_a_last_byte_that_is_not_utf8_is_found_in_a_small_file(tmp_path: Path) -> None:
    result = read(tmp_path, b"a,b\n1,\xe9")  # the first sight stops before it
    assert result.encoding == "cp1252"
    assert result.frame.row(0) == ("1", "é")


def test_a_nul_byte_past_the_first_megabyte_is_refused(tmp_path: Path) -> None:
    data = HEADER + CLEAN + b"9,secret\x00,x\r\n"
    with pytest.raises(InputError, match=r"binary data \(it contains NUL bytes\)") as caught:
        read(tmp_path, data)
    assert "secret" not in str(caught.value)


def test_a_marked_file_that_stops_being_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + HEADER + CLEAN + b"9,secret\xe9,x\r\n"
    with pytest.raises(InputError, match=r"not valid UTF-8 \(first bad byte on line 60002\)"):
        read(tmp_path, data)


def test_a_short_row_past_the_first_megabyte_is_quarantined(
    tmp_path: Path, parses: list[object]
) -> None:
    result = read(tmp_path, HEADER + CLEAN + b"9,Ann\r\n10,Bob,x\r\n")
    assert result.frame.height == 60_001
    assert [row.line for row in result.quarantined] == [60_002]
    assert len(parses) == 1  # the text proved UTF-8: Polars is not asked again
    assert result.frame.get_column("Name").dtype == pl.String


def test_windows_1252_accents_spread_past_the_start_skip_the_utf8_parse(
    tmp_path: Path, parses: list[object]
) -> None:
    later = b"".join(
        (b"%d,Ren\xe9,x\r\n" if i % 1000 == 0 else b"%d,Ann,plain\r\n") % i for i in range(60_000)
    )
    result = read(tmp_path, HEADER + CLEAN + later)  # the first megabyte is plain ASCII
    assert result.encoding == "cp1252"
    assert result.frame.row(60_000) == ("0", "René", "x")
    assert len(parses) == 1  # the windows spread over the file saw it: one parse


@pytest.fixture
def csv_modules_default_limit() -> Iterator[None]:
    """The csv module's own limit on a field, whatever this process read before."""
    before = csv.field_size_limit(128 << 10)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("csv_modules_default_limit")
def test_a_header_field_past_the_csv_modules_limit(tmp_path: Path) -> None:
    long_name = b"a" * 140_000
    result = read(tmp_path, long_name + b",b\n1,2\n")
    assert result.frame.columns == [long_name.decode(), "b"]
    with pytest.raises(InputError, match=r"binary data \(it contains NUL bytes\)"):
        read(tmp_path, long_name + b",b\n1,2\n\x00\n")
