"""Stopping Prefect's temporary server stops only one this process started."""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.server.api.server import SubprocessASGIServer

from flows.prefect_api import stop_temporary_server


def test_a_server_at_a_set_api_url_is_not_stopped() -> None:
    # the suite's harness sets the API URL; its server is in Prefect's registry too
    running = [s for s in SubprocessASGIServer._instances.values() if s.running]
    assert running
    stop_temporary_server()
    assert all(s.running for s in running)
    with get_client(sync_client=True) as client:
        assert client.api_healthcheck() is None  # None: healthy
