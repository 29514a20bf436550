"""`anonymise serve` builds one deployment per config, on the config's cron."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymise.errors import ConfigError
from flows.serve import deployments_for


def test_one_deployment_per_config_on_its_cron(tmp_path: Path) -> None:
    config = tmp_path / "weekly.yaml"
    config.write_text("pipeline: weekly\nschedule: '0 6 * * 1'\n")
    [deployment] = deployments_for([config])
    assert deployment.name == "weekly"
    assert deployment.parameters == {"config_path": str(config.resolve())}
    assert [s.schedule.cron for s in deployment.schedules] == ["0 6 * * 1"]


def test_a_config_without_schedule_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "once.yaml"
    config.write_text("pipeline: once\n")
    with pytest.raises(ConfigError, match=r"key 'schedule': missing"):
        deployments_for([config])
