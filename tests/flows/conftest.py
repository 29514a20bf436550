"""One Prefect test server for the whole session; a key in the environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.testing.utilities import prefect_test_harness

KEY = "flow-test-key-0123456789abcdef0123456789"
OTHER_KEY = "another-key-0123456789abcdef0123456789xyz"


@pytest.fixture(scope="session", autouse=True)
def prefect_server() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(autouse=True)
def key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANONYMISE_KEY", KEY)
