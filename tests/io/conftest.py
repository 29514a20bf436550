"""Shared fixtures for the reader tests: inputs written to a temporary folder or to
fsspec's in-memory filesystem."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import fsspec
import pytest


@pytest.fixture
def memory_root() -> Iterator[str]:
    """A fresh ``memory://`` folder, removed afterwards (the memory filesystem is global)."""
    fs = fsspec.filesystem("memory")
    root = f"/io-tests-{uuid.uuid4().hex}"
    fs.mkdir(root)
    yield f"memory://{root}"
    fs.rm(root, recursive=True)
