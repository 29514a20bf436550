"""The pass over a CSV's rows: the census, and the whole file's checks and digest."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anonymise.io import csv_quotes
from anonymise.io.encoding import Utf8Pieces, is_valid_utf8
from anonymise.io.file_digest import FileDigest
from anonymise.io.rows_scan import WholeFileChecks, scan_rows

# Bytes that make up UTF-8 characters of every length, and pieces of them.
_WHOLE = [b"a", b",", b'"', b"\n", b"\r\n", b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80"]
_BROKEN = [b"\xc3", b"\xa9", b"\x82", b"\xe2", b"\xf0\x9f", b"\x00", b"\xff"]
_PIECES = st.sampled_from([*_WHOLE, *_BROKEN])


@given(
    data=st.lists(_PIECES, max_size=40).map(b"".join),
    cuts=st.lists(st.integers(0, 120), max_size=8),
)
def test_utf8_checked_in_pieces_is_utf8_checked_whole(data: bytes, cuts: list[int]) -> None:
    pieces = Utf8Pieces(memoryview(data))
    for cut in sorted(c for c in cuts if c < len(data)):
        pieces.check_through(cut)
    assert pieces.check_through(len(data)) == is_valid_utf8(memoryview(data))


@given(data=st.lists(_PIECES, max_size=40).map(b"".join), piece=st.integers(1, 9))
def test_the_pass_finds_what_the_whole_file_checks_find(data: bytes, piece: int) -> None:
    header = b"h1,h2\n"
    whole_file = header + data
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_quotes, "_PIECE", piece)
        with FileDigest(whole_file) as digest:
            scan = scan_rows(
                memoryview(whole_file)[len(header) :],
                ",",
                WholeFileChecks(whole_file, len(header), digest),
            )
            assert digest.hashed == len(whole_file)  # every byte fed by the pass
            assert digest.hexdigest() == hashlib.sha256(whole_file).hexdigest()
        census = scan_rows(memoryview(data), ",").census  # the census alone
    assert scan.census == census
    assert scan.is_text == (is_valid_utf8(memoryview(data)) and b"\x00" not in data)


def test_without_the_whole_file_the_text_is_not_checked() -> None:
    scan = scan_rows(memoryview(b'"a",\xff\x00\n'), ",")  # neither UTF-8 nor free of NUL
    assert scan.census is not None
    assert scan.is_text
