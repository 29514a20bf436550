"""Records of delimited text with the physical line each starts on and its raw text.

The csv module is the slow but exact reference: it is used only for files with rows the
fast parser had to set aside.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

# A notes field or an unclosed quote easily passes the csv module's 128 KiB default.
_FIELD_SIZE_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class Record:
    line: int
    fields: list[str]
    raw: str
    """The record's physical lines, without the final line break."""


def iter_records(text: str, delimiter: str, *, first_line: int = 1) -> Iterator[Record]:
    """Every record of ``text``; an empty line is a record with no fields."""
    if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
        csv.field_size_limit(_FIELD_SIZE_LIMIT)
    consumed: list[str] = []

    def feed() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    reader = csv.reader(feed(), delimiter=delimiter, strict=False)
    start = first_line
    for fields in reader:
        raw = "".join(consumed)
        consumed.clear()
        yield Record(line=start, fields=fields, raw=_without_line_break(raw))
        start = first_line + reader.line_num


def split_row_text(text: str, delimiter: str) -> list[str]:
    """The fields of one record's raw text (as the fast parser reports it)."""
    return next(iter_records(text, delimiter)).fields if text else []


def _without_line_break(raw: str) -> str:
    if raw.endswith("\r\n"):
        return raw[:-2]
    if raw.endswith(("\n", "\r")):
        return raw[:-1]
    return raw
