"""Polars' CSV reader, whose frame is kept only where the file's bytes prove it whole.

Polars parses an export in about half the CPU time Arrow takes and hands back Polars
columns with nothing to convert. But a row with too few fields comes back padded with
nulls, exactly like a row whose last fields are empty, where Arrow sets it aside for
quarantine. So the frame is checked against the bytes it came from. With strict quoting
(``anonymise.io.csv_quotes``) every byte of the rows is a value's byte, a quote, a
delimiter or a line end, so

    rows' length = the values' bytes + quotes - doubled quotes
                   + rows x (fields - 1) - fields missing
                   + line feeds ending records + carriage returns outside values

Everything here is known from the frame and the census except the fields missing and
the carriage returns inside values. Both are counts, never negative: where the rest adds
up exactly, no field is missing. Where records end in CRLF the same holds with two bytes
per record end and no carriage return counted, and then CRLFs inside values do not
matter. Polars refuses rows with too many fields itself.

The frame is kept only when one of the two sums comes out exactly; anything else (a
short row, a blank line inside the file, lone CRs, sloppy quoting, a Polars error)
returns ``None`` and Arrow reads the file as before. Polars reads the blank lines at the
end of a file as rows of nulls, which are accounted for.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import polars as pl

from anonymise.io.csv_header import CsvHeader
from anonymise.io.csv_quotes import QuoteCensus, quote_census
from anonymise.io.encoding import Utf8Text

_CR, _LF = ord("\r"), ord("\n")


def read_with_polars(
    text: Utf8Text, header: CsvHeader, local_path: str | None
) -> pl.DataFrame | None:
    """Every row after ``header`` in ``text`` as strings, empty cells null; or ``None``
    when the bytes do not prove that Polars read each row whole.

    Polars reads the file at ``local_path`` itself (mapping it, as ``text`` is mapped)
    where ``text`` is that file's bytes, and otherwise the bytes of ``text``; either way
    it skips the header's lines, which must end where the header does.
    """
    rows = text.body[header.byte_length :]
    header_bytes = bytes(text.body[: header.byte_length])
    whole_lines = header_bytes.count(b"\n") == header.line_count and header_bytes.endswith(b"\n")
    if len(header.delimiter.encode("utf-8")) != 1 or not whole_lines:
        return None  # e.g. a lone CR, which ends the header's line but not Polars'
    whole = text.body.obj  # the file's bytes (less any byte-order mark), or decoded ones
    if isinstance(whole, bytes):
        polars_input: str | bytes = whole
    elif local_path is not None:
        polars_input = local_path
    else:
        return None
    skip_lines = header.line_count
    if not len(rows):
        return None
    # numpy releases the GIL: the census is taken while Polars parses.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="quote-census") as pool:
        counting = pool.submit(quote_census, rows, header.delimiter)
        frame = _parse(polars_input, header, skip_lines)
        census = counting.result()
    if frame is None or census is None:
        return None
    return frame if _adds_up(frame, rows, census, header.delimiter) else None


def _parse(polars_input: str | bytes, header: CsvHeader, skip_lines: int) -> pl.DataFrame | None:
    try:
        return pl.read_csv(
            polars_input,
            has_header=False,
            skip_lines=skip_lines,
            schema=dict.fromkeys(header.names, pl.String),
            separator=header.delimiter,
            quote_char='"',
            null_values=[""],
            raise_if_empty=False,
            glob=False,
        )
    except pl.exceptions.PolarsError:
        return None  # a row too long or too short to start with, among others; the
        # message may quote the data, so it goes no further


def _adds_up(frame: pl.DataFrame, rows: memoryview, census: QuoteCensus, delimiter: str) -> bool:
    """Whether ``frame`` accounts for every byte of ``rows`` with no field missing."""
    if frame.width != 0 and frame.height != 0:
        value_bytes = sum(frame.select(pl.all().str.len_bytes().sum()).row(0))
    else:
        value_bytes = 0
    ends_with_lf = rows[-1] == _LF
    if not ends_with_lf and rows[-1] == ord(delimiter):
        return False  # Polars drops a delimiter that ends the file: an extra field, unseen
    trailing_blank_lines = _trailing_blank_lines(rows) if ends_with_lf else 0
    record_ends = frame.height if ends_with_lf else frame.height - 1
    delimiters = (frame.height - trailing_blank_lines) * (frame.width - 1)
    known = value_bytes + census.quotes - census.doubled + delimiters + record_ends
    if len(rows) == known + census.carriage_returns:
        return True  # LF record ends (no CR in any value either)
    return census.carriage_returns >= record_ends and len(rows) == known + record_ends


def _trailing_blank_lines(rows: memoryview) -> int:
    """Empty lines at the end of ``rows``, which ends with a line feed; with strict,
    balanced quoting those line feeds are outside any value."""
    ends = 0
    position = len(rows)
    while position > 0 and rows[position - 1] == _LF:
        ends += 1
        position -= 2 if position > 1 and rows[position - 2] == _CR else 1
    return ends - 1 if position > 0 else ends
