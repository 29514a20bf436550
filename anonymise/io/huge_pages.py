"""Transparent huge pages off for this process, before Arrow reads an input.

Arrow's allocator (mimalloc, pyarrow's default on Linux) spreads its blocks over the
memory it reserves. Where the kernel backs that memory with transparent huge pages
(THP, in ``always`` mode or, as mimalloc asks for them, in ``madvise`` mode), the first
touch of each 2 MiB region makes the kernel zero all of it, even for a few blocks.
Reading the 1M-row export in a fresh process on a 2-core machine (THP in ``madvise``
mode), ``perf`` put 30% of all samples in the kernel zeroing huge pages for mimalloc:
the stage spent 1.5-2.2 s of system time against 0.4 s with THP off, and took
1.8-2.3 s against 1.2-1.3 s. Runs that reuse the memory in one process were unchanged.

mimalloc turns THP off itself when ``MIMALLOC_ALLOW_THP=0`` is set before pyarrow is
loaded; ``prctl(PR_SET_THP_DISABLE)`` is what it then does, and it works at any time,
for memory first touched from then on, so the readers call it whatever was imported
first. The setting is the process's (children inherit it); Polars' allocator asks for
no huge pages, so nothing else this engine does changes. Elsewhere than on Linux this
does nothing.
"""

from __future__ import annotations

import ctypes
import sys
import threading

_PR_SET_THP_DISABLE = 41
_lock = threading.Lock()
_turned_off = False


def turn_off_transparent_huge_pages() -> bool:
    """Ask the kernel for no transparent huge pages in this process from now on (once
    per process); whether they are off."""
    global _turned_off
    with _lock:
        if not _turned_off and sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(None, use_errno=True)
                _turned_off = libc.prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0
            except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
                _turned_off = False
        return _turned_off
