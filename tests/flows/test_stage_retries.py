"""Reading an input is tried again when its storage failed, never when its content was
refused: a large bad export is read once."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import fsspec
import pytest
from fsspec.implementations.memory import MemoryFileSystem

from anonymise.errors import InputError
from flows.run_flow import anonymise_run

CRM = "Id,First Name,Email\n001,Jane,jane.doe@example.com\n002,John,john@example.net\n"


class FlakyStore(MemoryFileSystem):
    """An object store whose first reads fail with an I/O error, as a dropped
    connection does; nothing on this machine fails that way on its own."""

    protocol = ("flaky",)
    failures_left: ClassVar[int] = 0

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        if "r" in mode and FlakyStore.failures_left > 0:
            FlakyStore.failures_left -= 1
            raise OSError(errno.EIO, "Input/output error")
        return super()._open(path, mode, **kwargs)


@pytest.fixture
def flaky_export() -> Iterator[str]:
    fsspec.register_implementation("flaky", FlakyStore, clobber=True)
    url = "flaky://retries/crm.csv"
    with fsspec.open(url, "wb") as handle:
        handle.write(CRM.encode())
    yield url
    FlakyStore().rm(url)


def _config(tmp: Path) -> str:
    path = tmp / "pipeline.yaml"
    path.write_text("pipeline: retries\n")
    return str(path)


def test_a_storage_failure_is_tried_again(
    tmp_path: Path, flaky_export: str, caplog: pytest.LogCaptureFixture
) -> None:
    FlakyStore.failures_left = 1
    report = anonymise_run(_config(tmp_path), inputs=[flaky_export], output_dir=str(tmp_path / "o"))
    assert report["status"] == "succeeded"
    assert "Retry 1/2" in caplog.text
    assert (tmp_path / "o" / "crm.parquet").is_file()


def test_a_storage_that_keeps_failing_fails_the_run_after_the_retries(
    tmp_path: Path, flaky_export: str, caplog: pytest.LogCaptureFixture
) -> None:
    FlakyStore.failures_left = 3
    with pytest.raises(InputError, match=r"cannot be read \(Input/output error\)"):
        anonymise_run(_config(tmp_path), inputs=[flaky_export], output_dir=str(tmp_path / "o"))
    assert "Retry 2/2" in caplog.text


def test_an_input_refused_for_its_content_is_read_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    binary = tmp_path / "crm.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    with pytest.raises(InputError, match=r"crm\.csv.*PNG image"):
        anonymise_run(_config(tmp_path), inputs=[str(binary)], output_dir=str(tmp_path / "o"))
    assert "raise InputError" in caplog.text  # the refusal reached Prefect's logs
    assert "Retry" not in caplog.text
