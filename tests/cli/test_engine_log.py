"""Prefect's console shows the engine's own errors as their message, other errors with
their traceback."""

from __future__ import annotations

import io
import logging

import pytest
from prefect.logging.handlers import PrefectConsoleHandler

from anonymise.cli.engine_log import known_errors_without_traceback
from anonymise.errors import ConfigError


def _logged(error: Exception, logger: logging.Logger) -> None:
    try:
        raise error
    except type(error):
        logger.error("Task run failed with exception: %r", error, exc_info=True)


@pytest.mark.parametrize(
    ("error", "traceback_shown"),
    [(ConfigError("config key 'columns.Nope': no such column"), False), (ValueError("x"), True)],
)
def test_known_errors_lose_only_their_traceback(error: Exception, traceback_shown: bool) -> None:
    stream = io.StringIO()
    console = PrefectConsoleHandler(stream=stream)
    console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.engine_log")
    logger.addHandler(console)
    logger.propagate = False
    try:
        with known_errors_without_traceback():
            _logged(error, logger)
        inside = stream.getvalue()
        stream.truncate(0)
        _logged(error, logger)
        outside = stream.getvalue()
    finally:
        logger.removeHandler(console)
    assert str(error) in inside
    assert ("Traceback" in inside) is traceback_shown
    assert "Traceback" in outside  # the console's own formatter is back
