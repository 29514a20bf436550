"""Shared fixtures: the sample exports and one analyzer per test session."""

from __future__ import annotations

import os
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
