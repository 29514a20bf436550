"""The exact, slow path for delimited text, built on the csv module.

Used to put line numbers on the rows the fast parser set aside (it does not know them
when values may hold line breaks), and to read a file outright when the fast parser
fails or disagrees.
"""

from __future__ import annotations

import polars as pl

from anonymise.io.blank_rows import is_blank_record
from anonymise.io.csv_header import CsvHeader
from anonymise.io.csv_records import raw_lines, scan_records
from anonymise.io.read_result import QuarantinedRow


def ragged_reason(expected: int, found: int) -> str:
    return f"expected {expected} fields, found {found}"


def ragged_records(rows_text: str, header: CsvHeader) -> list[QuarantinedRow]:
    """The non-blank records whose field count does not match the header, in file order."""
    expected = len(header.names)
    ragged = [
        (first, last, len(fields))
        for first, last, fields in scan_records(rows_text, header.delimiter)
        if len(fields) != expected and not is_blank_record(fields)
    ]
    return _quarantine(rows_text, header, ragged)


def read_with_csv_module(
    rows_text: str, header: CsvHeader
) -> tuple[pl.DataFrame, int, list[QuarantinedRow]]:
    """The frame, the blank-row count and the quarantined rows of ``rows_text``."""
    expected = len(header.names)
    columns: list[list[str | None]] = [[] for _ in header.names]
    blank = 0
    ragged: list[tuple[int, int, int]] = []
    for first, last, fields in scan_records(rows_text, header.delimiter):
        if is_blank_record(fields):
            blank += 1
        elif len(fields) != expected:
            ragged.append((first, last, len(fields)))
        else:
            for column, value in zip(columns, fields, strict=True):
                column.append(value or None)
    series = [
        pl.Series(name, values, dtype=pl.String)
        for name, values in zip(header.names, columns, strict=True)
    ]
    return pl.DataFrame(series), blank, _quarantine(rows_text, header, ragged)


def _quarantine(
    rows_text: str, header: CsvHeader, ragged: list[tuple[int, int, int]]
) -> list[QuarantinedRow]:
    if not ragged:
        return []
    raws = raw_lines(rows_text, [(first, last) for first, last, _ in ragged])
    expected = len(header.names)
    return [
        QuarantinedRow(
            line=header.line_count + first, reason=ragged_reason(expected, found), raw=raw
        )
        for (first, _, found), raw in zip(ragged, raws, strict=True)
    ]
