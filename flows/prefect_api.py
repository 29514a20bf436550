"""The Prefect API a run or a served pipeline talks to, checked before it is needed."""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL

from anonymise.errors import ConfigError


def check_api_reachable() -> None:
    """A ConfigError naming the URL when ``PREFECT_API_URL`` is set and its server does
    not answer: without this, a server that is down (or a mistyped URL) surfaced as an
    internal error of Prefect's. Without the setting, Prefect starts its own temporary
    server, and there is nothing to check."""
    url = PREFECT_API_URL.value()
    if not url:
        return
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise ConfigError(
            f"the Prefect API at {url} (PREFECT_API_URL) does not answer "
            f"({type(problem).__name__}); start that server (`prefect server start`) or "
            "correct PREFECT_API_URL"
        )


def stop_temporary_server() -> None:
    """Stop the temporary server Prefect started for this process's runs, if any (an
    exit handler of Prefect's does so on a normal exit; one that ends at once skips
    them, and the server was left running, holding its port). With an API URL set,
    Prefect started none: the server there (the user's, or a test harness's, which
    Prefect's registry also holds) is not this process's to stop."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return
    server = SubprocessASGIServer._instances.get(None)  # the one get_client starts
    if server is not None and server.running:
        server.stop()
