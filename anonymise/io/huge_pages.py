"""Transparent huge pages off for this process, before Arrow reads an input.

Arrow's allocator (mimalloc, pyarrow's default on Linux) asks the kernel for
transparent huge pages (THP) and touches its memory sparsely: with THP on (``always``,
or ``madvise`` mode as mimalloc advises it), the first touch of each 2 MiB region makes
the kernel zero all of it. A fresh process's read of the 1M-row benchmark export spent
30% of its CPU samples there (``benchmarks/NOTES.md``, 2026-11-30); with THP off it
reads nearly as fast as a warm process.

mimalloc turns THP off itself when ``MIMALLOC_ALLOW_THP=0`` is set before pyarrow is
loaded, by calling ``prctl(PR_SET_THP_DISABLE)``. That call works at any time, for memory
first touched from then on, so the readers make it whatever was imported first. It holds
for the whole process and for the programs it starts: in THP's ``always`` mode other
libraries' memory (Polars', numpy's) loses huge pages too. ``ANONYMISE_KEEP_HUGE_PAGES=1``
leaves the setting alone, for a process that wants huge pages for its own work.
Elsewhere than on Linux this does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading

KEEP_HUGE_PAGES_ENV = "ANONYMISE_KEEP_HUGE_PAGES"
_PR_SET_THP_DISABLE = 41
_LOG = logging.getLogger(__name__)
_lock = threading.Lock()
_tried = False
_turned_off = False


def turn_off_transparent_huge_pages() -> bool:
    """Ask the kernel for no transparent huge pages in this process from now on; whether
    they are off. Tried once per process (a refusal is logged at debug level)."""
    global _tried, _turned_off
    with _lock:
        if _tried:
            return _turned_off
        _tried = True
        if os.environ.get(KEEP_HUGE_PAGES_ENV) == "1" or not sys.platform.startswith("linux"):
            return False
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            off = ctypes.c_ulong(1)
            unused = ctypes.c_ulong(0)
            _turned_off = bool(libc.prctl(_PR_SET_THP_DISABLE, off, unused, unused, unused) == 0)
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            _LOG.debug("transparent huge pages left on: no prctl here")
            return False
        if not _turned_off:
            _LOG.debug("transparent huge pages left on: %s", os.strerror(ctypes.get_errno()))
        return _turned_off
