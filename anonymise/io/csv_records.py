"""Records of delimited text with the physical lines they span, and their raw text.

The csv module is the slow but exact reference: it is used only for files with rows the
fast parser had to set aside. Fields are parsed for every record, but the raw text is
rebuilt only for the few records that need it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

# A notes field or an unclosed quote easily passes the csv module's 128 KiB default.
_FIELD_SIZE_LIMIT = 2**31 - 1


def allow_long_fields() -> None:
    """Lift the csv module's limit on a field's length (process-wide): a field past it
    raises ``csv.Error``, whatever read before in the process."""
    if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
        csv.field_size_limit(_FIELD_SIZE_LIMIT)


def scan_records(text: str, delimiter: str) -> Iterator[tuple[int, int, list[str]]]:
    """``(first line, last line, fields)`` of every record; an empty line has no fields."""
    allow_long_fields()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous = 0
    for fields in reader:
        yield previous + 1, reader.line_num, fields
        previous = reader.line_num


def split_row_text(text: str, delimiter: str) -> list[str]:
    """The fields of one record's raw text."""
    return next((fields for _, _, fields in scan_records(text, delimiter)), [])


def raw_lines(text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    """The text of each ``(first line, last line)`` span, in order, without its final
    line break. ``spans`` must be sorted and must not overlap."""
    found: list[str] = []
    pending = iter(spans)
    span = next(pending, None)
    collected: list[str] = []
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if span is None:
            break
        if number >= span[0]:
            collected.append(line)
        if number == span[1]:
            found.append(_without_line_break("".join(collected)))
            collected = []
            span = next(pending, None)
    return found


def _without_line_break(raw: str) -> str:
    if raw.endswith("\r\n"):
        return raw[:-2]
    if raw.endswith(("\n", "\r")):
        return raw[:-1]
    return raw
