"""Polars' CSV reader, whose frame is kept only where the file's bytes prove it whole.

Polars parses an export in about half the CPU time Arrow takes with the conversion of
its columns to Polars' (1.05 against 2.05 s of CPU on the 248 MiB bench export, warm).
But a row with too few fields comes back padded with nulls, exactly like a row whose
last fields are empty, where Arrow sets it aside for quarantine. So the frame is
checked against the bytes it came from. With strict quoting (``anonymise.io.csv_quotes``)
every byte of the rows is a value's byte, a quote, a delimiter or a line end, so

    rows' length = the values' bytes + quotes - doubled quotes
                   + rows x (fields - 1) - fields missing
                   + line feeds ending records + carriage returns outside values

Everything here is known from the frame and the census except the fields missing and
the carriage returns inside values. Both are counts, never negative: where the rest adds
up exactly, no field is missing. Where records end in CRLF the same holds with two bytes
per record end and no carriage return counted, and then CRLFs inside values do not
matter. Polars refuses rows with too many fields itself, but for one at the very end.

The sums hold only while Polars keeps every byte of the values, so the few places where
it drops some are refused before the sums are taken (each found by comparing the two
parsers on generated files): a byte-order mark opening the first row, a delimiter
ending the file (an empty extra field), a lone CR (the census), input that starts like
a compressed stream (Polars decompresses it). A last row that ends the file with an
empty field is refused with them, conservatively.

The frame is kept only when one of the two sums comes out exactly; anything else (a
short row, a blank line inside the file, lone CRs, sloppy quoting, a Polars error)
keeps none, says why in a debug-level line, and the file is read as before: by Arrow,
and by the csv module where Arrow cannot be trusted with it. Polars reads the blank
lines at the end of a file as rows of nulls, which are accounted for.

The census is taken in a pass over the rows beside Polars' parse
(``anonymise.io.rows_scan``). Where the file was taken for UTF-8 at first sight
(``anonymise.io.csv_reader``), that pass also checks the rest of it, and a frame is
kept only if it passes.
"""

from __future__ import annotations

import logging
from codecs import BOM_UTF8
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl
from polars.exceptions import PanicException

from anonymise.io.csv_header import CsvHeader
from anonymise.io.csv_quotes import QuoteCensus
from anonymise.io.encoding import Utf8Text
from anonymise.io.rows_scan import WholeFileChecks, scan_rows

_LOG = logging.getLogger(__name__)
_CR, _LF = ord("\r"), ord("\n")
# Starts Polars takes for gzip, zlib, zstd or lz4, and decompresses; a text file can
# begin with "x^" or "x\x01".
_COMPRESSED_STARTS = (
    b"\x1f\x8b",
    b"\x78\x01",
    b"\x78\x5e",
    b"\x78\x9c",
    b"\x78\xda",
    b"\x28\xb5\x2f\xfd",
    b"\x04\x22\x4d\x18",
)


@dataclass(frozen=True)
class PolarsRead:
    """What came of reading with Polars."""

    frame: pl.DataFrame | None
    """Every row, proven whole; else ``None``."""
    is_text: bool | None
    """With ``WholeFileChecks``: whether the file is UTF-8 without a NUL byte
    throughout; ``None`` if those checks were not made."""
    unclosed_quote: int | None = None
    """Where, in the rows, a quoted value opens that never closes, if one does."""


def read_with_polars(
    source: str,
    text: Utf8Text,
    header: CsvHeader,
    local_path: str | None,
    whole: WholeFileChecks | None = None,
) -> PolarsRead:
    """Every row after ``header`` in ``text`` as strings, empty cells null, where the
    bytes prove that Polars read each row whole.

    Polars reads the file at ``local_path`` itself (mapping it, as ``text`` is mapped)
    where ``text`` is that file's bytes, and otherwise the bytes of ``text``; either way
    it skips the header's lines. With ``whole``, the pass over the rows makes those
    checks too; a frame is kept only if the file passes them.
    """
    rows = text.body[header.byte_length :]
    if not len(rows):
        return PolarsRead(None, is_text=None)  # the reader says so
    polars_input = _polars_input(text, header, local_path)
    if bytes(rows[: len(BOM_UTF8)]) == BOM_UTF8:
        why = "a byte-order mark opens its first row, which Polars would drop"
    elif polars_input is None:
        why = "Polars would not read it from the header's end (see _polars_input)"
    else:
        read, why = _read_and_prove(polars_input, rows, header, whole)
        if read.is_text is False:
            _LOG.debug("input '%s': not UTF-8 throughout: its encoding is settled anew", source)
        elif read.frame is None:
            _LOG.debug("input '%s': Arrow reads it: %s", source, why)
        return read
    _LOG.debug("input '%s': Arrow reads it: %s", source, why)
    return PolarsRead(None, is_text=None)


def _read_and_prove(
    polars_input: str | bytes, rows: memoryview, header: CsvHeader, whole: WholeFileChecks | None
) -> tuple[PolarsRead, str]:
    """Polars' read of ``rows``, its frame kept if proven whole, and why not."""
    # numpy and hashlib release the GIL: the rows are scanned while Polars parses.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rows-scan") as pool:
        scanning = pool.submit(scan_rows, rows, header.delimiter, whole)
        frame = _parse(polars_input, header)
        scan = scanning.result()
    is_text = scan.is_text if whole is not None else None
    if not scan.is_text:
        return PolarsRead(None, is_text=False), ""
    refused = PolarsRead(None, is_text=is_text, unclosed_quote=scan.unclosed_quote)
    if scan.census is None:
        return refused, "its quoting is not strict, or a CR stands alone"
    if frame is None:
        return refused, "Polars' parse failed"
    if not _adds_up(frame, rows, scan.census, header.delimiter):
        return refused, "Polars' frame does not account for every byte (a short row, a blank line)"
    return PolarsRead(frame, is_text=is_text), ""


def _polars_input(text: Utf8Text, header: CsvHeader, local_path: str | None) -> str | bytes | None:
    """What Polars reads: the bytes (or the mapped file) that ``text.body`` spans from
    end to end, bar a byte-order mark; ``None`` unless skipping the header's lines
    there starts exactly at the rows, and Polars will take them for text."""
    whole = text.body.obj
    mark = len(BOM_UTF8) if text.encoding == "utf-8-sig" else 0
    if len(whole) != mark + len(text.body):  # type: ignore[arg-type]
        return None
    head = bytes(text.body[: header.byte_length])
    if head.count(b"\n") != header.line_count or not head.endswith(b"\n"):
        return None  # e.g. a lone CR, which ends the header's line but not Polars'
    if len(header.delimiter.encode("utf-8")) != 1:
        return None
    start = bytes(memoryview(whole)[: max(map(len, _COMPRESSED_STARTS))])
    if start.startswith(_COMPRESSED_STARTS):
        return None
    if isinstance(whole, bytes):
        return whole
    return local_path


def _parse(polars_input: str | bytes, header: CsvHeader) -> pl.DataFrame | None:
    try:
        return pl.read_csv(
            polars_input,
            has_header=False,
            skip_lines=header.line_count,
            schema=dict.fromkeys(header.names, pl.String),
            separator=header.delimiter,
            quote_char='"',
            null_values=[""],
            raise_if_empty=False,
            glob=False,
        )
    except (Exception, PanicException):
        # A row too long or too short to start with, the file gone, among others. The
        # message may quote the data, so it goes no further; Arrow reads the file.
        return None


def _adds_up(frame: pl.DataFrame, rows: memoryview, census: QuoteCensus, delimiter: str) -> bool:
    """Whether ``frame`` accounts for every byte of ``rows`` with no field missing."""
    if frame.width != 0 and frame.height != 0:
        value_bytes = sum(frame.select(pl.all().str.len_bytes().sum()).row(0))
    else:
        value_bytes = 0
    ends_with_lf = rows[-1] == _LF
    if not ends_with_lf and rows[-1] == ord(delimiter):
        return False  # Polars drops a delimiter ending the file (conservative: see above)
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
