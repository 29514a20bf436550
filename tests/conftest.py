"""Shared fixtures: the sample exports and one analyzer per test session."""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets.asyncio.connection
import websockets.client

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# Prefect's events client keeps a websocket to the test server open in a background
# thread once a flow has run, and websockets draws each keepalive ping's payload (and
# its reconnect backoff) from the global `random`. A ping landing while Hypothesis draws
# an example changes the global state under it, and Hypothesis warns "Do not use the
# `random` module inside strategies" (a HypothesisDeprecationWarning, in about half of
# the full runs). The pings get a generator of their own.
_PINGS_OWN_RANDOM = random.Random()
websockets.asyncio.connection.random = _PINGS_OWN_RANDOM  # type: ignore[assignment]
websockets.client.random = _PINGS_OWN_RANDOM  # type: ignore[assignment]

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
