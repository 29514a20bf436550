"""A staged input held as Arrow record batches, for runs in batches (``memory: batched``).

A whole frame holds Arrow's text buffers and a 16-byte view per cell: about 2.2 times
the CSV of a 1M-row export.
Arrow's batches alone take about 1.25 times. Steps that need a whole column (sampling
for detection, the input's names, identity columns) get that one column as a Series;
the transform gets the rows a slice at a time. No step ever holds the input as one
Polars frame.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]


class StagedTable:
    """Rows as Arrow record batches, all columns ``string``; read-only."""

    def __init__(self, schema: pa.Schema, batches: Sequence[pa.RecordBatch]) -> None:
        self._schema = schema
        self._batches = tuple(b for b in batches if b.num_rows)

    @property
    def columns(self) -> list[str]:
        return list(self._schema.names)

    @property
    def width(self) -> int:
        return len(self._schema.names)

    @property
    def height(self) -> int:
        return sum(b.num_rows for b in self._batches)

    @property
    def batch_count(self) -> int:
        return len(self._batches)

    def arrow(self) -> pa.Table:
        """The rows as one Arrow table (no copy: its chunks are the batches)."""
        return pa.Table.from_batches(self._batches, schema=self._schema)

    def estimated_size(self) -> int:
        """Bytes held by the batches' buffers."""
        return sum(b.nbytes for b in self._batches)

    def get_column(self, name: str) -> pl.Series:
        """One whole column as a Series (the same values, in order, as the column of
        the frame ``read_table`` gives)."""
        return arrow_series(self._column(name)).alias(name)

    def draw_cells(self, name: str, *, size: int, seed: int) -> tuple[pl.Series, int]:
        """``detectors.sampling.draw_cells`` of one column, converting only the cells
        drawn: the positions drawn from the non-null cells are Polars' own (a sample of
        the numbers 0..n-1 with the same seed picks the same places), so the sample is
        the one a whole run draws (1M-row export: 0.35 s less than converting every
        column whole, and no column held whole)."""
        column = self._column(name)
        present = pc.indices_nonzero(pc.is_valid(column))
        non_empty = len(present)
        if non_empty > size:
            places = pl.int_range(0, non_empty, dtype=pl.UInt64, eager=True)
            present = present.take(places.sample(n=size, seed=seed, shuffle=True).to_arrow())
        return arrow_series(column.take(present)).alias(name), non_empty

    def _column(self, name: str) -> pa.ChunkedArray:
        """One column over every batch, in Arrow (no copy)."""
        if self._schema.get_field_index(name) < 0:
            raise KeyError(name)
        return self.arrow().column(name)

    def select(self, names: Sequence[str]) -> pl.DataFrame:
        """Whole columns ``names`` as one frame (a few columns, such as identity ones)."""
        return pl.DataFrame([self.get_column(n) for n in names])

    def slices(self, rows: int, *, ramp: bool = False) -> Iterator[pl.DataFrame]:
        """The rows in order, ``rows`` at a time (the last slice may hold fewer), each
        converted to a frame only when it is reached; one empty slice if no rows.

        With ``ramp`` the first two slices hold a quarter and a half of ``rows``: the
        first slices of a run pay its one-time costs (regexes compiled, caches filled)
        on top of their own memory, and smaller ones keep that peak lower.
        """
        bounds = self.slice_bounds(rows, ramp=ramp)
        if not bounds:
            # No rows left (all blocked, say): one empty slice still carries the columns.
            yield pl.DataFrame(schema=dict.fromkeys(self.columns, pl.String))
            return
        table = self.arrow()
        for offset, size in bounds:
            yield _frame(table.slice(offset, size))

    def slice_bounds(self, rows: int, *, ramp: bool = False) -> list[tuple[int, int]]:
        """(offset, rows) of each slice ``slices`` gives; none if there are no rows."""
        if rows < 1:
            raise ValueError("rows must be at least 1")
        height = self.height
        sizes = [max(1, rows // 4), max(1, rows // 2)] if ramp else []
        bounds = []
        offset = 0
        while offset < height:
            size = min(sizes.pop(0) if sizes else rows, height - offset)
            bounds.append((offset, size))
            offset += size
        return bounds

    def rows(self, offset: int, length: int, columns: Sequence[str]) -> pl.DataFrame:
        """Rows ``offset`` to ``offset + length`` of ``columns`` only, as a frame."""
        table = self.arrow()
        return _frame(table.select(list(columns)).slice(offset, length))

    def text_bytes(self, offset: int, length: int, columns: Sequence[str]) -> int:
        """Bytes of text in those rows of ``columns`` (for sizing a slice of them)."""
        table = self.arrow()
        part = table.select(list(columns)).slice(offset, length)
        return sum(
            int(pc.sum(pc.binary_length(part.column(name))).as_py() or 0) for name in columns
        )

    def filter(self, keep: pl.Series) -> StagedTable:
        """Only the rows where ``keep`` (one boolean per row) is true."""
        if keep.len() != self.height:
            raise ValueError("the mask must hold one value per row")
        kept = []
        offset = 0
        for batch in self._batches:
            part = keep.slice(offset, batch.num_rows)
            offset += batch.num_rows
            if part.all():
                kept.append(batch)
            elif part.any():
                kept.append(batch.filter(part.to_arrow()))
        return StagedTable(self._schema, kept)

    def write_ipc(self, path: str) -> None:
        """Spill to an Arrow IPC file (uncompressed: it is read back soon)."""
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, self._schema) as writer:
            for batch in self._batches:
                writer.write_batch(batch)

    @classmethod
    def read_ipc(cls, path: str) -> StagedTable:
        """A table spilled by ``write_ipc``, memory-mapped (pages load as they are read)."""
        reader = pa.ipc.open_file(pa.memory_map(path, "r"))
        return cls(reader.schema, [reader.get_batch(i) for i in range(reader.num_record_batches)])

    def __repr__(self) -> str:
        # Never the values.
        return (
            f"StagedTable(rows={self.height}, columns={self.width}, batches={len(self._batches)})"
        )


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    if not isinstance(frame, pl.DataFrame):  # pragma: no cover - a Table gives a frame
        raise TypeError("expected a DataFrame from an Arrow table")
    return frame


def arrow_series(array: pa.Array | pa.ChunkedArray) -> pl.Series:
    """An Arrow array or chunked array as a Polars Series."""
    series = pl.from_arrow(array)
    if not isinstance(series, pl.Series):  # pragma: no cover - an array gives a Series
        raise TypeError("expected a Series from an Arrow array")
    return series
