"""The scan use case: read inputs, classify their columns, build the plan. No Prefect.

Inputs are read as a run stages them (``memory.mode``): a big plain CSV as Arrow
batches, which classification reads one column at a time, so that a file a run
would read in batches can be scanned on the same machine first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from anonymise.config import ColumnRule, PipelineConfig
from anonymise.io.csv_batches import BatchedRead
from anonymise.io.read_result import ReadResult
from anonymise.plan import Plan, PlannedInput
from anonymise.planning import check_rules_exist, plan_input
from anonymise.staging import read_input, rows_of

Progress = Callable[[str], None]


@dataclass(frozen=True)
class InputSpec:
    """One file to scan and the column rules that apply to it."""

    source: str
    rules: Mapping[str, ColumnRule] = field(default_factory=dict)
    rules_key: str = "columns"
    strict: bool = True  # every rule must name a column of this input


@dataclass(frozen=True)
class ScanOutcome:
    """The plan and what reading each input found (counts, renamed headers, quarantine)."""

    plan: Plan
    reads: tuple[ReadResult | BatchedRead, ...]


def scan_read(
    read: ReadResult | BatchedRead, spec: InputSpec, config: PipelineConfig
) -> PlannedInput:
    """Classify an input that is already read; the analyzer is built once per process."""
    # Presidio and spaCy take seconds to import: only once the inputs have been read,
    # so that a bad input fails at once.
    from detectors.analyzer import shared_analyzer
    from detectors.classifier import classify_frame

    rows = rows_of(read)
    rules = spec.rules
    if spec.strict:
        check_rules_exist(rules, rows.columns, source=read.source, key=spec.rules_key)
    else:
        rules = {k: v for k, v in rules.items() if k in rows.columns}
    # Batches are classified one column at a time, as a run in batches does.
    at_once = 1 if isinstance(read, BatchedRead) else 2
    findings = classify_frame(
        rows, shared_analyzer(config.detection), config.detection, at_once=at_once
    )
    return plan_input(
        source=read.source,
        format=read.format,
        content_sha256=read.sha256,
        rows=rows.height,
        findings=findings,
        rules=rules,
        config=config,
    )


def scan(
    specs: Sequence[InputSpec], config: PipelineConfig, progress: Progress | None = None
) -> ScanOutcome:
    """Read every input (all are read before any is classified, so a bad file fails
    fast), then classify each and return the plan."""
    from detectors.warm_up import warm_up_in_background

    warm_up_in_background(config.detection)  # while the inputs are read
    reads = []
    for spec in specs:
        if progress:
            progress(f"reading {spec.source}")
        reads.append(read_input(spec.source, config.memory))
    planned = []
    for read, spec in zip(reads, specs, strict=True):
        if progress:
            progress(f"classifying {read.source} ({rows_of(read).height} rows)")
        planned.append(scan_read(read, spec, config))
    _check_loose_rules(specs, reads)
    plan = Plan(
        pipeline=config.pipeline, config_sha256=config.sha256 or None, inputs=tuple(planned)
    )
    return ScanOutcome(plan=plan, reads=tuple(reads))


def _check_loose_rules(
    specs: Sequence[InputSpec], reads: Sequence[ReadResult | BatchedRead]
) -> None:
    """Rules shared by several inputs must each name a column of at least one of them."""
    seen = {c for read in reads for c in rows_of(read).columns}
    for spec in specs:
        if not spec.strict:
            check_rules_exist(spec.rules, sorted(seen), source="any input", key=spec.rules_key)
