"""A deterministic sample of a column's values: the same file gives the same sample."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


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


def sample_column(series: pl.Series, *, size: int, seed: int) -> ValueSample:
    """Up to ``size`` non-empty cells, drawn with a fixed seed, grouped by value.

    Cells are drawn before they are cleaned, so a million-row column costs no more
    than its sample; blank cells drawn are then left out.
    """
    present = series.drop_nulls()
    non_empty = present.len()
    if non_empty > size:
        present = present.sample(n=size, seed=seed, shuffle=True)
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
