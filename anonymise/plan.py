"""The plan: a reviewable YAML file saying what happens to every column of every input.

``scan`` writes it, a person reviews, edits and commits it, ``run --plan`` replays it.
It holds entity names, actions, non-secret parameters and evidence counts; never a
value. An input's fingerprint is its ordered column names: a plan applies to later
exports with the same columns, and refuses a file with other columns.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from anonymise import __version__
from anonymise.errors import PlanError
from anonymise.io.atomic import replace_text
from anonymise.json_values import json_safe
from anonymise.yaml_errors import yaml_position

PLAN_FORMAT_VERSION = 1
_FROZEN = ConfigDict(extra="forbid", frozen=True)


def columns_fingerprint(columns: list[str]) -> str:
    """sha256 over the ordered column names: what a plan is bound to."""
    return hashlib.sha256("\x1f".join(columns).encode()).hexdigest()


class PlannedColumn(BaseModel):
    """One column's entity, action and the evidence behind them."""

    model_config = _FROZEN

    name: str
    entity: str | None
    confidence: float
    action: str
    params: dict[str, Any] = Field(default_factory=dict)
    decided_by: Literal["detection", "config", "plan"] = "detection"
    evidence: dict[str, Any] = Field(default_factory=dict)

    @field_validator("params", mode="after")
    @classmethod
    def _plain_params(cls, value: dict[str, Any]) -> dict[str, Any]:
        return json_safe(value)  # a hand-edited plan's unquoted date


class PlannedInput(BaseModel):
    """One input file and what happens to each of its columns."""

    model_config = _FROZEN

    source: str
    format: str
    fingerprint: str
    content_sha256: str
    rows: int
    columns: tuple[PlannedColumn, ...]

    @model_validator(mode="after")
    def _columns_fit_fingerprint(self) -> PlannedInput:
        """A column added, removed, renamed or moved by hand would otherwise pass: the
        plan is matched to an input by its fingerprint alone, and an input column the
        plan no longer lists would be dropped from the output without a word."""
        if columns_fingerprint([c.name for c in self.columns]) != self.fingerprint:
            raise ValueError(
                "its columns are not the ones it was made for (a column was added, removed, "
                "renamed or moved); edit only entity, action and params, or scan again"
            )
        return self

    def column(self, name: str) -> PlannedColumn | None:
        """The planned column of that name, if any."""
        return next((c for c in self.columns if c.name == name), None)


class Plan(BaseModel):
    """What a run will do; written by scan, replayed by run."""

    model_config = _FROZEN

    format_version: Literal[1] = 1
    tool_version: str = __version__
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    pipeline: str
    config_sha256: str | None = None
    inputs: tuple[PlannedInput, ...]

    def sha256(self) -> str:
        """Hash of the plan's content, recorded in run reports."""
        return hashlib.sha256(self.to_yaml().encode()).hexdigest()

    def to_yaml(self) -> str:
        """The plan as a YAML document, in field order, for people to read."""
        return yaml.safe_dump(self.model_dump(mode="json"), sort_keys=False, allow_unicode=True)

    def for_columns(self, columns: list[str]) -> PlannedInput | None:
        """The planned input whose fingerprint matches these columns."""
        fingerprint = columns_fingerprint(columns)
        return next((i for i in self.inputs if i.fingerprint == fingerprint), None)


def write_plan(plan: Plan, path: Path) -> None:
    """Write atomically: a temporary file beside the target, then rename."""
    try:
        replace_text(path, plan.to_yaml(), private=False)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise PlanError(f"plan '{path}': cannot write it ({reason}); name a file") from exc


def read_plan(path: Path) -> Plan:
    """Load and validate a plan; problems name the file and the key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanError(f"plan '{path}': cannot read it ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise PlanError(f"plan '{path}': not valid YAML{yaml_position(exc)}") from exc
    if not isinstance(data, dict):
        raise PlanError(f"plan '{path}': expected a mapping; write one with `anonymise scan`")
    if data.get("format_version") != PLAN_FORMAT_VERSION:
        raise PlanError(
            f"plan '{path}', key 'format_version': expected {PLAN_FORMAT_VERSION}; "
            "scan the input again to write a current plan"
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise PlanError(f"plan '{path}', key '{key}': {message}") from exc
