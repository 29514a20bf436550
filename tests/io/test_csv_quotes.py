from __future__ import annotations

import pytest

from anonymise.io import csv_quotes
from anonymise.io.csv_quotes import QuoteCensus
from anonymise.io.rows_scan import scan_rows


def quote_census(rows: memoryview, delimiter: str) -> QuoteCensus | None:
    return scan_rows(rows, delimiter).census


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (b"", QuoteCensus(quotes=0, doubled=0, carriage_returns=0)),
        (b"a,b\n1,2\n", QuoteCensus(quotes=0, doubled=0, carriage_returns=0)),
        (b'"a,1",""\n', QuoteCensus(quotes=4, doubled=0, carriage_returns=0)),
        # a doubled quote: at the start, in the middle, alone in a value
        (b'"""hi"" she said",x\n', QuoteCensus(quotes=6, doubled=2, carriage_returns=0)),
        (b'"""",x\r\n', QuoteCensus(quotes=4, doubled=1, carriage_returns=1)),
        # quoted values next to each other in one record are not doubled quotes
        (b'"a","b"\r\n"c","d"', QuoteCensus(quotes=8, doubled=0, carriage_returns=1)),
        # line breaks inside values; the census does not say whose they are
        (b'"x\r\ny",z\r\n', QuoteCensus(quotes=2, doubled=0, carriage_returns=2)),
        (b'"caf\xc3\xa9"\n', QuoteCensus(quotes=2, doubled=0, carriage_returns=0)),
    ],
)
def test_census_of_strictly_quoted_rows(rows: bytes, expected: QuoteCensus) -> None:
    assert quote_census(memoryview(rows), ",") == expected


@pytest.mark.parametrize(
    "rows",
    [
        b'"ab"cd,x\n',  # text after a closing quote
        b'"ab"c"d",x\n',  # Polars reads abcd, Arrow ab + c"d"
        b'ab"cd,x\n',  # a quote inside an unquoted value
        b'x,"open\n',  # a quoted value that runs to the end
        b'x,"a""\n',  # the same, after a doubled quote
        b'"";x\n',  # the closing quote is followed by another delimiter's character
        b"a\rb\n",  # a lone CR: Arrow ends the record there
        b"a,b\r",  # a CR as the last byte
    ],
)
def test_census_refuses_what_readers_read_differently(rows: bytes) -> None:
    assert quote_census(memoryview(rows), ",") is None


def test_census_with_another_delimiter() -> None:
    assert quote_census(memoryview(b'"a;b";"""x"""\n'), ";") == QuoteCensus(
        quotes=8, doubled=2, carriage_returns=0
    )
    assert quote_census(memoryview(b'"a";"b"\n'), ",") is None  # ';' ends no field here


@pytest.mark.parametrize(
    "rows",
    [
        b'"a,1","""b"""\r\n"c\r\nd",e\r\n',
        b"x\r\ny\r\n",
        b'ab"cd\n',
        b"abc\r",
        b"ab\r\r\n",
    ],
)
def test_census_is_the_same_whatever_the_piece_size(
    rows: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = quote_census(memoryview(rows), ",")
    for piece in (1, 2, 3, 4):  # quotes and CRLFs on every side of a piece's end
        monkeypatch.setattr(csv_quotes, "_PIECE", piece)
        assert quote_census(memoryview(rows), ",") == whole
