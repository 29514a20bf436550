"""The exact, slow path for delimited text, built on the csv module.

Used to put line numbers on the rows the fast parser set aside (it does not know them
when values may hold line breaks), and to read a file outright when the fast parser
fails or disagrees.
"""

from __future__ import annotations

import polars as pl

from anonymise.io.blank_rows import is_blank_record
from anonymise.io.csv_header import CsvHeader
from anonymise.io.csv_records import iter_records
from anonymise.io.read_result import QuarantinedRow


def ragged_reason(expected: int, found: int) -> str:
    return f"expected {expected} fields, found {found}"


def ragged_records(rows_text: str, header: CsvHeader) -> list[QuarantinedRow]:
    """The non-blank records whose field count does not match the header, in file order."""
    expected = len(header.names)
    records = iter_records(rows_text, header.delimiter, first_line=header.line_count + 1)
    return [
        QuarantinedRow(line=r.line, reason=ragged_reason(expected, len(r.fields)), raw=r.raw)
        for r in records
        if len(r.fields) != expected and not is_blank_record(r.fields)
    ]


def read_with_csv_module(
    rows_text: str, header: CsvHeader
) -> tuple[pl.DataFrame, int, list[QuarantinedRow]]:
    """The frame, the blank-row count and the quarantined rows of ``rows_text``."""
    expected = len(header.names)
    columns: list[list[str | None]] = [[] for _ in header.names]
    blank = 0
    quarantined: list[QuarantinedRow] = []
    for record in iter_records(rows_text, header.delimiter, first_line=header.line_count + 1):
        if is_blank_record(record.fields):
            blank += 1
        elif len(record.fields) != expected:
            reason = ragged_reason(expected, len(record.fields))
            quarantined.append(QuarantinedRow(line=record.line, reason=reason, raw=record.raw))
        else:
            for column, value in zip(columns, record.fields, strict=True):
                column.append(value or None)
    frame = pl.DataFrame(
        [
            pl.Series(name, values, dtype=pl.String)
            for name, values in zip(header.names, columns, strict=True)
        ]
    )
    return frame, blank, quarantined
