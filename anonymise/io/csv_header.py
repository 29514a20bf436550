"""Reading the header of delimited text: its delimiter, its names and where it ends."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

from anonymise.errors import InputError
from anonymise.io.column_names import unique_column_names
from anonymise.io.csv_records import allow_long_fields
from anonymise.io.header_values import (
    data_as_header_message,
    flagged_cells,
    needs_cells,
    values_in_header,
)

DELIMITERS = (",", ";", "\t", "|")
_SNIFFED_LINES = 20  # lines after the header that the delimiter must split alike
_EXCEL_SEPARATOR_HINT = re.compile(r'sep=([^"\r\n])')
_FIRST_PREFIX_BYTES = 64 * 1024
_HEADER_CHECK_BYTES = 1 << 20  # how far the header check reads for a sparse column


@dataclass(frozen=True)
class CsvHeader:
    delimiter: str
    names: tuple[str, ...]
    """Unique, non-blank column names, in file order."""
    renamed: Mapping[str, str]
    """New name -> name in the file, for every name that had to change."""
    byte_length: int
    """UTF-8 bytes from the start of the file to the first data line."""
    line_count: int
    """Physical lines from the start of the file to the first data line."""


def sniff_delimiter(first_line: str, *, prefer_tab: bool, next_lines: Sequence[str] = ()) -> str:
    """The candidate that splits the records after the header (up to
    ``_SNIFFED_LINES`` lines, read as CSV, so a quoted note's line breaks are no record's
    end) into as many fields as the header, then the one that leaves no bracket of a
    header cell cut in two (``Anschrift (Straße, Hausnr., PLZ, Ort)`` in a semicolon
    export), then the one seen most often outside quotes in the header; ties go to the
    earlier candidate (the tab first in a ``.tsv``)."""
    order = ("\t", *(d for d in DELIMITERS if d != "\t")) if prefer_tab else DELIMITERS
    counts = _unquoted_counts(first_line, order)
    text = "".join(next_lines[:_SNIFFED_LINES])

    def score(delimiter: str) -> tuple[int, bool, int]:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        agreeing = sum(len(record) == counts[delimiter] + 1 for record in records if record)
        return agreeing, _brackets_whole(first_line, delimiter), counts[delimiter]

    seen = [d for d in order if counts[d]]
    return max(seen, key=score) if seen else order[0]  # max keeps the first of equals


def _is_json_object(line: str) -> bool:
    text = line.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _unquoted_counts(line: str, candidates: Sequence[str]) -> dict[str, int]:
    counts = dict.fromkeys(candidates, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


def _brackets_whole(line: str, delimiter: str) -> bool:
    return all(cell.count("(") == cell.count(")") for cell in line.split(delimiter))


def read_header(source: str, body: memoryview, *, prefer_tab: bool) -> CsvHeader:
    """Parse the header with the csv module, so quoted names (even multi-line) work.

    Empty lines before the header are skipped, and so is Excel's ``sep=;`` line, whose
    delimiter is then used. Only a prefix of ``body`` is decoded; it
    grows until it holds the whole header.
    """
    size = _FIRST_PREFIX_BYTES
    while True:
        whole = size >= len(body)
        prefix = bytes(body if whole else body[:size])
        if not whole:
            cut = prefix.rfind(b"\n")
            if cut >= 0:
                prefix = prefix[: cut + 1]
        header = _header_in(
            source,
            prefix.decode("utf-8"),
            whole=whole,
            prefer_tab=prefer_tab,
            may_grow=not whole and size < _HEADER_CHECK_BYTES,
        )
        if header is not None:
            return header
        size *= 4


def _header_in(
    source: str, text: str, *, whole: bool, prefer_tab: bool, may_grow: bool
) -> CsvHeader | None:
    """The header if ``text`` holds all of it (and something after it), else ``None``;
    with ``may_grow``, ``None`` too while a header cell that looks like a person's data
    has no value under it yet (``anonymise.io.header_values``)."""
    lines = io.StringIO(text, newline="").readlines()
    skipped = 0
    while skipped < len(lines) and not lines[skipped].strip("\r\n"):
        skipped += 1
    hint = (
        _EXCEL_SEPARATOR_HINT.fullmatch(lines[skipped].rstrip("\r\n")) if lines[skipped:] else None
    )
    if hint:
        skipped += 1  # Excel's "sep=;" line names the delimiter; the header follows it
    if skipped == len(lines):
        return None if not whole else _no_header(source)
    if _is_json_object(lines[skipped]):
        raise InputError(
            f"input '{source}': its first line is a JSON object, not a CSV header: it "
            "holds JSON lines; name it .ndjson (its field names would become column names "
            "with the values in them)"
        )
    delimiter = (
        hint.group(1)
        if hint
        else sniff_delimiter(
            lines[skipped],
            prefer_tab=prefer_tab,
            next_lines=lines[skipped + 1 :] if whole else lines[skipped + 1 : -1],  # whole lines
        )
    )
    consumed: list[str] = []

    def feed() -> Iterator[str]:
        for line in lines[skipped:]:
            consumed.append(line)
            yield line

    allow_long_fields()
    fields = next(csv.reader(feed(), delimiter=delimiter, strict=False))
    if not whole and len(consumed) == len(lines) - skipped:
        return None  # the header may go on past this prefix
    names, renamed = unique_column_names(fields)
    if all(not original.strip() for original in fields):
        raise InputError(
            f"input '{source}': the header row has no column names; "
            "export it again with a header row"
        )
    header_lines = lines[: skipped + len(consumed)]
    flagged = flagged_cells(fields, _records(lines[len(header_lines) :], delimiter))
    if may_grow and needs_cells(flagged):
        return None  # read on: a sparse column holds its next values further down
    if found := values_in_header(flagged):
        raise InputError(f"input '{source}': {data_as_header_message(found)}")
    return CsvHeader(
        delimiter=delimiter,
        names=tuple(names),
        renamed=renamed,
        byte_length=sum(len(line.encode("utf-8")) for line in header_lines),
        line_count=len(header_lines),
    )


def _records(lines: list[str], delimiter: str) -> Iterator[list[str]]:
    """The records of ``lines``, read as they are asked for (the last may be cut short),
    until one cannot be read."""
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    try:
        yield from reader
    except csv.Error:
        return


def _no_header(source: str) -> NoReturn:
    raise InputError(
        f"input '{source}': has no header row (only empty lines); "
        "export it again with a header and at least one row"
    )
