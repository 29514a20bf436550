"""Turn detection findings and config rules into a plan. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from anonymise.config import ColumnRule, PipelineConfig
from anonymise.errors import ConfigError
from anonymise.plan import PlannedColumn, PlannedInput, columns_fingerprint
from detectors.findings import ColumnFinding
from detectors.header_hints import name_part

# The pseudo-action of an unclassified column under `detection.unclassified: fail`:
# a run refuses a plan that still holds one.
REVIEW = "review"


def _planned(
    finding: ColumnFinding, rule: ColumnRule | None, config: PipelineConfig
) -> PlannedColumn:
    evidence = finding.evidence.to_dict()
    if rule is not None:
        entity = rule.entity if rule.entity is not None else finding.entity
        return PlannedColumn(
            name=finding.name,
            entity=entity,
            confidence=1.0,
            action=rule.action,
            params=_with_name_part(finding.name, entity, rule.action, rule.params),
            decided_by="config",
            evidence=evidence,
        )
    if finding.entity is not None:
        chosen = config.action_for(finding.entity)
        return PlannedColumn(
            name=finding.name,
            entity=finding.entity,
            confidence=finding.confidence,
            action=chosen.action,
            params=_with_name_part(finding.name, finding.entity, chosen.action, chosen.params),
            evidence=evidence,
        )
    unclassified = finding.evidence.decided_by == "none"
    action = "keep"
    if unclassified:
        rule_name = config.detection.unclassified
        action = REVIEW if rule_name == "fail" else rule_name
    return PlannedColumn(
        name=finding.name,
        entity=None,
        confidence=finding.confidence,
        action=action,
        evidence={**evidence, "unclassified": unclassified},
    )


def _with_name_part(
    column: str, entity: str | None, action: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """``params``, and for a fake name under a "First Name" or "Last Name" header the
    ``part`` it says, unless the params give one: a full fake name in each of the two
    columns would make every person's name twice over."""
    chosen = dict(params)
    if action == "fake" and entity == "PERSON" and "part" not in chosen:
        part = name_part(column)
        if part is not None:
            chosen["part"] = part
    return chosen


def check_rules_exist(
    rules: Mapping[str, ColumnRule], columns: Sequence[str], *, source: str, key: str
) -> None:
    """Every rule must name a column of the input: a typo must not leave data untouched."""
    missing = [name for name in rules if name not in columns]
    if missing:
        raise ConfigError(
            f"config key '{key}.{missing[0]}': no such column in input '{source}'; "
            f"its columns are: {', '.join(columns)}"
        )


def plan_input(
    *,
    source: str,
    format: str,
    content_sha256: str,
    rows: int,
    findings: Sequence[ColumnFinding],
    rules: Mapping[str, ColumnRule],
    config: PipelineConfig,
) -> PlannedInput:
    """The planned input: config rules first, then detection, then the unclassified rule."""
    return PlannedInput(
        source=source,
        format=format,
        fingerprint=columns_fingerprint([f.name for f in findings]),
        content_sha256=content_sha256,
        rows=rows,
        columns=tuple(_planned(f, rules.get(f.name), config) for f in findings),
    )


def with_rules(
    planned: PlannedInput, rules: Mapping[str, ColumnRule]
) -> tuple[PlannedInput, list[str]]:
    """``planned`` (a reviewed plan's entry) with the config's column rules over it, as
    they are over detection, and the columns whose entity, action or params they
    changed: a rule added to the config after the plan was written must not be
    dropped without a word (a column to drop would be published)."""
    columns: list[PlannedColumn] = []
    changed: list[str] = []
    for column in planned.columns:
        rule = rules.get(column.name)
        if rule is None:
            columns.append(column)
            continue
        entity = rule.entity if rule.entity is not None else column.entity
        ruled = column.model_copy(
            update={
                "entity": entity,
                "action": rule.action,
                "params": _with_name_part(column.name, entity, rule.action, rule.params),
                "decided_by": "config",
                "confidence": 1.0,
            }
        )
        if (ruled.entity, ruled.action, ruled.params) != (
            column.entity,
            column.action,
            column.params,
        ):
            changed.append(column.name)
        columns.append(ruled)
    return planned.model_copy(update={"columns": tuple(columns)}), changed
