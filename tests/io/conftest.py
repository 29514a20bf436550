"""Shared fixtures for the reader tests: inputs written to a temporary folder or to
fsspec's in-memory filesystem, and a choice of CSV parser."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import fsspec
import pytest

from anonymise.io import csv_reader


@pytest.fixture
def memory_root() -> Iterator[str]:
    """A fresh ``memory://`` folder, removed afterwards (the memory filesystem is global)."""
    fs = fsspec.filesystem("memory")
    root = f"/io-tests-{uuid.uuid4().hex}"
    fs.mkdir(root)
    yield f"memory://{root}"
    fs.rm(root, recursive=True)


def _leave_csv_to_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """As when the bytes do not prove Polars' frame whole: Arrow reads the file."""
    monkeypatch.setattr(csv_reader, "_proven", lambda *_: None)


@pytest.fixture
def arrow_reads_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    _leave_csv_to_arrow(monkeypatch)


@pytest.fixture(params=["polars first", "arrow"])
def each_csv_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runs twice: as a read goes (Polars first), then with Arrow alone."""
    if request.param == "arrow":
        _leave_csv_to_arrow(monkeypatch)
