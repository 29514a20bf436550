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


class _WithoutKnownTracebacks(logging.Formatter):
    """A console formatter that leaves out the traceback of the engine's own errors:
    their message already says what is wrong and where (file, row, column, config key);
    Prefect's API log keeps the traceback."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        from anonymise.errors import AnonymiseError

        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, AnonymiseError):
            return self.inner.format(record)
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text = saved


@contextmanager
def known_errors_without_traceback() -> Iterator[None]:
    """While inside, Prefect's console handlers print the engine's own errors (a config
    key, a refused input, a refused run) as their message, not as a traceback."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    consoles = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
        and type(handler).__module__.startswith("prefect.")
    }
    wrapped = []
    for handler in consoles:
        inner = handler.formatter or logging.Formatter()
        handler.setFormatter(_WithoutKnownTracebacks(inner))
        wrapped.append((handler, inner))
    try:
        yield
    finally:
        for handler, inner in wrapped:
            handler.setFormatter(inner)
