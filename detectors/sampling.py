"""A deterministic sample of a column's values: the same file gives the same sample."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import polars as pl

from detectors.columns import Columns


@dataclass(frozen=True)
class ValueSample:
    """Distinct sampled values (detection-normalised, in sample order) and their counts."""

    values: tuple[str, ...]
    counts: tuple[int, ...]
    non_empty: int  # non-null cells in the whole column
    sampled: int  # cells in the sample (sum of counts)

    def head(self, distinct: int) -> ValueSample:
        """The first ``distinct`` values of the sample, still a random draw."""
        counts = self.counts[:distinct]
        return ValueSample(self.values[:distinct], counts, self.non_empty, sum(counts))


def _detection_form(column: pl.Expr) -> pl.Expr:
    # Keap writes phones as `'+44 20 ...   `: the apostrophe and padding are not content.
    return column.cast(pl.String).str.strip_chars().str.strip_chars_start("'").str.strip_chars()


@runtime_checkable
class DrawsCells(Protocol):
    """Columns that draw a sample of one column without handing out all of it (a
    staged table kept as Arrow batches)."""

    def draw_cells(self, name: str, *, size: int, seed: int) -> tuple[pl.Series, int]: ...


def draw_cells(series: pl.Series, *, size: int, seed: int) -> tuple[pl.Series, int]:
    """Up to ``size`` non-null cells drawn with a fixed seed, and how many there are."""
    present = series.drop_nulls()
    non_empty = present.len()
    if non_empty > size:
        present = present.sample(n=size, seed=seed, shuffle=True)
    return present, non_empty


def sample_of(frame: Columns, name: str, *, size: int, seed: int) -> ValueSample:
    """``sample_column`` of one column of ``frame`` (drawn in place where it can be)."""
    if isinstance(frame, DrawsCells):
        return _grouped(*frame.draw_cells(name, size=size, seed=seed))
    return sample_column(frame.get_column(name), size=size, seed=seed)


def sample_column(series: pl.Series, *, size: int, seed: int) -> ValueSample:
    """Up to ``size`` non-empty cells, drawn with a fixed seed, grouped by value.

    Cells are drawn before they are cleaned, so a million-row column costs no more
    than its sample; blank cells drawn are then left out.
    """
    return _grouped(*draw_cells(series, size=size, seed=seed))


def _grouped(present: pl.Series, non_empty: int) -> ValueSample:
    cells = (
        present.to_frame("v")
        .select(_detection_form(pl.col("v")))
        .filter(pl.col("v") != "")
        .get_column("v")
    )
    grouped = cells.to_frame("v").group_by("v", maintain_order=True).len("n")
    return ValueSample(
        values=tuple(grouped.get_column("v").to_list()),
        counts=tuple(grouped.get_column("n").to_list()),
        non_empty=non_empty,
        sampled=cells.len(),
    )
