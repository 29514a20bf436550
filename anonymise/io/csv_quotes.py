"""A census of a CSV's quotes and carriage returns, taken on its bytes with numpy.

It says whether the file is quoted strictly (RFC 4180), the one form every CSV reader
reads alike: each quoted field opens at the start of a field and closes at its end, and
a quote inside it is doubled. Readers differ on anything else, such as ``"ab"c"d"``
(Arrow keeps the later quotes in the value; Polars drops them). With strict quoting the
quotes alone show which bytes are inside values, so the census can count what a frame
of the rows must add up to (``anonymise.io.csv_polars``).

The census is taken one cache-sized piece at a time, in order (``QuoteCounter``), so
that a pass over the rows can do its other work on each piece while it is in the cache
(``anonymise.io.rows_scan``).
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


def piece_bounds(size: int) -> list[tuple[int, int]]:
    """(start, stop) of each piece of ``size`` bytes, in order."""
    return [(start, min(start + _PIECE, size)) for start in range(0, size, _PIECE)]


def _byte_set(*values: int) -> np.ndarray:
    """A table of the 256 byte values, true at ``values``: one gather tests many bytes."""
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


class QuoteCounter:
    """The census of ``rows``, fed its pieces in order (``piece_bounds``).

    Taken in order, the quotes alternate between opening and closing a quoted stretch.
    Strict quoting means each stretch opens at the start of a field (the first byte, or
    after a delimiter or a line feed) and closes at the end of one (the last byte, or
    before a delimiter, CR or line feed), unless a close is followed at once by the next
    open: that pair is a doubled quote inside the value. So a quote may only open after
    a boundary or a quote, and only close before a boundary or a quote. Memory stays
    that of one piece, however many quotes the rows hold.
    """

    def __init__(self, rows: memoryview, delimiter: str) -> None:
        self._data = np.frombuffer(rows, dtype=np.uint8)
        self._may_precede_open = _byte_set(ord(delimiter), _LF, _QUOTE)
        self._may_follow_close = _byte_set(ord(delimiter), _CR, _LF, _QUOTE)
        self._quotes = self._doubled = self._carriage_returns = 0
        self._last_open = -1  # where the last quoted stretch opened
        self._strict = True
        # Masks reused for every piece: a fresh array each time costs page faults.
        self._is_quote, self._is_cr, self._is_crlf = (
            np.empty(_PIECE, dtype=bool) for _ in range(3)
        )

    def add(self, start: int, stop: int) -> bool:
        """Count the piece ``rows[start:stop]``; ``False`` once the rows are known not
        to be strictly quoted (or to hold a lone CR), and for every piece after."""
        if not self._strict:
            return False
        self._strict = self._count(start, stop)
        return self._strict

    def unclosed_quote(self) -> int | None:
        """Where a quote opens a value that runs to the end of the rows (strict quoting,
        an odd count of quotes): read as it is, every later row would be one cell."""
        if self._strict and self._quotes % 2:
            return self._last_open
        return None

    def result(self) -> QuoteCensus | None:
        """The census, once every piece is counted; ``None`` if not strictly quoted."""
        if not self._strict or self._quotes % 2:
            return None  # an odd count: a quoted value runs to the end of the rows
        return QuoteCensus(
            quotes=self._quotes, doubled=self._doubled, carriage_returns=self._carriage_returns
        )

    def _count(self, start: int, stop: int) -> bool:
        data = self._data
        piece = data[start : stop + 1]  # one byte past the piece, to see CRLFs
        own = piece[: stop - start]
        size, ahead = len(own), len(piece) - 1
        crs = int(np.count_nonzero(np.equal(own, _CR, out=self._is_cr[:size])))
        if crs:
            crlf = np.equal(piece[1:], _LF, out=self._is_crlf[:ahead])
            np.logical_and(self._is_cr[:ahead], crlf, out=crlf)
            if int(np.count_nonzero(crlf)) != crs:
                return False
            self._carriage_returns += crs
        found = np.flatnonzero(np.equal(own, _QUOTE, out=self._is_quote[:size])) + start
        if not len(found):
            return True
        first_closes = self._quotes % 2  # the quote before this piece opened a stretch
        opens, closes = found[first_closes::2], found[1 - first_closes :: 2]
        if not self._may_precede_open[data[opens[opens > 0] - 1]].all():
            return False
        after = data[closes[closes < len(data) - 1] + 1]
        if not self._may_follow_close[after].all():
            return False
        self._doubled += int(np.count_nonzero(after == _QUOTE))
        self._quotes += len(found)
        if len(opens):
            self._last_open = int(opens[-1])
        return True
