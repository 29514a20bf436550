"""Blank rows: every field empty or whitespace. They carry no data, so they are counted and
dropped rather than quarantined."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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


def blank_row_positions(
    null_counts: Sequence[int], values_at: Callable[[int, pl.Series | None], pl.Series]
) -> pl.Series:
    """Positions of the blank rows of a table whose columns have ``null_counts``.

    Starts from the fullest column, so on a typical export the first column already rules
    out almost every row, and the rest are read only at the few candidates left:
    ``values_at(i, rows)`` gives column ``i`` at ``rows`` (every row for ``None``).
    """
    candidates: pl.Series | None = None
    for index in sorted(range(len(null_counts)), key=null_counts.__getitem__):
        blank = blank_values(values_at(index, candidates))
        candidates = blank.arg_true() if candidates is None else candidates.filter(blank)
        if candidates.is_empty():
            break
    return pl.Series(dtype=pl.UInt32) if candidates is None else candidates


def drop_blank_rows(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """``frame`` (all ``pl.String``) without its blank rows, and how many there were."""
    if frame.height == 0 or frame.width == 0:
        return frame, 0
    columns = frame.get_columns()

    def values_at(index: int, rows: pl.Series | None) -> pl.Series:
        return columns[index] if rows is None else columns[index].gather(rows)

    positions = blank_row_positions([c.null_count() for c in columns], values_at)
    if positions.is_empty():
        return frame, 0
    blank = pl.repeat(value=False, n=frame.height, eager=True).scatter(positions, values=True)
    return frame.filter(~blank), len(positions)
