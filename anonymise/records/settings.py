"""The ``controller:``, ``activity:`` and ``records:`` sections of the pipeline config.

They hold the static half of the Art. 30 record (who, why, for how long, which
safeguards); the dynamic half (categories of personal data, volumes) comes from runs.
``controller`` describes the organisation keeping the record: the controller, or the
processor when ``activity.role`` is ``processor`` (Art. 30(2)). Missing fields never stop
a run: ``gaps`` names them, the run warns and each record lists them.

``None`` means "not stated" and is a gap; an empty list means "stated: none" (no
recipients, no third-country transfer) and is not.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from anonymise.config import PipelineConfig

_FROZEN = ConfigDict(extra="forbid", frozen=True)

DEFAULT_LOG = "records/processing.jsonl"
# A retention entry under this key covers every category without its own entry.
DEFAULT_RETENTION_KEY = "default"


class PartyConfig(BaseModel):
    """A named party and how to reach it (a DPO, a representative, a controller)."""

    model_config = _FROZEN

    name: str = Field(min_length=1)
    contact: str | None = None


class ControllerConfig(BaseModel):
    """The organisation keeping the record (Art. 30(1)(a) / 30(2)(a))."""

    model_config = _FROZEN

    name: str | None = None
    contact: str | None = None
    dpo: PartyConfig | None = None
    representative: PartyConfig | None = None


class TransferConfig(BaseModel):
    """A transfer to a third country or international organisation, with its safeguard."""

    model_config = _FROZEN

    country: str = Field(min_length=1)
    safeguard: str | None = None
    recipient: str | None = None


class ActivityConfig(BaseModel):
    """What the processing is for and under which terms (Art. 30(1)(b)-(g), 30(2)(b)-(d))."""

    model_config = _FROZEN

    role: Literal["controller", "processor"] = "controller"
    purposes: tuple[str, ...] = ()
    lawful_basis: str | None = None
    data_subjects: tuple[str, ...] = ()
    recipients: tuple[str, ...] | None = None
    transfers: tuple[TransferConfig, ...] | None = None
    retention: dict[str, str] = Field(default_factory=dict)
    security_measures: tuple[str, ...] = ()
    # Art. 30(2): the controllers a processor acts for, and what it does for them
    controllers: tuple[PartyConfig, ...] = ()
    categories_of_processing: tuple[str, ...] = ()


class RecordsConfig(BaseModel):
    """Where the hash-chained log of processing records lives (relative to the config)."""

    model_config = _FROZEN

    enabled: bool = True
    log: str = DEFAULT_LOG


def gaps(config: PipelineConfig) -> list[str]:
    """Config keys an Art. 30 record needs but the config leaves unstated, in Art. 30 order.

    DPO and representative are "where applicable" and never gaps.
    """
    controller = config.controller
    activity = config.activity
    missing: list[str] = []
    if controller is None:
        missing.append("controller")
    else:
        missing += [f"controller.{k}" for k in ("name", "contact") if not getattr(controller, k)]
    if activity.role == "processor":
        if not activity.controllers:
            missing.append("activity.controllers")
        missing += [
            f"activity.controllers[{i}].contact"
            for i, party in enumerate(activity.controllers)
            if not party.contact
        ]
        if not activity.categories_of_processing:
            missing.append("activity.categories_of_processing")
    else:
        if not activity.purposes:
            missing.append("activity.purposes")
        if not activity.lawful_basis:
            missing.append("activity.lawful_basis")
        if not activity.data_subjects:
            missing.append("activity.data_subjects")
        if activity.recipients is None:
            missing.append("activity.recipients")
    if activity.transfers is None:
        missing.append("activity.transfers")
    missing += [
        f"activity.transfers[{i}].safeguard"
        for i, transfer in enumerate(activity.transfers or ())
        if not transfer.safeguard
    ]
    if activity.role == "controller" and not activity.retention:
        missing.append("activity.retention")
    if not activity.security_measures:
        missing.append("activity.security_measures")
    return missing


def retention_gaps(config: PipelineConfig, categories: list[str]) -> list[str]:
    """Categories of personal data seen in a run that have no retention period."""
    activity = config.activity
    if activity.role != "controller" or not activity.retention:
        return []  # the whole section is already a gap, or Art. 30(2) does not ask for it
    if DEFAULT_RETENTION_KEY in activity.retention:
        return []
    return [f"activity.retention[{c}]" for c in categories if c not in activity.retention]


def retention_for(activity: ActivityConfig) -> dict[str, str]:
    """The retention period of each listed category, then the one for all others."""
    periods = {k: v for k, v in activity.retention.items() if k != DEFAULT_RETENTION_KEY}
    default = activity.retention.get(DEFAULT_RETENTION_KEY)
    if default:
        periods["all other categories"] = default
    return periods


def log_path_of(config: PipelineConfig) -> Path:
    """The config's processing log, resolved against the config's folder."""
    return Path(config.resolve(config.records.log))
