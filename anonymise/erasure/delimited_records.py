"""A delimited file cut into the text of its records, so that an erasure drops whole
records and keeps every other byte as it was.

A raw export with malformed rows (the wrong number of fields, which a run sets aside)
cannot be written back from its frame: those rows are not in it. Cut into records, the
file is written back with the records that hold no person to erase, each as it was
(its quoting, its line break), the malformed ones included, and so are blank lines,
Excel's ``sep=`` line, the header and the encoding.

The records are found by the csv module, as the exact reader finds them
(``anonymise.io.csv_fallback``). They are used only where that reading gives the very
frame ``read_table`` gave, and the same malformed rows, value for value.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import polars as pl

from anonymise.errors import InputError
from anonymise.io.blank_rows import is_blank_record
from anonymise.io.csv_fallback import read_with_csv_module
from anonymise.io.csv_header import read_header
from anonymise.io.csv_records import scan_records
from anonymise.io.read_result import QuarantinedRow


@dataclass(frozen=True)
class DelimitedRecords:
    """The text before the first data record, then each data record's own text."""

    head: str
    records: tuple[str, ...]
    rows: tuple[int, ...]
    """The records that are the frame's rows, in order."""
    malformed: tuple[int, ...]
    """The records a read sets aside, in order."""
    encoding: str

    def text_without(self, dropped: set[int]) -> str:
        return self.head + "".join(r for i, r in enumerate(self.records) if i not in dropped)


def read_records(
    path: str,
    *,
    compression: str | None,
    encoding: str,
    delimiter: str,
    frame: pl.DataFrame,
    quarantined: Sequence[QuarantinedRow],
) -> DelimitedRecords | None:
    """The file's records, or ``None`` where they are not the frame's rows and the
    malformed rows ``read_table`` found (then the frame's own rewrite applies)."""
    raw = _raw_bytes(path, compression)
    codec = _codec(raw, encoding)
    try:
        text = raw.decode(codec)
        lead = "\ufeff" if text.startswith("\ufeff") else ""  # a BOM, kept as a character
        body = memoryview(text[len(lead) :].encode("utf-8"))
        header = read_header(path, body, prefer_tab=delimiter == "\t")
    except (UnicodeError, InputError, LookupError):
        return None
    if header.delimiter != delimiter:
        return None
    head = lead + bytes(body[: header.byte_length]).decode("utf-8")
    rows_text = bytes(body[header.byte_length :]).decode("utf-8")
    exact, _, ragged = read_with_csv_module(rows_text, header)
    if not exact.equals(frame) or [(q.line, q.raw) for q in ragged] != [
        (q.line, q.raw) for q in quarantined
    ]:
        return None
    lines = _physical_lines(rows_text)
    records: list[str] = []
    rows: list[int] = []
    malformed: list[int] = []
    expected = len(header.names)
    for first, last, fields in scan_records(rows_text, header.delimiter):
        position = len(records)
        records.append("".join(lines[first - 1 : last]))
        if is_blank_record(fields):
            continue
        (rows if len(fields) == expected else malformed).append(position)
    if head + "".join(records) != text:
        return None  # a byte the records do not account for
    return DelimitedRecords(head, tuple(records), tuple(rows), tuple(malformed), codec)


def write_records(
    handle: IO[bytes], records: DelimitedRecords, dropped: set[int], compression: str | None
) -> None:
    """The file without the ``dropped`` records, in its encoding (and gzip)."""
    data = records.text_without(dropped).encode(records.encoding)
    if compression == "gzip":
        with gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as zipped:
            cast(IO[bytes], zipped).write(data)
    else:
        handle.write(data)


def _codec(raw: bytes, encoding: str) -> str:
    """The codec that reads ``raw`` and writes it back byte for byte: a byte-order mark
    is decoded as a character (and so written back), UTF-16 in the order it was."""
    if encoding == "utf-8-sig":
        return "utf-8"
    if encoding == "utf-16":
        return "utf-16-be" if raw.startswith(b"\xfe\xff") else "utf-16-le"
    return encoding


def _physical_lines(text: str) -> list[str]:
    """The lines the csv module counts (``line_num``): ends at LF, CR or CRLF, kept."""
    return list(io.StringIO(text, newline=""))


def _raw_bytes(path: str, compression: str | None) -> bytes:
    if compression == "gzip":
        with gzip.open(path, "rb") as handle:
            return bytes(handle.read())
    return Path(path).read_bytes()
