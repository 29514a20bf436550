"""How `anonymise scan` shows its result: a table for people, one JSON object for tools."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from anonymise.plan import PlannedColumn
from anonymise.scanning import ScanOutcome


def _evidence_line(column: PlannedColumn) -> str:
    ev = column.evidence
    parts = []
    if column.decided_by == "config":
        parts.append("config rule")
    if ev.get("text_entities"):
        inside = ", ".join(f"{k} {v}" for k, v in ev["text_entities"].items())
        parts.append(f"in text: {inside}")
        return " · ".join(parts)
    elif ev.get("hit_rate"):
        parts.append(f"{ev['hit_rate']:.0%} of {ev.get('analysed', 0)}")
    if ev.get("decided_by") == "shape":
        parts.append("written as names" if column.entity == "PERSON" else "written as numbers")
    if ev.get("recognizers"):
        parts.append("+".join(r.removesuffix("Recognizer") for r in ev["recognizers"]))
    if ev.get("header_hint"):
        parts.append(f"header '{ev['header_hint']}'")
    if ev.get("unclassified"):
        parts.append("unclassified")
    return " · ".join(parts) or "no evidence"


def render_table(outcome: ScanOutcome, console: Console) -> None:
    """One table per input, then what reading set aside."""
    for planned, read in zip(outcome.plan.inputs, outcome.reads, strict=True):
        table = Table(title=f"{planned.source} ({planned.rows} rows)", title_justify="left")
        for heading in ("column", "entity", "conf.", "action", "evidence"):
            table.add_column(heading, overflow="fold")
        for column in planned.columns:
            table.add_row(
                column.name,
                column.entity or "-",
                f"{column.confidence:.2f}",
                column.action,
                _evidence_line(column),
            )
        console.print(table)
        notes = []
        if read.quarantined:
            lines = ", ".join(str(q.line) for q in read.quarantined[:10])
            notes.append(f"{len(read.quarantined)} malformed row(s) set aside (line {lines})")
        if read.blank_rows:
            notes.append(f"{read.blank_rows} blank row(s) skipped")
        for new, old in read.renamed_columns.items():
            notes.append(f"duplicate or blank header '{old}' read as '{new}'")
        for note in notes:
            console.print(f"  note: {note}")


def as_json(outcome: ScanOutcome, plan_path: str | None) -> str:
    """Exactly one JSON object: inputs and one entry per column of each input."""
    inputs: list[dict[str, Any]] = []
    columns: list[dict[str, Any]] = []
    for planned, read in zip(outcome.plan.inputs, outcome.reads, strict=True):
        inputs.append(
            {
                "source": planned.source,
                "format": planned.format,
                "rows": planned.rows,
                "fingerprint": planned.fingerprint,
                "sha256": planned.content_sha256,
                "encoding": read.encoding,
                "delimiter": read.delimiter,
                "blank_rows": read.blank_rows,
                "quarantined": len(read.quarantined),
                "quarantined_lines": [q.line for q in read.quarantined],
                "renamed_columns": dict(read.renamed_columns),
            }
        )
        for column in planned.columns:
            columns.append(
                {
                    "input": planned.source,
                    "name": column.name,
                    "entity": column.entity,
                    "confidence": column.confidence,
                    "action": column.action,
                    "params": column.params,
                    "decided_by": column.decided_by,
                    "evidence": column.evidence,
                }
            )
    return json.dumps({"inputs": inputs, "columns": columns, "plan": plan_path}, ensure_ascii=False)
