"""Serve pipelines as Prefect deployments on the cron schedules their configs give."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.settings import PREFECT_API_URL

from anonymise.config import load_config
from anonymise.errors import ConfigError
from anonymise.key_source import configured_key
from flows.prefect_api import check_api_reachable
from flows.run_flow import anonymise_run


def deployments_for(config_paths: Sequence[Path]) -> list[RunnerDeployment]:
    """One deployment per config, named after its pipeline, on its `schedule` cron.
    Each config must have its key now, as its runs will: a run that cannot read it
    fails at every tick, seen only in Prefect's log."""
    deployments = []
    served: dict[str, Path] = {}
    for path in config_paths:
        config = load_config(path)
        if not config.schedule:
            raise ConfigError(
                f"config '{path}', key 'schedule': missing; give a cron such as '0 6 * * 1' "
                "to serve this pipeline"
            )
        if config.pipeline in served:
            raise ConfigError(
                f"config '{path}', key 'pipeline': '{config.pipeline}' is served already by "
                f"'{served[config.pipeline]}', and a deployment is named by its pipeline (one "
                "would never run); give each pipeline its own name"
            )
        served[config.pipeline] = path
        configured_key(config)
        deployment = anonymise_run.to_deployment(
            name=config.pipeline,
            cron=config.schedule,
            parameters={"config_path": str(path.resolve())},
        )
        # Prefect types it as sync-or-async; called outside an event loop it is sync.
        assert isinstance(deployment, RunnerDeployment)
        deployments.append(deployment)
    return deployments


def serve_pipelines(config_paths: Sequence[Path]) -> None:
    """Block, running each pipeline on its schedule until interrupted."""
    check_scheduler()
    check_api_reachable()
    serve(*deployments_for(config_paths))


def check_scheduler() -> None:
    """A Prefect server to schedule the runs: the temporary one Prefect starts when no
    ``PREFECT_API_URL`` is set runs no scheduler, so nothing would ever run."""
    if not PREFECT_API_URL.value():
        raise ConfigError(
            "anonymise serve: PREFECT_API_URL is not set, and Prefect's temporary server "
            "schedules no runs (nothing would ever run); start a server (`prefect server "
            "start`) and set PREFECT_API_URL to its API (such as http://127.0.0.1:4200/api)"
        )
