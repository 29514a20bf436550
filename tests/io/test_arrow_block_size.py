"""Arrow drops the LF of a quoted CRLF split across two of its input blocks
(apache/arrow#51368); the reader picks a block size that splits no CRLF."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymise.io import read_table
from anonymise.io.csv_reader import block_size_keeping_crlf_whole

MIB = 1 << 20


def _with_crlf_at(offset: int, size: int) -> bytes:
    data = bytearray(b"x" * size)
    data[offset - 1 : offset + 1] = b"\r\n"
    return bytes(data)


@pytest.mark.parametrize(
    ("rows", "block_size"),
    [
        (b"", MIB),
        (b"a,b\r\n" * 10, MIB),  # one block: nothing to split
        (_with_crlf_at(MIB, 3 * MIB), MIB + 1),  # a CRLF across the first boundary
        (_with_crlf_at(MIB + 1, 3 * MIB), MIB),  # a CRLF just after it is harmless
        (_with_crlf_at(MIB, 3 * MIB)[: MIB + 1], MIB + 1),  # the LF is the last byte
        (b"\r\n" * (2 * MIB), MIB),  # CRLF everywhere, but even offsets split none
    ],
)
def test_block_size_keeping_crlf_whole(rows: bytes, block_size: int) -> None:
    assert block_size_keeping_crlf_whole(memoryview(rows)) == block_size


@pytest.mark.usefixtures("arrow_reads_csv")  # Polars would read this file (CRLF throughout)
def test_a_quoted_crlf_on_arrows_block_boundary_survives(tmp_path: Path) -> None:
    header = b"id,note,x\r\n"
    opening = b'1,"'
    filler = b"z" * (MIB - len(opening) - 1)  # puts the CR at the last byte of block one
    data = header + opening + filler + b'\r\nB",x\r\n2,plain,x\r\n'
    path = tmp_path / "notes.csv"
    path.write_bytes(data)
    result = read_table(str(path))
    assert result.frame["note"].to_list() == [filler.decode() + "\r\nB", "plain"]
    assert (result.blank_rows, result.quarantined) == (0, ())


@pytest.mark.usefixtures("each_csv_parser")
def test_a_zero_width_no_break_space_opening_the_first_row_is_kept(tmp_path: Path) -> None:
    # U+FEFF is also the byte-order mark, which Arrow strips from the start of its input.
    path = tmp_path / "feff.csv"
    path.write_bytes("\ufeffa,b\n\ufeffx,y\n".encode())
    result = read_table(str(path))
    assert result.frame.columns == ["a", "b"]  # the file's own BOM is gone
    assert result.frame.row(0) == ("\ufeffx", "y")  # the cell's is kept
