"""The fast parser and the csv module must agree; when they cannot, the csv module reads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.errors import InputError
from anonymise.io import csv_reader, read_table
from anonymise.io.csv_fallback import read_with_csv_module
from anonymise.io.csv_header import CsvHeader, read_header
from anonymise.io.encoding import to_utf8
from tests.io.samples import DIRTY_FRAME, DIRTY_QUARANTINE, DIRTY_TEXT


def _no_full_fallback(*_: object) -> None:
    raise AssertionError("the full csv-module fallback ran")


def test_dirty_export_needs_only_the_line_number_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_reader, "read_with_csv_module", _no_full_fallback)
    path = tmp_path / "dirty.csv"
    path.write_bytes(DIRTY_TEXT.encode())
    result = read_table(str(path))
    assert_frame_equal(result.frame, DIRTY_FRAME)
    assert [(q.line, q.reason, q.raw) for q in result.quarantined] == DIRTY_QUARANTINE


def test_when_arrow_gives_up_the_csv_module_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def arrow_fails(*_: object) -> None:
        raise pa.ArrowInvalid("CSV parse error: row text would be quoted here")

    monkeypatch.setattr(csv_reader, "_parse_with_arrow", arrow_fails)
    path = tmp_path / "dirty.csv"
    path.write_bytes(DIRTY_TEXT.encode())
    result = read_table(str(path))
    assert_frame_equal(result.frame, DIRTY_FRAME)
    assert result.blank_rows == 3
    assert [(q.line, q.reason, q.raw) for q in result.quarantined] == DIRTY_QUARANTINE


# Cells that stress quoting: delimiters, quotes, both line breaks, blanks, unicode.
cells = st.text(alphabet=st.sampled_from(list('ab,"\r\n \té€')), max_size=6)
rows = st.lists(st.lists(cells, min_size=0, max_size=5), max_size=12)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows, line_break=st.sampled_from(["\n", "\r\n"]))
def test_every_record_is_kept_blank_or_quarantined(
    tmp_path: Path, rows: list[list[str]], line_break: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_break)
    writer.writerow(["x", "y", "z"])
    writer.writerows(rows)
    text = buffer.getvalue()
    path = tmp_path / "generated.csv"
    path.write_bytes(text.encode())
    records = list(csv.reader(io.StringIO(text, newline="")))[1:]
    if not any(len(r) and any(field.strip() for field in r) for r in records):
        return  # header-only files are refused; tested elsewhere

    result = read_table(str(path))

    assert result.records == len(records)
    body = to_utf8("generated.csv", text.encode()).body
    header = read_header("generated.csv", body, prefer_tab=False)
    frame, blank, quarantined = read_with_csv_module(
        str(body[header.byte_length :], "utf-8"), header
    )
    assert_frame_equal(result.frame, frame)
    assert result.blank_rows == blank
    assert result.quarantined == tuple(quarantined)


def test_a_record_longer_than_arrows_block_is_read_by_the_csv_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A quoted value of over 1 MiB in a record short of a field, which Arrow refuses
    # ("straddles two block boundaries") when it has to set it aside.
    calls: list[int] = []

    def spy(rows_text: str, header: CsvHeader) -> object:
        calls.append(1)
        return read_with_csv_module(rows_text, header)

    monkeypatch.setattr(csv_reader, "read_with_csv_module", spy)
    before = "p,q,r\n" * 50_000
    rest = "".join(f"{i},name {i},n\n" for i in range(100_000))
    path = tmp_path / "unclosed.csv"
    path.write_bytes(f'a,b,c\n{before}1,"open,x\n{rest}"\n'.encode())
    result = read_table(str(path))
    assert calls == [1]
    assert result.frame.height == 50_000
    assert [(q.line, q.reason) for q in result.quarantined] == [
        (50_002, "expected 3 fields, found 2")
    ]
    assert result.quarantined[0].raw == f'1,"open,x\n{rest}"'
    assert result.blank_rows == 0


def test_an_unclosed_quote_is_refused_not_quarantined_with_every_row_after_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "unclosed.csv"
    path.write_bytes(b'a,b,c\n1,2,3\n4,"open\n5,6,7\n')
    with pytest.raises(InputError, match=r"line 3: a quoted value opens there and never closes"):
        read_table(str(path))
