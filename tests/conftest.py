"""Shared fixtures: the sample exports and one analyzer per test session."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    from detectors.analyzer import shared_analyzer
    from detectors.settings import DetectionSettings

    return shared_analyzer(DetectionSettings())


@pytest.fixture(autouse=True)
def _no_warm_up_left_running() -> Iterator[None]:
    """A detection warm-up started by a test (``stage``, ``scan``) ends with that test,
    so that no background work overlaps the next one (some count library calls)."""
    yield
    for thread in threading.enumerate():
        if thread.name == "detection-warm-up":
            thread.join(timeout=120)
