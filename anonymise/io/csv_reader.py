"""Delimited text (CSV, TSV) into a frame of strings, fast.

Arrow's multi-threaded parser reads every file. Rows with the wrong number of fields are
set aside by it; only then does the csv module read the file again, to find the line each
of them starts on. Every value stays text, exactly as in the file; empty cells are null.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pa_csv  # type: ignore[import-untyped]

from anonymise.io.blank_rows import drop_blank_rows, is_blank_record
from anonymise.io.csv_fallback import ragged_records, read_with_csv_module
from anonymise.io.csv_header import CsvHeader, read_header
from anonymise.io.csv_records import split_row_text
from anonymise.io.encoding import to_utf8
from anonymise.io.read_result import ParsedTable


def read_delimited(source: str, declared_format: str, data: bytes) -> ParsedTable:
    """Read CSV/TSV/TXT ``data``; ``declared_format`` comes from the file name."""
    text = to_utf8(source, data)
    header = read_header(source, text.body, prefer_tab=declared_format == "tsv")
    rows = text.body[header.byte_length :]
    parsed_format = "tsv" if header.delimiter == "\t" else "csv"
    try:
        frame, set_aside = _parse_with_arrow(rows, header)
    except pa.ArrowInvalid:
        # Arrow's message may quote the data, so it is dropped; the csv module decides.
        frame, blank, quarantined = read_with_csv_module(str(rows, "utf-8"), header)
    else:
        frame, blank = drop_blank_rows(frame)
        ragged = [t for t in set_aside if not is_blank_record(split_row_text(t, header.delimiter))]
        blank += len(set_aside) - len(ragged)
        quarantined = ragged_records(str(rows, "utf-8"), header) if ragged else []
        if len(quarantined) != len(ragged):
            # The two parsers disagree about this file; the exact one wins outright.
            frame, blank, quarantined = read_with_csv_module(str(rows, "utf-8"), header)
    return ParsedTable(
        format=parsed_format,
        frame=frame,
        encoding=text.encoding,
        delimiter=header.delimiter,
        blank_rows=blank,
        renamed_columns=header.renamed,
        quarantined=tuple(quarantined),
    )


def _parse_with_arrow(rows: memoryview, header: CsvHeader) -> tuple[pl.DataFrame, list[str]]:
    """All well-formed rows as a frame (blank ones included), and the text of the others."""
    set_aside: list[str] = []

    def set_row_aside(row: pa_csv.InvalidRow) -> str:
        set_aside.append(row.text)
        return "skip"

    table = pa_csv.read_csv(
        pa.py_buffer(rows),
        read_options=pa_csv.ReadOptions(column_names=list(header.names), use_threads=True),
        parse_options=pa_csv.ParseOptions(
            delimiter=header.delimiter,
            quote_char='"',
            double_quote=True,
            newlines_in_values=True,
            # Empty lines become all-null rows, so the blank-row count sees them.
            ignore_empty_lines=False,
            invalid_row_handler=set_row_aside,
        ),
        convert_options=pa_csv.ConvertOptions(
            # Validated (or transcoded) already, for the whole file at once.
            check_utf8=False,
            column_types=dict.fromkeys(header.names, pa.large_string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    )
    frame = pl.from_arrow(table)
    if not isinstance(frame, pl.DataFrame):  # pragma: no cover - a Table always gives a frame
        raise TypeError("expected a DataFrame from an Arrow table")
    return frame, set_aside
