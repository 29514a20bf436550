"""A full disk is named as such, with what to do, and still no value of the error's."""

from __future__ import annotations

import errno
import os

import polars as pl
import pytest

from anonymise.cli.errors import guarded
from anonymise.errors import RunError, out_of_space
from flows.run_flow import value_free

# as Polars says it when a write finds the disk full: its text may quote a cell
POLARS_FULL = pl.exceptions.ComputeError(
    "failed to write 'jane.doe@example.com': No space left on device (os error 28)"
)


@pytest.mark.parametrize(
    "exc",
    [
        POLARS_FULL,
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        OSError(errno.EDQUOT, os.strerror(errno.EDQUOT)),
    ],
)
def test_a_full_disk_is_told_from_other_failures(exc: Exception) -> None:
    assert out_of_space(exc)


def test_other_failures_are_not_a_full_disk() -> None:
    assert not out_of_space(OSError(errno.EACCES, "Permission denied"))
    assert not out_of_space(pl.exceptions.ComputeError("could not parse 'jane'"))


def test_a_step_that_fills_the_disk_says_so_without_the_errors_text() -> None:
    @value_free
    def transform_task() -> None:
        raise POLARS_FULL

    with pytest.raises(RunError, match="no space left on the device") as failed:
        transform_task()
    assert "jane" not in str(failed.value)


def test_a_command_that_fills_the_disk_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    def erase() -> None:
        raise POLARS_FULL

    with pytest.raises(SystemExit):
        guarded(erase, aftermath="every file is as it was")
    said = capsys.readouterr().err
    assert "no space left on the device" in said
    assert "jane" not in said
