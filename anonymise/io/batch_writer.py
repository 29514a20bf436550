"""Write a cleaned dataset from its slices, atomically like ``write_frame``.

The slices come from an iterator that makes each one when it is asked for. Polars'
streaming sink pulls them and writes them: Parquet in row groups of a set size, each
column of a group encoded on its own core; CSV with one header, the formula guard on
every slice. A slice is made while the ones before it are written, and the sink asks
for the next only once it has room, so memory holds a few slices at most. Nothing is
in place until the last slice is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from polars.io.plugins import register_io_source

from anonymise.errors import OutputError
from anonymise.io.atomic import replacing
from anonymise.io.writers import OutputFormat, guard_formulas


@dataclass(frozen=True)
class Written:
    """What ``write_slices`` wrote: counts and names, never values."""

    rows: int
    columns: tuple[str, ...]


class _SliceSource:
    """The slices as a Polars source: read once, in order, counting the rows; an error
    raised while making a slice is kept, so it is told from one of the sink's."""

    def __init__(self, slices: Iterable[pl.DataFrame], fmt: OutputFormat) -> None:
        self._slices = iter(slices)
        self._fmt = fmt
        self._taken = False
        first = self._next()
        if first is None:
            raise ValueError("write_slices needs one slice at least (an empty one will do)")
        self._first: pl.DataFrame | None = first
        self.schema = first.schema
        self.rows = 0
        self.error: Exception | None = None

    def _next(self) -> pl.DataFrame | None:
        frame = next(self._slices, None)
        if frame is not None and self._fmt == "csv":
            frame = guard_formulas(frame)
        return frame

    def lazy(self) -> pl.LazyFrame:
        return register_io_source(self._read, schema=self.schema)

    def _read(
        self,
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        if self._taken:
            raise RuntimeError("the slices of a batched write can be read once only")
        if predicate is not None or n_rows is not None:
            raise RuntimeError("a batched write reads every row of every slice")
        self._taken = True
        return self._frames(with_columns)

    def _frames(self, with_columns: list[str] | None) -> Iterator[pl.DataFrame]:
        frame, self._first = self._first, None  # held no longer than the sink holds it
        try:
            while frame is not None:
                if frame.schema != self.schema:
                    # a slice whose column came out all null, say: the sink takes one
                    # schema, the first slice's, and panics on another
                    frame = frame.cast(self.schema)
                self.rows += frame.height
                yield frame if with_columns is None else frame.select(with_columns)
                frame = self._next()
        except Exception as exc:  # not GeneratorExit: the sink closing it after its own error
            self.error = exc
            raise


def write_slices(
    slices: Iterable[pl.DataFrame],
    target: Path,
    fmt: OutputFormat,
    *,
    compression_level: int = 1,
    row_group_rows: int | None = None,
) -> Written:
    """Write ``slices`` (frames of one schema, in order) to ``target`` in place; on any
    error no file is left. Parquet is zstd-compressed at ``compression_level``, in row
    groups of ``row_group_rows`` (Polars' choice when None). An error raised while a
    slice is made propagates as it is; one of writing names ``target``."""
    source = _SliceSource(slices, fmt)  # the first slice is made here, before any file
    try:
        with replacing(target, private=False) as handle:
            if fmt == "parquet":
                source.lazy().sink_parquet(
                    handle,
                    compression="zstd",
                    compression_level=compression_level,
                    row_group_size=row_group_rows,
                )
            else:
                source.lazy().sink_csv(handle)
    except (OSError, pl.exceptions.PolarsError) as exc:
        if source.error is not None:
            raise source.error from None
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise OutputError(f"output '{target}': cannot write it ({reason})") from exc
    return Written(source.rows, tuple(source.schema.names()))
