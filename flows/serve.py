"""Serve pipelines as Prefect deployments on the cron schedules their configs give."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prefect import serve
from prefect.deployments.runner import RunnerDeployment

from anonymise.config import load_config
from anonymise.errors import ConfigError
from flows.run_flow import anonymise_run


def deployments_for(config_paths: Sequence[Path]) -> list[RunnerDeployment]:
    """One deployment per config, named after its pipeline, on its `schedule` cron."""
    deployments = []
    for path in config_paths:
        config = load_config(path)
        if not config.schedule:
            raise ConfigError(
                f"config '{path}', key 'schedule': missing; give a cron such as '0 6 * * 1' "
                "to serve this pipeline"
            )
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
    serve(*deployments_for(config_paths))
