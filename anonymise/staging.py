"""Staged inputs, handed from ``stage`` to ``plan`` and ``transform`` by path.

Each staged input has a path in the run's work folder. Writing the frame there and
reading it back twice cost more than reading the CSV itself (1M rows: ~1.5 s to write
the Arrow file, ~0.7 s per read), so the frame stays in this process's memory under
that path while the held frames fit the budget; beyond it, a frame is written to its
path (Arrow IPC) and read back from there. Steps only ever see the path, so nothing
changes for them, and no frame reaches a Prefect result.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Final

import polars as pl

from anonymise.errors import RunError

_SHARE_OF_MEMORY: Final = 4  # hold up to a quarter of physical memory


def _default_budget() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // _SHARE_OF_MEMORY
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 30


class StagingArea:
    """Frames by staged path: in memory within ``budget_bytes``, on disk beyond it."""

    def __init__(self, budget_bytes: int | None = None) -> None:
        self.budget_bytes = _default_budget() if budget_bytes is None else budget_bytes
        self._held: dict[str, pl.DataFrame] = {}
        self._lock = threading.Lock()

    def put(self, path: Path, frame: pl.DataFrame) -> str:
        """Stage ``frame`` at ``path``; returns where it went: ``memory`` or ``disk``."""
        size = frame.estimated_size()
        with self._lock:
            held = sum(f.estimated_size() for f in self._held.values())
            if held + size <= self.budget_bytes:
                self._held[str(path)] = frame
                return "memory"
        # Uncompressed: it is read back soon, from the same disk.
        frame.write_ipc(path, compression="uncompressed")
        return "disk"

    def get(self, path: str | Path) -> pl.DataFrame:
        """The frame staged at ``path``."""
        with self._lock:
            frame = self._held.get(str(path))
        if frame is not None:
            return frame
        if Path(path).exists():
            return pl.read_ipc(path)
        raise RunError(
            f"staged input '{path}' is neither in this process's memory nor on disk; "
            "every step of a run must run in one process (the flow's default task runner)"
        )

    def discard(self, path: str | Path) -> None:
        """Forget the frame at ``path`` and delete its file, if any."""
        with self._lock:
            self._held.pop(str(path), None)
        Path(path).unlink(missing_ok=True)

    def discard_under(self, folder: Path) -> None:
        """Forget every frame staged inside ``folder`` (a finished run's work folder)."""
        prefix = str(folder).rstrip(os.sep) + os.sep
        with self._lock:
            for key in [k for k in self._held if k.startswith(prefix)]:
                del self._held[key]

    def held(self) -> int:
        """How many frames are held in memory."""
        with self._lock:
            return len(self._held)


STAGING: Final = StagingArea()
"""The process's staging area; the run's steps share it."""
