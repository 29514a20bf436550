"""Write a cleaned dataset a slice of rows at a time, atomically like ``write_frame``.

Parquet goes through Arrow's writer, one row group per slice; CSV through Polars, the
header once. Each slice is written in a background thread while the caller makes the
next one (both release the GIL), and at most one write waits, so memory holds two
slices at most. Nothing is in place until the last slice is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from anonymise.errors import OutputError
from anonymise.io.atomic import replacing
from anonymise.io.writers import OutputFormat, guard_formulas


class BatchWriter:
    """Appends slices of one dataset to a file opened by ``open_batch_writer``."""

    def __init__(
        self, handle: BinaryIO, fmt: OutputFormat, compression_level: int, target: Path
    ) -> None:
        self._handle = handle
        self._fmt = fmt
        self._level = compression_level
        self._target = target
        self._parquet: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._header_written = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="write-output")
        self._pending: Future[None] | None = None
        self.rows = 0
        self.columns: tuple[str, ...] = ()

    def write(self, frame: pl.DataFrame) -> None:
        """Queue ``frame`` (the next rows) for writing; waits for the previous slice."""
        if not self.columns:
            self.columns = tuple(frame.columns)
        self.wait()
        self.rows += frame.height
        self._pending = self._pool.submit(self._write, frame)

    def wait(self) -> None:
        """Until the queued slice is written (its error, if any, is raised here)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        """Write what is queued and the file's footer."""
        try:
            self.wait()
            if self._parquet is not None:
                self._parquet.close()
        except (OSError, pa.ArrowException) as exc:
            raise self._error(exc) from exc
        finally:
            self._pool.shutdown(wait=True)

    def abandon(self) -> None:
        """After an error elsewhere: stop, without finishing a file that is thrown away
        (finishing it could raise anew and hide the first error)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        parquet, self._parquet = self._parquet, None
        if parquet is not None:
            # Closed here, its error dropped: Arrow would close it when collected, and
            # report writing to the removed temporary file.
            with contextlib.suppress(Exception):
                parquet.close()

    def _write(self, frame: pl.DataFrame) -> None:
        try:
            self._append(frame)
        except (OSError, pa.ArrowException) as exc:
            raise self._error(exc) from exc

    def _error(self, exc: Exception) -> OutputError:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        return OutputError(f"output '{self._target}': cannot write it ({reason})")

    def _append(self, frame: pl.DataFrame) -> None:
        if self._fmt == "csv":
            guard_formulas(frame).write_csv(self._handle, include_header=not self._header_written)
            self._header_written = True
            return
        table = frame.to_arrow()
        if self._parquet is None:
            self._schema = table.schema
            self._parquet = pq.ParquetWriter(
                self._handle,
                table.schema,
                compression="zstd",
                compression_level=self._level,
                use_dictionary=_repeating_columns(frame),
            )
        elif table.schema != self._schema:
            table = table.cast(self._schema)
        self._parquet.write_table(table)


# A column whose first slice repeats values this much is dictionary-encoded. Tokens and
# notes hardly repeat: trying a dictionary on them costs time (1M rows: ~1 s of CPU)
# for a file no smaller.
_DICTIONARY_BELOW_DISTINCT_SHARE = 0.5


def _repeating_columns(frame: pl.DataFrame) -> list[str]:
    rows = max(frame.height, 1)
    return [
        name
        for name in frame.columns
        if frame.get_column(name).n_unique() < _DICTIONARY_BELOW_DISTINCT_SHARE * rows
    ]


@contextlib.contextmanager
def open_batch_writer(
    target: Path, fmt: OutputFormat, *, compression_level: int = 1
) -> Iterator[BatchWriter]:
    """A ``BatchWriter`` onto ``target``: in place on a clean exit, absent on an error."""
    try:
        with replacing(target, private=False) as handle:
            writer = BatchWriter(handle, fmt, compression_level, target)
            try:
                yield writer
            except BaseException:
                writer.abandon()
                raise
            writer.close()
    except OSError as exc:  # creating, syncing or renaming the file
        reason = exc.strerror or type(exc).__name__
        raise OutputError(f"output '{target}': cannot write it ({reason})") from exc
