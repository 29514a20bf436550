"""Inputs that cannot be read at all: one-line InputErrors naming the file, saying what to
do, and never quoting a cell."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

import pytest

from anonymise.errors import InputError
from anonymise.io import read_table

SECRET = "alice.secret@example.com"


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


CSV = f"Email,Phone\n{SECRET},0123\n".encode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", r"the file is empty \(0 bytes\); export it again with at least"),
        ("empty.csv.gz", gzip.compress(b""), r"the file is empty once decompressed"),
        ("header.csv", b"Email,Phone\r\n", r"has a header but no data rows; export it again"),
        ("header.tsv", b"Email\tPhone", r"has a header but no data rows;"),
        (  # blank rows only: still nothing to read
            "blanks.csv",
            b"Email,Phone\n,\n\n",
            r"has a header but no data rows \(only 2 blank rows\);",
        ),
        ("only_breaks.csv", b"\r\n\r\n", r"has no header row \(only empty lines\)"),
        ("nul.csv", CSV + b"\x00\x00", r"looks like binary data \(it contains NUL bytes\)"),
        ("image.csv", b"\x89PNG\r\n\x1a\n" + CSV, r"looks like a PNG image, not text;"),
        ("workbook.csv", _zip(("xl/workbook.xml", CSV)), r"looks like a zip archive or an"),
        (
            "mixed.csv",
            CSV + b"\x81\x8d\x8f\x90\x9d" * 10,
            r"is neither UTF-8 nor Windows-1252 text \(unreadable encoding or binary data\)",
        ),
        ("contacts.xlsx", CSV, r"unsupported file type \(\.xlsx\); use one of \.csv, \.tsv"),
        ("contacts", CSV, r"unsupported file type \(no extension\)"),
        ("contacts.csv.bz2", CSV, r"unsupported file type \(\.bz2\)"),
        ("bad.csv.gz", b"\x1f\x8b" + CSV, r"is not a valid gzip file or is truncated;"),
        ("bad.zip", b"PK\x03\x04" + CSV, r"is not a valid zip file or is truncated;"),
        (
            "two.zip",
            _zip(("a.csv", CSV), ("b.csv", CSV)),
            r"the zip archive holds 2 files \(a\.csv, b\.csv\); put exactly one data file",
        ),
        ("none.zip", _zip(("__MACOSX/._a.csv", CSV)), r"the zip archive holds no data file"),
        ("inner.zip", _zip(("contacts.xlsx", CSV)), r"unsupported file type \(\.xlsx\)"),
        ("bad.parquet", b"PAR1" + CSV + b"PAR1", r"is not a valid Parquet file"),
        ("text.parquet", CSV, r"is not a Parquet file \(corrupt or truncated\)"),
        ("empty.parquet", b"", r"the file is empty \(0 bytes\)"),
        (
            "bad.json",
            f'[{{"email": "{SECRET}"}}, {{"email": '.encode(),
            r"is not valid JSON \(Expecting value at line 1, column \d+\); fix the file",
        ),
        (
            "scalars.json",
            b'[1, "' + SECRET.encode() + b'"]',
            r"holds non-object elements \(int, str\)",
        ),
        ("text.json", SECRET.encode(), r"is not a JSON array of objects nor one JSON object per"),
        ("empty_array.json", b"[]", r"holds no records;"),
        ("no_fields.json", b"[{}, {}]", r"its 2 record\(s\) have no fields"),
        ("no_fields.ndjson", b"{}\n{}\n", r"its 2 record\(s\) have no fields"),
        (
            "conflict.json",
            f'[{{"a": "{SECRET}"}}, {{"a": {{"b": 1}}}}]'.encode(),
            r"its JSON records cannot be combined into one table \(conflicting types",
        ),
        (
            "object.json",
            f'{{\n  "email": "{SECRET}",\n  "tags": [1]\n}}\n'.encode(),
            r"holds a single JSON object, not records",
        ),
        (
            "by_person.json",
            f'{{"Ann Smith": "{SECRET}", "Bob Jones": "b@example.com"}}\n'.encode(),
            r"holds a single JSON object, not records; export an array of objects, or name",
        ),
        ("latin1.ndjson", '{"name": "Ren\xe9"}\n'.encode("latin-1"), r"is not valid UTF-8"),
        ("blank.ndjson", b"\n \n", r"holds no records \(only 2 blank rows\)"),
    ],
)
def test_unreadable_inputs_raise_input_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"^input '{re.escape(str(path))}': {message}") as caught:
        read_table(str(path))
    text = str(caught.value)
    assert "\n" not in text
    for value in (SECRET, "alice", "0123", "René"):
        assert value not in text


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    with pytest.raises(InputError, match=r"^input '.*missing\.csv': no such file; check the path$"):
        read_table(str(path))


def test_missing_memory_file(memory_root: str) -> None:
    with pytest.raises(InputError, match=r"^input 'memory://.*/missing\.csv': no such file"):
        read_table(f"{memory_root}/missing.csv")


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    with pytest.raises(InputError, match=r"is a folder, not a file; give a file or a glob"):
        read_table(str(folder))


def test_arrow_messages_never_reach_the_error(tmp_path: Path) -> None:
    # An error inside a reader keeps no cause that could quote a cell.
    path = tmp_path / "bad.json"
    path.write_bytes(f'[{{"email": "{SECRET}"}} {{'.encode())
    with pytest.raises(InputError) as caught:
        read_table(str(path))
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def _unclosed(rows: int, at: int, *, end: str = "\n", encoding: str = "utf-8") -> bytes:
    """A CSV whose row ``at`` opens a quoted value that never closes."""
    lines = ["Id,Email,Notes"] + [
        f"{i},{SECRET if i == at else f'p{i}@example.com'},"
        + ('"called René about' if i == at else f"note {i}")
        for i in range(rows)
    ]
    return (end.join(lines) + end).encode(encoding)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (_unclosed(1000, 500), 502),  # the 499 rows after it would become one cell
        (_unclosed(50, 0, end="\r\n"), 2),
        (_unclosed(50, 49), 51),  # the last row
        (_unclosed(200, 7, encoding="cp1252"), 9),
        # a closed quoted value with line breaks before it does not move the count
        (b'Id,Notes\n1,"two\nlines"\n' + _unclosed(20, 3).split(b"\n", 1)[1], 7),
    ],
)
def test_a_quoted_value_that_never_closes_is_refused_naming_its_line(
    tmp_path: Path, data: bytes, line: int
) -> None:
    path = tmp_path / "crm.csv"
    path.write_bytes(data)
    message = rf"^input '{re.escape(str(path))}': line {line}: a quoted value opens there and"
    with pytest.raises(InputError, match=message) as caught:
        read_table(str(path))
    assert SECRET not in str(caught.value)
