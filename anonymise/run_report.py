"""The run report written beside the outputs: what was done, with counts; no values."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from anonymise import __version__
from anonymise.io.atomic import replace_text
from anonymise.io.json_file import read_json_object
from anonymise.pipeline import StagedInput, TransformedInput
from anonymise.verification import Residual

REPORT_NAME = "run_report.json"
Status = Literal["succeeded", "failed", "refused", "dry_run"]


@dataclass(frozen=True)
class RunMeta:
    """Who ran what, when, with which key id, config and plan."""

    run_id: str
    pipeline: str
    started_at: str
    finished_at: str
    status: Status
    key_id: str
    config_sha256: str | None
    plan_sha256: str | None
    plan_source: str
    phone_region: str = "GB"
    """Where its tokens read national phone numbers (``suppression.phone_region``)."""


def _input_entry(
    item: TransformedInput, residuals: Sequence[Residual], phone_region: str
) -> dict[str, Any]:
    staged: StagedInput = item.staged
    return {
        "source": staged.source,
        "sha256": staged.sha256,
        "format": staged.format,
        "output": item.target,
        "rows_in": staged.rows_read,
        "rows_blocked": staged.blocked,
        "rows_out": item.rows_out,
        "blank_rows": staged.blank_rows,
        "quarantined": staged.quarantined,
        "quarantine_file": item.quarantine_target,
        "renamed_columns": staged.renamed_columns,
        "in_batches": staged.in_batches,
        # erasure reads this output's phone tokens as they were made (a report without
        # it is older: its tokens read national numbers as British)
        "phone_region": phone_region,
        "columns": [
            {
                "name": c.name,
                "entity": c.entity,
                "action": c.action,
                "params": c.params,
                "decided_by": c.decided_by,
                "confidence": c.confidence,
                "output": c.name in item.columns_out,
                "nulled": item.nulled.get(c.name, 0),
            }
            for c in item.planned.columns
        ],
        "residuals": [
            {"column": r.column, "entity": r.entity, "cells": r.cells, "sampled": r.sampled}
            for r in residuals
        ],
        # verify.k_anonymity: counts of groups and rows, never the groups' values
        "k_anonymity": item.k_anonymity.as_dict() if item.k_anonymity else None,
    }


def build_report(
    meta: RunMeta, outputs: Sequence[TransformedInput], residuals: Sequence[Sequence[Residual]]
) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "run_id": meta.run_id,
        "pipeline": meta.pipeline,
        "status": meta.status,
        "started_at": meta.started_at,
        "finished_at": meta.finished_at,
        "software_version": __version__,
        "key_id": meta.key_id,
        "config_sha256": meta.config_sha256,
        "plan_sha256": meta.plan_sha256,
        "plan_source": meta.plan_source,
        "rows_in": sum(o.staged.rows_read for o in outputs),
        "rows_blocked": sum(sum(o.staged.blocked.values()) for o in outputs),
        "rows_out": sum(o.rows_out for o in outputs),
        "quarantined": sum(o.staged.quarantined for o in outputs),
        "inputs": [
            _input_entry(o, r, meta.phone_region) for o, r in zip(outputs, residuals, strict=True)
        ],
    }


def write_report(report: dict[str, Any], directory: Path) -> Path:
    """Write atomically into ``directory``, with the ``earlier_outputs`` of the report it
    replaces: erasure finds a folder's outputs, and how their columns were made, in its
    report, so an output a later run did not write again must stay listed."""
    target = directory / REPORT_NAME
    earlier = _earlier_outputs(target, report)
    document = {**report, "earlier_outputs": earlier} if earlier else report
    replace_text(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n", private=False)
    return target


def published_inputs(report: dict[str, Any]) -> list[Any]:
    """The input entries whose outputs the report's run published: none unless it
    succeeded (a refused or failed run's plan describes no file on disk)."""
    inputs = report.get("inputs", [])
    return inputs if report.get("status") == "succeeded" and isinstance(inputs, list) else []


def _earlier_outputs(target: Path, report: dict[str, Any]) -> list[dict[str, Any]]:
    """The replaced report's input entries (its own earlier ones too) whose output is
    still in the folder and was not published again by this run, each with the key id
    it was made with."""
    old = read_json_object(target)
    if old is None:
        return []
    written = {Path(e["output"]).name for e in published_inputs(report) if e.get("output")}
    carried: list[dict[str, Any]] = []
    for entry in [*published_inputs(old), *old.get("earlier_outputs", [])]:
        if not isinstance(entry, dict) or not isinstance(entry.get("output"), str):
            continue
        name = Path(entry["output"]).name
        if name in written or not (target.parent / name).is_file():
            continue
        written.add(name)  # once, the latest entry first
        carried.append({**entry, "key_id": entry.get("key_id", old.get("key_id"))})
    return carried


def report_markdown(report: dict[str, Any], *, record_id: str | None = None) -> str:
    """The run as Markdown (Prefect artifact): columns, entities, actions, counts; no values."""
    lines = [
        f"# Run {report['run_id']}: {report['status']}",
        "",
        f"Pipeline `{report['pipeline']}`, key id `{report['key_id']}`"
        + (f", processing record `{record_id}`" if record_id else "")
        + ".",
        "",
        f"Rows in {report['rows_in']}, out {report['rows_out']}, blocked "
        f"{report.get('rows_blocked', 0)}, quarantined {report['quarantined']}.",
    ]
    for entry in report["inputs"]:
        lines += [
            "",
            f"## {entry['source']} -> {entry['output']}",
            "",
            "| column | entity | action | decided by |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {c['name']} | {c['entity'] or '-'} | {c['action']} | {c['decided_by']} |"
            for c in entry["columns"]
        ]
        for residual in entry["residuals"]:
            lines.append(
                f"\nResidual: {residual['column']} still shows {residual['entity']} "
                f"in {residual['cells']} of {residual['sampled']} sampled cells."
            )
    return "\n".join(lines) + "\n"
