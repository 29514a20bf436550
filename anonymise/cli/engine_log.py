"""The engine's own log lines on stderr, for commands that run outside a Prefect flow.

A flow's log shows them already (``PREFECT_LOGGING_EXTRA_LOGGERS``); ``erase`` shows
them this way: that it waits for a run in the output folder, what it rewrote. They name
files, columns and counts, never values.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def engine_log_on_stderr() -> Iterator[None]:
    """Print logger ``anonymise``'s lines (INFO and up) on stderr while inside."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("anonymise: %(message)s"))
    engine = logging.getLogger("anonymise")
    engine.addHandler(handler)
    try:
        yield
    finally:
        engine.removeHandler(handler)
