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


def test_two_configs_of_one_pipeline_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "c.yaml").write_text("pipeline: weekly\nschedule: '0 6 * * 1'\n")
    with pytest.raises(ConfigError, match=r"key 'pipeline': 'weekly' is served already by"):
        deployments_for([tmp_path / "a" / "c.yaml", tmp_path / "b" / "c.yaml"])


def test_a_pipeline_without_its_key_is_refused_when_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anonymise.errors import KeyConfigError

    monkeypatch.delenv("ANONYMISE_KEY")
    config = tmp_path / "weekly.yaml"
    config.write_text("pipeline: weekly\nschedule: '0 6 * * 1'\n")
    with pytest.raises(KeyConfigError, match="ANONYMISE_KEY"):
        deployments_for([config])


def test_serving_without_a_server_that_schedules_is_refused(tmp_path: Path) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.serve import check_scheduler

    check_scheduler()  # the tests' Prefect server is set: runs would be scheduled
    with (
        temporary_settings(updates={PREFECT_API_URL: None}),
        pytest.raises(ConfigError, match=r"PREFECT_API_URL is not set, and Prefect's temporary"),
    ):
        check_scheduler()
