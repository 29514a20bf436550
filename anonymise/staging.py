"""Staged inputs, handed from ``stage`` to ``plan`` and ``transform`` by path.

Each staged input has a path in the run's work folder. Writing the frame there and
reading it back twice cost more than reading the CSV itself (1M rows: ~1.5 s to write
the Arrow file, ~0.7 s per read), so the frame stays in this process's memory under
that path while the held frames fit the budget; beyond it, a frame is written to its
path (Arrow IPC) and read back from there. Steps only ever see the path, so nothing
changes for them, and no frame reaches a Prefect result.

An input staged in batches (``memory: batched``, or ``auto`` for an input too big to
run whole) is held as a ``StagedTable`` of Arrow batches instead of a frame, and
spilled as such.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Final

import fsspec
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from anonymise.config import MemoryConfig
from anonymise.errors import RunError
from anonymise.io.csv_batches import BatchedRead, read_csv_batched
from anonymise.io.nested_values import refuse_nested
from anonymise.io.read_result import ReadResult
from anonymise.io.readers import read_table
from anonymise.staged_table import StagedTable

_SHARE_OF_MEMORY: Final = 4  # hold up to a quarter of physical memory
# Peak memory of a whole run over a CSV's size (1M-row export, imports in: 5.4-5.7x
# since the frame is made of Arrow's string_view columns, 6.2-6.6x before).
WHOLE_RUN_PER_CSV_BYTE: Final = 6.0
_COLUMNAR_FORMATS: Final = ("json", "ndjson", "parquet")


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 4 << 30


def _default_budget() -> int:
    return _physical_memory() // _SHARE_OF_MEMORY


def runs_batched(source: str, memory: MemoryConfig) -> bool:
    """Whether ``source`` is staged in batches: as configured, or (``auto``) when a
    whole run would need more than its share of physical memory. Only plain UTF-8
    CSV and TSV can be; others are read whole whatever this says."""
    if memory.mode != "auto":
        return memory.mode == "batched"
    try:
        fs, path = fsspec.core.url_to_fs(source)
        size = int(fs.size(path) or 0)
    except (OSError, ValueError, ImportError):
        return False  # reading it whole says what is wrong with it
    return size * WHOLE_RUN_PER_CSV_BYTE > memory.budget_share * _physical_memory()


def read_input(source: str, memory: MemoryConfig) -> ReadResult | BatchedRead:
    """``source`` read as it is staged: in batches where ``runs_batched`` says so and
    the batched reader takes the file, else whole; JSON and Parquet columns of lists or
    records, or named by a person's data, are refused (``anonymise.io.nested_values``);
    durations become text."""
    batched = read_csv_batched(source) if runs_batched(source, memory) else None
    if batched is not None:
        return batched
    read = read_table(source)
    if read.format in _COLUMNAR_FORMATS:
        refuse_nested(source, read.frame, read.nested_as_text)
        return replace(read, frame=durations_as_text(read.frame))
    return read


def durations_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Duration columns (Parquet, Arrow) as ISO 8601 text (``PT30S``): every step reads
    a value as text, and Polars can neither cast a duration to text nor write one to
    CSV. Other types keep theirs."""
    durations = [name for name, dtype in frame.schema.items() if dtype.base_type() == pl.Duration]
    if not durations:
        return frame
    return frame.with_columns(pl.col(name).dt.to_string("iso") for name in durations)


def rows_of(read: ReadResult | BatchedRead) -> pl.DataFrame | StagedTable:
    """The rows an input was read into: a frame, or batches."""
    return read.table if isinstance(read, BatchedRead) else read.frame


class StagingArea:
    """Frames by staged path: in memory within ``budget_bytes``, on disk beyond it."""

    def __init__(self, budget_bytes: int | None = None) -> None:
        self.budget_bytes = _default_budget() if budget_bytes is None else budget_bytes
        self._held: dict[str, pl.DataFrame | StagedTable] = {}
        self._tables_on_disk: set[str] = set()
        self._lock = threading.Lock()

    def put(self, path: Path, frame: pl.DataFrame | StagedTable) -> str:
        """Stage ``frame`` at ``path``; returns where it went: ``memory`` or ``disk``."""
        size = frame.estimated_size()
        with self._lock:
            held = sum(f.estimated_size() for f in self._held.values())
            if held + size <= self.budget_bytes:
                self._held[str(path)] = frame
                return "memory"
        # Uncompressed: it is read back soon, from the same disk.
        if isinstance(frame, StagedTable):
            frame.write_ipc(str(path))
            with self._lock:
                self._tables_on_disk.add(str(path))
        else:
            frame.write_ipc(path, compression="uncompressed")
        return "disk"

    def get(self, path: str | Path) -> pl.DataFrame | StagedTable:
        """The frame (or batched table) staged at ``path``."""
        with self._lock:
            frame = self._held.get(str(path))
            table_on_disk = str(path) in self._tables_on_disk
        if frame is not None:
            return frame
        if Path(path).exists():
            return StagedTable.read_ipc(str(path)) if table_on_disk else pl.read_ipc(path)
        raise RunError(
            f"staged input '{path}' is neither in this process's memory nor on disk; "
            "every step of a run must run in one process (the flow's default task runner)"
        )

    def discard(self, path: str | Path) -> None:
        """Forget the frame at ``path`` and delete its file, if any. A batched table's
        memory goes back to the system at once (Arrow's allocator would keep it, and
        nothing else the run does allocates there)."""
        with self._lock:
            held = self._held.pop(str(path), None)
            self._tables_on_disk.discard(str(path))
        Path(path).unlink(missing_ok=True)
        if isinstance(held, StagedTable):
            del held
            pa.default_memory_pool().release_unused()

    def discard_under(self, folder: Path) -> None:
        """Forget every frame staged inside ``folder`` (a finished run's work folder)."""
        prefix = str(folder).rstrip(os.sep) + os.sep
        with self._lock:
            for key in [k for k in self._held if k.startswith(prefix)]:
                del self._held[key]
            self._tables_on_disk = {k for k in self._tables_on_disk if not k.startswith(prefix)}

    def held(self) -> int:
        """How many frames are held in memory."""
        with self._lock:
            return len(self._held)


STAGING: Final = StagingArea()
"""The process's staging area; the run's steps share it."""
