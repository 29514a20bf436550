"""The transform step for an input staged in batches (``memory: batched``).

The plan is applied to one slice of rows at a time, each slice made when the writer
asks for it (``write_slices``), so neither the input nor the output is ever whole in
memory. Every action works value by value, so the output is the one a whole run
writes. What needs the whole input is taken from it first: the input's own names,
scrubbed from notes.

Verification reads the written file back one column at a time, once the staged input
is let go: each column is sampled as a whole run samples it (same values, same seed),
so it finds what a whole run finds. CSV output is read back as written, formula guard
included (a whole run checks the frame before the guard).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from anonymise.config import PipelineConfig
from anonymise.io.batch_writer import write_slices
from anonymise.plan import PlannedInput
from anonymise.staged_table import StagedTable
from anonymise.transforming import names_in_frame, plan_expressions
from anonymise.verification import UNCHECKED_ACTIONS, Residual, verify_frame
from detectors import entities as e
from transforms import is_column_drop

# Columns whose transform costs mostly per call, not per row: a note takes ~70 Polars
# calls (names, the pattern table, deny terms), a phone number libphonenumber's rules
# (a pass per number shape). They are computed this many slices at a time, within this
# much of their text.
WINDOWED_ENTITIES: Final = frozenset({e.FREE_TEXT, e.PHONE_NUMBER})
WINDOW_SLICES: Final = 5
WINDOW_TEXT_BYTES: Final = 32 << 20


@dataclass(frozen=True)
class TransformOutput:
    """What the transform step wrote: counts and names, never values."""

    rows: int
    columns: tuple[str, ...]
    residuals: tuple[Residual, ...]
    nulled: dict[str, int] = field(default_factory=dict)
    """Per column, values its action could not read (a date in no known shape, an
    e-mail address given to a date action) that became empty."""


def became_null(before: pl.DataFrame, after: pl.DataFrame) -> Counter[str]:
    """Per column of ``after`` (the same rows as ``before``): how many more nulls."""
    names = [name for name in after.columns if name in before.columns]
    if not names:
        return Counter()
    was = before.select(names).null_count().row(0)
    now = after.select(names).null_count().row(0)
    return Counter({name: b - a for name, a, b in zip(names, was, now, strict=True) if b > a})


def transform_table(
    table: StagedTable,
    planned: PlannedInput,
    *,
    key: bytes,
    config: PipelineConfig,
    pending: Path,
) -> TransformOutput:
    """Apply ``planned`` to ``table`` slice by slice into ``pending`` (not verified)."""
    # Built once for every slice: the input's names, and what the expressions learn.
    expressions = plan_expressions(
        planned,
        names=names_in_frame(table, planned),
        key=key,
        allow_values=config.suppression.allow_values,
        deny_terms=config.suppression.deny_terms,
        detection=config.detection,
        phone_region=config.suppression.phone_region,
    )
    # Detection's samples and the names were converted from Arrow; what that freed
    # goes back to the system (Arrow's allocator keeps it, and no slice allocates
    # there): ~40 MiB off the transform's peak.
    pa.default_memory_pool().release_unused()
    kept = [c for c in planned.columns if not is_column_drop(c.action)]
    bounds = table.slice_bounds(config.memory.batch_rows, ramp=True)
    # Windowed: a column of those entities computed from its own values alone (an
    # action may read another column, such as date_shift's by_column).
    windowed = {
        c.name
        for x, c in zip(expressions, kept, strict=True)
        if c.entity in WINDOWED_ENTITIES
        and c.action != "keep"
        and x.meta.root_names() == [c.name]
        and bounds
    }
    windows = _Windows(
        table,
        [x for x, c in zip(expressions, kept, strict=True) if c.name in windowed],
        [c.name for c in kept if c.name in windowed],
        bounds,
    )
    per_slice = [x for x, c in zip(expressions, kept, strict=True) if c.name not in windowed]
    order = [c.name for c in kept]
    nulled: Counter[str] = Counter()

    def output_slices() -> Iterator[pl.DataFrame]:
        for index, part in enumerate(table.slices(config.memory.batch_rows, ramp=True)):
            out = part.select(per_slice)
            if windowed:
                done = windows.rows(index)
                out = pl.concat([out, done], how="horizontal") if per_slice else done
                del done
            out = out.select(order)
            nulled.update(became_null(part, out))
            yield out

    written = write_slices(
        output_slices(),
        pending,
        config.output.format,
        compression_level=config.output.compression_level,
        row_group_rows=config.memory.batch_rows,
    )
    return TransformOutput(written.rows, written.columns, (), dict(nulled))


class _Windows:
    """The windowed columns' results, computed ``WINDOW_SLICES`` slices at a time (fewer
    where their text would pass ``WINDOW_TEXT_BYTES``) and handed out a slice at a time.

    Over the 50 slices of the 1M-row export, their per-call costs took most of their
    time; a window of five slices pays them a fifth as often. Only those columns are
    read for a window, so it holds little besides their text. A window is whole slices,
    so no row is computed twice."""

    def __init__(
        self,
        table: StagedTable,
        expressions: list[pl.Expr],
        columns: list[str],
        bounds: list[tuple[int, int]],
    ) -> None:
        self._table = table
        self._expressions = expressions
        self._columns = columns
        self._bounds = bounds  # (offset, rows) of each slice
        self._first = 0  # the current window's first slice
        self._slices = 0  # and how many it holds
        self._done: pl.DataFrame | None = None

    def _starts_new(self, index: int) -> bool:
        """Whether slice ``index`` needs a new window."""
        return self._done is None or not self._first <= index < self._first + self._slices

    def rows(self, index: int) -> pl.DataFrame:
        """The results for slice ``index`` (slices are asked for in order)."""
        if self._starts_new(index):
            self._done = None  # the last window's results go before the next is made
            self._first, self._slices = index, self._window_at(index)
            start, length = self._span(index, self._slices)
            self._done = self._table.rows(start, length, self._columns).select(self._expressions)
        offset, length = self._bounds[index]
        assert self._done is not None
        return self._done.slice(offset - self._bounds[self._first][0], length)

    def _window_at(self, index: int) -> int:
        """How many slices from ``index`` one window holds."""
        slices = min(WINDOW_SLICES, len(self._bounds) - index)
        while slices > 1 and self._table.text_bytes(*self._span(index, slices), self._columns) > (
            WINDOW_TEXT_BYTES
        ):
            slices -= 1
        return slices

    def _span(self, index: int, slices: int) -> tuple[int, int]:
        """(offset, rows) of ``slices`` slices from slice ``index``."""
        within = self._bounds[index : index + slices]
        return within[0][0], sum(rows for _, rows in within)


def verify_written(pending: Path, planned: PlannedInput, config: PipelineConfig) -> list[Residual]:
    """Residual personal data in the file ``transform_table`` wrote, a column at a time."""
    from detectors.analyzer import shared_analyzer

    analyzer = shared_analyzer(config.detection)
    residuals: list[Residual] = []
    for column in planned.columns:
        if column.action in UNCHECKED_ACTIONS:
            continue
        written = _read_column(pending, config.output.format, column.name)
        if written is None:
            continue  # dropped
        residuals += verify_frame(
            written,
            planned,
            analyzer,
            config.detection,
            allow_values=config.suppression.allow_values,
        )
    return residuals


def _read_column(path: Path, fmt: str, name: str) -> pl.DataFrame | None:
    if fmt == "parquet":
        if name not in pl.read_parquet_schema(path):
            return None
        return pl.read_parquet(path, columns=[name])
    header = pl.read_csv(path, n_rows=0, infer_schema=False).columns
    if name not in header:
        return None
    return pl.read_csv(path, columns=[name], infer_schema=False)
