"""A census of a CSV's quotes and carriage returns, taken on its bytes with numpy.

It says whether the file is quoted strictly (RFC 4180), the one form every CSV reader
reads alike: each quoted field opens at the start of a field and closes at its end, and
a quote inside it is doubled. Readers differ on anything else, such as ``"ab"c"d"``
(Arrow keeps the later quotes in the value; Polars drops them). With strict quoting the
quotes alone show which bytes are inside values, so the census can count what a frame
of the rows must add up to (``anonymise.io.csv_polars``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_QUOTE, _CR, _LF = ord('"'), ord("\r"), ord("\n")
# Cache-sized pieces: comparing the whole file at once makes a mask as big as the file.
_PIECE = 1 << 18


@dataclass(frozen=True)
class QuoteCensus:
    quotes: int
    """Every ``"`` byte: two per quoted field, and two per quote inside a value."""
    doubled: int
    """Quotes inside values, each written as ``""``."""
    carriage_returns: int
    """Every CR byte; each is the first half of a CRLF."""


def quote_census(rows: memoryview, delimiter: str) -> QuoteCensus | None:
    """The census of ``rows`` (whole lines of a UTF-8 CSV after its header), or ``None``
    when its quoting is not strict or a carriage return stands alone (Arrow ends a
    record there, Polars keeps it in the value).

    Taken in order, the quotes alternate between opening and closing a quoted stretch.
    Strict quoting means each stretch opens at the start of a field (the first byte, or
    after a delimiter or a line feed) and closes at the end of one (the last byte, or
    before a delimiter, CR or line feed), unless a close is followed at once by the next
    open: that pair is a doubled quote inside the value. So a quote may only open after
    a boundary or a quote, and only close before a boundary or a quote. Memory stays
    that of one piece of the file, however many quotes it holds.
    """
    data = np.frombuffer(rows, dtype=np.uint8)
    end = len(data) - 1
    may_precede_open = np.array([ord(delimiter), _LF, _QUOTE], dtype=np.uint8)
    may_follow_close = np.array([ord(delimiter), _CR, _LF, _QUOTE], dtype=np.uint8)
    quotes = doubled = carriage_returns = 0
    # Masks reused for every piece: a fresh array each time costs page faults.
    is_quote, is_cr, is_crlf = (np.empty(_PIECE, dtype=bool) for _ in range(3))
    for start in range(0, len(data), _PIECE):
        piece = data[start : start + _PIECE + 1]  # one byte past the piece, to see CRLFs
        own = piece[:_PIECE]
        size, ahead = len(own), len(piece) - 1
        crs = int(np.count_nonzero(np.equal(own, _CR, out=is_cr[:size])))
        if crs:
            crlf = np.equal(piece[1:], _LF, out=is_crlf[:ahead])
            np.logical_and(is_cr[:ahead], crlf, out=crlf)
            if int(np.count_nonzero(crlf)) != crs:
                return None
            carriage_returns += crs
        found = np.flatnonzero(np.equal(own, _QUOTE, out=is_quote[:size])) + start
        if not len(found):
            continue
        first_closes = quotes % 2  # the quote before this piece opened a stretch
        opens, closes = found[first_closes::2], found[1 - first_closes :: 2]
        if not np.isin(data[opens[opens > 0] - 1], may_precede_open).all():
            return None
        after = data[closes[closes < end] + 1]
        if not np.isin(after, may_follow_close).all():
            return None
        doubled += int(np.count_nonzero(after == _QUOTE))
        quotes += len(found)
    if quotes % 2:
        return None  # a quoted value runs to the end of the file
    return QuoteCensus(quotes=quotes, doubled=doubled, carriage_returns=carriage_returns)
