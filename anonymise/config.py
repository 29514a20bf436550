"""The pipeline config: validated once at the edge, typed and frozen inside.

A config holding only ``pipeline: NAME`` is valid; every other key has a default.
Relative paths are resolved against the config file's folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from anonymise.erasure.settings import ErasureConfig
from anonymise.errors import ConfigError
from anonymise.json_values import json_safe
from anonymise.records.settings import ActivityConfig, ControllerConfig, RecordsConfig
from anonymise.suppression.settings import SuppressionConfig
from anonymise.yaml_errors import yaml_position
from detectors.entities import ALL_ENTITIES, DEFAULT_ACTIONS
from detectors.settings import DetectionSettings

_FROZEN = ConfigDict(extra="forbid", frozen=True)


class ColumnRule(BaseModel):
    """An explicit rule for one column; it beats detection."""

    model_config = _FROZEN

    entity: str | None = None
    action: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("params", mode="after")
    @classmethod
    def _plain_params(cls, value: dict[str, Any]) -> dict[str, Any]:
        return json_safe(value)

    @field_validator("entity")
    @classmethod
    def _known_entity(cls, value: str | None) -> str | None:
        if value is not None and value not in ALL_ENTITIES:
            raise ValueError(f"unknown entity '{value}'; known: {', '.join(ALL_ENTITIES)}")
        return value

    @model_validator(mode="after")
    def _known_action(self) -> ColumnRule:
        _check_action(self.action, self.params)
        return self


class ActionRule(BaseModel):
    """The action (and its parameters) applied to every column of one entity."""

    model_config = _FROZEN

    action: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("params", mode="after")
    @classmethod
    def _plain_params(cls, value: dict[str, Any]) -> dict[str, Any]:
        return json_safe(value)

    @model_validator(mode="after")
    def _known_action(self) -> ActionRule:
        _check_action(self.action, self.params)
        return self


def _check_action(action: str, params: Mapping[str, Any]) -> None:
    """An unknown action or param is the config's error, found before any data is read."""
    # Imported here: registering the actions loads Polars, Faker and AES-SIV, which a
    # config without rules (and a command such as `log verify`) never needs.
    from transforms import validate_action_params

    try:
        validate_action_params(action, params)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None


class SourceConfig(BaseModel):
    """One input: a path, a glob or an fsspec URL, with optional column rules."""

    model_config = _FROZEN

    path: str
    name: str | None = None
    columns: dict[str, ColumnRule] = Field(default_factory=dict)
    identity_columns: tuple[str, ...] | None = None


class OutputConfig(BaseModel):
    """Where and how cleaned datasets are written."""

    model_config = _FROZEN

    dir: str = "out"
    format: Literal["parquet", "csv"] = "parquet"
    # Level 1: tokens are random hex and barely compress; on the 1M-row export level 1
    # wrote a slightly smaller file than level 3 with ~40% less CPU.
    compression_level: int = Field(1, ge=1, le=22, description="zstd level of Parquet output")
    lock_timeout: float = Field(
        3600, ge=0, description="seconds a run or erasure waits for another to leave the folder"
    )

    @field_validator("dir")
    @classmethod
    def _local(cls, value: str) -> str:
        if is_url(value):
            raise ValueError(LOCAL_ONLY)
        return value


class MemoryConfig(BaseModel):
    """Whether an input is held whole in memory or run in batches of rows."""

    model_config = _FROZEN

    # auto: in batches when the whole run would need more than ``budget_share`` of
    # physical memory (about 6.5x the CSV's size), else whole (the faster way).
    mode: Literal["auto", "whole", "batched"] = "auto"
    batch_rows: int = Field(20_000, ge=1, description="rows transformed at a time")
    budget_share: float = Field(
        0.5, gt=0, le=1, description="share of physical memory a whole run may take"
    )


class KeyConfig(BaseModel):
    """Where the secret key comes from; never the key itself."""

    model_config = _FROZEN

    env: str = "ANONYMISE_KEY"
    file: str | None = None
    prefect_secret: str | None = None


class KAnonymityConfig(BaseModel):
    """k-anonymity over the output's quasi-identifiers (``anonymise.k_anonymity``)."""

    model_config = _FROZEN

    quasi_identifiers: tuple[str, ...] = Field(min_length=1)
    k: int = Field(5, ge=2)
    suppress: bool = False  # drop the rows of groups smaller than k before publishing

    @field_validator("quasi_identifiers")
    @classmethod
    def _once_each(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"'{repeated[0]}' is named twice; name each column once")
        return names


class VerifyConfig(BaseModel):
    """Re-scan of the output before anything is published."""

    model_config = _FROZEN

    enabled: bool = True
    fail_on_residual: bool = True
    k_anonymity: KAnonymityConfig | None = None


class PipelineConfig(BaseModel):
    """A pipeline: sources, detection, per-entity actions, column rules, output."""

    model_config = _FROZEN

    pipeline: str
    sources: tuple[SourceConfig, ...] = ()
    detection: DetectionSettings = Field(default_factory=DetectionSettings)
    actions: dict[str, ActionRule] = Field(default_factory=dict)
    columns: dict[str, ColumnRule] = Field(default_factory=dict)
    output: OutputConfig = Field(default_factory=OutputConfig)
    memory: MemoryConfig = Field(default_factory=MemoryConfig)
    key: KeyConfig = Field(default_factory=KeyConfig)
    verify: VerifyConfig = Field(default_factory=VerifyConfig)
    suppression: SuppressionConfig = Field(default_factory=SuppressionConfig)
    erasure: ErasureConfig = Field(default_factory=ErasureConfig)
    controller: ControllerConfig | None = None
    activity: ActivityConfig = Field(default_factory=ActivityConfig)
    records: RecordsConfig = Field(default_factory=RecordsConfig)
    schedule: str | None = None
    base_dir: str = "."
    sha256: str = ""

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        """A cron Prefect can serve, checked as the config loads, not when served."""
        if value is None:
            return None
        from prefect.client.schemas.schedules import CronSchedule  # imported only when set

        try:
            CronSchedule(cron=value)
        except ValidationError:
            raise ValueError(
                "not a cron expression; give five fields such as '0 6 * * 1' (06:00 on Mondays)"
            ) from None
        if not _cron_ever_fires(value):
            raise ValueError(
                "a cron that names no real date (such as 30 February), so its pipeline "
                "would never run; give a day that exists"
            )
        return value

    @field_validator("actions", mode="before")
    @classmethod
    def _short_actions(cls, value: Any) -> Any:
        # `EMAIL_ADDRESS: mask` is short for `EMAIL_ADDRESS: {action: mask}`
        if isinstance(value, dict):
            return {k: {"action": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("actions")
    @classmethod
    def _known_entities(cls, value: dict[str, ActionRule]) -> dict[str, ActionRule]:
        for entity in value:
            if entity not in ALL_ENTITIES:
                raise ValueError(f"unknown entity '{entity}'; known: {', '.join(ALL_ENTITIES)}")
        return value

    def action_for(self, entity: str) -> ActionRule:
        """The configured action for an entity, or the project default."""
        if entity in self.actions:
            return self.actions[entity]
        action, params = DEFAULT_ACTIONS[entity]
        return ActionRule(action=action, params=dict(params))

    def resolve(self, path: str) -> str:
        """A config-relative path made usable from the current directory."""
        if "://" in path or Path(path).is_absolute():
            return path
        return os.path.normpath(Path(self.base_dir) / path)


def _location(error: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"]) or "(top level)"


def load_config(path: str | Path) -> PipelineConfig:
    """Read and validate a pipeline config; every problem is a ConfigError naming file and key."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"config '{file}': cannot read it ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"config '{file}': not valid YAML{yaml_position(exc)}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config '{file}': expected a mapping with at least 'pipeline: NAME'")
    for reserved in ("base_dir", "sha256"):
        if reserved in data:
            raise ConfigError(f"config '{file}', key '{reserved}': reserved, remove it")
    data["base_dir"] = str(file.parent)
    data["sha256"] = hashlib.sha256(raw).hexdigest()
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")  # pydantic's, for a ValueError
        raise ConfigError(
            f"config '{file}', key '{_location(first)}': {message}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else "")
        ) from exc


def with_memory_mode(config: PipelineConfig, mode: str | None) -> PipelineConfig:
    """``config`` with ``memory.mode`` set to ``mode`` (as ``run --memory`` gives it)."""
    if mode is None:
        return config
    try:
        memory = MemoryConfig.model_validate({**config.memory.model_dump(), "mode": mode})
    except ValidationError as exc:
        raise ConfigError(
            f"option --memory: '{mode}' is not a memory mode; use auto, whole or batched"
        ) from exc
    return config.model_copy(update={"memory": memory})


def default_config(name: str = "scan") -> PipelineConfig:
    """The config used when none is given: every default applies."""
    return PipelineConfig(pipeline=name)


def _cron_ever_fires(cron: str) -> bool:
    """Whether ``cron`` has a next date, found as Prefect's scheduler finds them (with
    the croniter Prefect ships): ``0 6 30 2 *`` passes as a cron but never fires."""
    from datetime import datetime

    from prefect._vendor.croniter.croniter import CroniterBadDateError, croniter

    try:
        croniter(cron, datetime.now()).get_next(datetime)  # type: ignore[no-untyped-call]
    except CroniterBadDateError:
        return False
    return True


LOCAL_ONLY: Final = (
    "a URL; outputs, their lock and the quarantine files are written to a local folder "
    "(copy the outputs to object storage after the run)"
)


def is_url(path: str) -> bool:
    return "://" in path


def local_folder(path: str, given_by: str) -> str:
    """``path`` if it names a local folder; a ConfigError naming ``given_by`` for a URL,
    which a local path would turn into a folder named ``s3:`` in the working folder."""
    if is_url(path):
        raise ConfigError(f"{given_by} '{path}': {LOCAL_ONLY}")
    return path
