from __future__ import annotations

import csv
import hashlib
import io
import pickle
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.errors import InputError
from anonymise.io import read_table
from anonymise.io.csv_fallback import read_with_csv_module
from anonymise.io.csv_header import read_header
from anonymise.io.encoding import to_utf8
from tests.io.samples import (
    DIRTY_FRAME,
    DIRTY_QUARANTINE,
    DIRTY_TEXT,
    KEAP_PHONE,
    put_memory_file,
    strings,
)

# Every test reads as a run does (Polars first), and again with Arrow alone.
pytestmark = pytest.mark.usefixtures("each_csv_parser")


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data", "expected", "delimiter", "file_format"),
    [
        (
            "keap.csv",
            f"Id,Phone 1,Zip\r\n00123,{KEAP_PHONE},0501\r\n".encode(),
            strings({"Id": ["00123"], "Phone 1": [KEAP_PHONE], "Zip": ["0501"]}),
            ",",
            "csv",
        ),
        (  # no type inference, no trimming, empty cells (quoted or not) are null
            "types.csv",
            b'a,b,c,d\n 1.50 ,TRUE,"",2024-01-02\n1e3,,NaN,\n',
            strings(
                {
                    "a": [" 1.50 ", "1e3"],
                    "b": ["TRUE", None],
                    "c": [None, "NaN"],
                    "d": ["2024-01-02", None],
                }
            ),
            ",",
            "csv",
        ),
        (
            "semicolon.csv",
            "Nom;Prénom\nDupont;Zoé\n".encode(),
            strings({"Nom": ["Dupont"], "Prénom": ["Zoé"]}),
            ";",
            "csv",
        ),
        (
            "tabs.tsv",
            b'Email\tNotes\nann@example.com\tsaid, "hello"\n',
            strings({"Email": ["ann@example.com"], "Notes": ['said, "hello"']}),
            "\t",
            "tsv",
        ),
        (  # .txt is sniffed: a tab makes it TSV, a pipe stays CSV
            "export.txt",
            b"a\tb\n1\t2\n",
            strings({"a": ["1"], "b": ["2"]}),
            "\t",
            "tsv",
        ),
        ("pipes.txt", b"a|b\n1|2\n", strings({"a": ["1"], "b": ["2"]}), "|", "csv"),
        (  # quoted header names, one with a delimiter and one with a line break
            "quoted.csv",
            b'"Last, First","Street\nAddress"\n"Doe, Jane","1 Main St\nFlat 2"\n',
            strings({"Last, First": ["Doe, Jane"], "Street\nAddress": ["1 Main St\nFlat 2"]}),
            ",",
            "csv",
        ),
        (  # old Mac line endings, no final line break
            "cr.csv",
            b"a,b\r1,2\r3,4",
            strings({"a": ["1", "3"], "b": ["2", "4"]}),
            ",",
            "csv",
        ),
        ("one_column.csv", b"Email\na@x.org\n", strings({"Email": ["a@x.org"]}), ",", "csv"),
    ],
)
def test_values_are_kept_verbatim_as_text(
    tmp_path: Path,
    name: str,
    data: bytes,
    expected: pl.DataFrame,
    delimiter: str,
    file_format: str,
) -> None:
    result = read_table(write(tmp_path, name, data))
    assert_frame_equal(result.frame, expected)
    assert (result.delimiter, result.format) == (delimiter, file_format)
    assert (result.blank_rows, result.quarantined) == (0, ())


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8-sig", DIRTY_TEXT.encode("utf-8-sig")),
        ("utf-8", DIRTY_TEXT.encode("utf-8")),
        ("cp1252", DIRTY_TEXT.encode("cp1252")),
        ("utf-16", DIRTY_TEXT.encode("utf-16")),
    ],
)
def test_dirty_export_loses_nothing(tmp_path: Path, encoding: str, data: bytes) -> None:
    result = read_table(write(tmp_path, "dirty.csv", data))
    assert result.encoding == encoding
    assert_frame_equal(result.frame, DIRTY_FRAME)
    assert result.blank_rows == 3
    assert [(q.line, q.reason, q.raw) for q in result.quarantined] == DIRTY_QUARANTINE
    assert dict(result.renamed_columns) == {"Phone Number_2": "Phone Number", "column_6": ""}
    records = list(csv.reader(io.StringIO(DIRTY_TEXT, newline="")))[1:]
    assert result.frame.height + result.blank_rows + len(result.quarantined) == len(records)


def test_fast_path_agrees_with_the_csv_module() -> None:
    text = to_utf8("dirty.csv", DIRTY_TEXT.encode("utf-8"))
    header = read_header("dirty.csv", text.body, prefer_tab=False)
    frame, blank, quarantined = read_with_csv_module(
        str(text.body[header.byte_length :], "utf-8"), header
    )
    assert_frame_equal(frame, DIRTY_FRAME)
    assert blank == 3
    assert [(q.line, q.reason, q.raw) for q in quarantined] == DIRTY_QUARANTINE


@pytest.mark.parametrize(
    ("data", "rows", "blank"),
    [
        (b"a,b\n1,2\n\n\n3,4\n", 2, 2),  # empty lines, counted exactly
        (b"a,b\r\n1,2\r\n\r\n", 1, 1),  # an empty line at the end
        (b"a\n1\n\n \n2\n", 2, 2),  # one column: empty and whitespace lines
        (b"\n\na,b\n1,2\n", 1, 0),  # empty lines before the header are not records
        (b'a,b\n"",""\n1,\n', 1, 1),  # quoted empty cells are empty too
    ],
)
def test_blank_rows_are_counted_exactly(tmp_path: Path, data: bytes, rows: int, blank: int) -> None:
    result = read_table(write(tmp_path, "blank.csv", data))
    assert (result.frame.height, result.blank_rows, result.quarantined) == (rows, blank, ())


def test_a_quote_that_never_closes_is_refused_not_read_as_one_cell(tmp_path: Path) -> None:
    # read as it is, the rest of the file would be one cell: rows lost without a word
    with pytest.raises(InputError, match=r"line 2: a quoted value opens there and never closes"):
        read_table(write(tmp_path, "open.csv", b'a,b\n1,"2\n3,4\n'))


def test_reads_memory_urls_like_local_paths(memory_root: str, tmp_path: Path) -> None:
    url = put_memory_file(f"{memory_root}/dirty.csv", DIRTY_TEXT.encode("cp1252"))
    in_memory = read_table(url)
    on_disk = read_table(write(tmp_path, "dirty.csv", DIRTY_TEXT.encode("cp1252")))
    assert in_memory.source == url
    assert_frame_equal(in_memory.frame, on_disk.frame)
    assert in_memory.sha256 == on_disk.sha256
    assert in_memory.quarantined == on_disk.quarantined


def test_fingerprint_is_of_the_bytes_as_stored(tmp_path: Path) -> None:
    data = DIRTY_TEXT.encode("utf-8-sig")
    assert read_table(write(tmp_path, "x.csv", data)).sha256 == hashlib.sha256(data).hexdigest()


def test_repr_shows_no_cell_value(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "dirty.csv", DIRTY_TEXT.encode("utf-8")))
    shown = repr(result) + repr(result.quarantined)
    assert "René" not in shown
    assert "00125" not in shown


def test_results_pickle_for_task_runners(tmp_path: Path) -> None:
    result = read_table(write(tmp_path, "dirty.csv", DIRTY_TEXT.encode("utf-8")))
    copy = pickle.loads(pickle.dumps(result))
    assert_frame_equal(copy.frame, result.frame)
    assert (copy.quarantined, copy.renamed_columns) == (result.quarantined, result.renamed_columns)


def test_a_delimiter_named_by_excels_hint_may_be_any_character(tmp_path: Path) -> None:
    # Neither Polars nor Arrow splits on a character of two bytes: the csv module does.
    data = "sep=¦\nName¦City\nRené¦Köln\n".encode()
    result = read_table(write(tmp_path, "broken_bar.csv", data))
    assert result.delimiter == "¦"
    assert result.frame.rows() == [("René", "Köln")]
