"""Blank rows: every field empty or whitespace. They carry no data, so they are counted and
dropped rather than quarantined."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

# One definition for Python and for Polars' regex engine, which disagree on "\s".
BLANK_CHARS = " \t\r\n\f\v\u00a0"
_BLANK_VALUE = f"^[{BLANK_CHARS}]*$"


def is_blank_value(value: str | None) -> bool:
    return value is None or not value.strip(BLANK_CHARS)


def is_blank_record(fields: Sequence[str]) -> bool:
    return all(is_blank_value(field) for field in fields)


def blank_values(values: pl.Series) -> pl.Series:
    """Which of ``values`` are null, empty or whitespace only."""
    return (values.is_null() | values.str.contains(_BLANK_VALUE)).fill_null(value=False)


def drop_blank_rows(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """``frame`` (all ``pl.String``) without its blank rows, and how many there were.

    Starts from the fullest column, so on a typical export the first column already rules
    out almost every row and the rest are checked only on the few candidates left.
    """
    if frame.height == 0 or frame.width == 0:
        return frame, 0
    columns = sorted(frame.columns, key=lambda name: frame.get_column(name).null_count())
    candidates = blank_values(frame.get_column(columns[0])).arg_true()
    for name in columns[1:]:
        if candidates.is_empty():
            break
        candidates = candidates.filter(blank_values(frame.get_column(name).gather(candidates)))
    if candidates.is_empty():
        return frame, 0
    blank = pl.repeat(value=False, n=frame.height, eager=True).scatter(candidates, values=True)
    return frame.filter(~blank), len(candidates)
