"""The steps of one run, as plain functions the Prefect flow calls as tasks.

    stage -> plan -> transform (write and verify) -> publish

Steps hand each other small records of file paths and counts, never data, so that no
value reaches a Prefect result, log or cache. A staged input is known by its path in
the work folder; its frame stays in memory while it fits (see ``anonymise.staging``).
Everything is written under the work folder first; ``publish`` renames the outputs
into place only when every input has passed verification, so a failed run publishes
nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from anonymise.batch_transform import (
    TransformOutput,
    became_null,
    transform_table,
    verify_written,
)
from anonymise.blocking import block, block_quarantined
from anonymise.config import ColumnRule, PipelineConfig, SourceConfig
from anonymise.errors import InputError, PlanError
from anonymise.io.csv_batches import BatchedRead
from anonymise.io.quarantine_file import write_quarantine
from anonymise.io.read_result import QuarantinedRow, ReadResult
from anonymise.io.writers import check_output_names, output_name, write_frame
from anonymise.k_anonymity import KAnonymity, k_anonymity
from anonymise.keys import SecretKey
from anonymise.plan import Plan, PlannedInput
from anonymise.planning import check_rules_exist, plan_input, with_rules
from anonymise.staged_table import StagedTable
from anonymise.staging import STAGING, read_input, rows_of
from anonymise.transforming import (
    apply_plan,
    check_action_params,
    check_actions,
    check_plan_fits,
)
from anonymise.verification import Residual, verify_frame

logger = logging.getLogger("anonymise.pipeline")


@dataclass(frozen=True)
class StagedInput:
    """An input read into the work folder; counts and paths only."""

    source: str
    format: str
    sha256: str
    staged: str
    rows: int  # rows that go on: read, less blocked ones
    rows_read: int
    blank_rows: int
    quarantined: int
    quarantine_file: str | None
    renamed_columns: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)  # reason -> rows dropped
    in_batches: bool = False  # staged as Arrow batches (``memory``), not one frame


@dataclass(frozen=True)
class TransformedInput:
    """A transformed input waiting in the work folder to be verified and published."""

    staged: StagedInput
    planned: PlannedInput
    pending: str  # the transformed file in the work folder
    target: str  # where publish puts it
    quarantine_target: str | None  # where publish puts the quarantined rows, if any
    rows_out: int
    columns_out: tuple[str, ...]
    residuals: tuple[Residual, ...] = ()  # what verification found in the output
    nulled: dict[str, int] = field(default_factory=dict)  # values an action could not read
    k_anonymity: KAnonymity | None = None  # verify.k_anonymity's measure, when configured


def stage(
    source: str,
    workdir: Path,
    quarantine_dir: Path,
    index: int,
    *,
    config: PipelineConfig,
    key: SecretKey,
    source_config: SourceConfig | None = None,
    warm_detection: bool = True,
) -> StagedInput:
    """Read an input, set malformed rows aside, drop suppressed people, stage the rest.

    With ``warm_detection``, detection's one-time costs are paid in the background
    meanwhile: classifying (without a reviewed plan) and verifying (unless turned off)
    need the analyzer."""
    if warm_detection:
        from detectors.warm_up import warm_up_in_background

        warm_up_in_background(config.detection)
    staged = workdir / f"input-{index}.arrow"
    source_name = source_config.name if source_config else None
    declared = source_config.identity_columns if source_config else None
    read = read_input(source, config.memory)
    kept: pl.DataFrame | StagedTable
    if isinstance(read, BatchedRead):
        kept, blocked = block(
            read.table, config=config, key=key, source_name=source_name, declared=declared
        )
    else:
        kept, blocked = block(
            read.frame, config=config, key=key, source_name=source_name, declared=declared
        )
    if read.quarantined:
        _refuse_all_malformed(source, read.quarantined, rows_of(read).height)
    set_aside, blocked_malformed = block_quarantined(read.quarantined, config=config, key=key)
    for reason, count in blocked_malformed.items():
        blocked[reason] = blocked.get(reason, 0) + count
    if len(set_aside) < len(read.quarantined):
        dropped = sorted({r.line for r in read.quarantined} - {r.line for r in set_aside})
        logger.warning(
            "input %s: %d malformed record(s) on line(s) %s hold an address or a number on "
            "the suppression list, and are dropped, not quarantined (a raw row is not split "
            "into fields: check them if another person's could be among them)",
            source,
            len(dropped),
            ", ".join(map(str, dropped)),
        )
    if set_aside:
        _warn_of_malformed(source, set_aside)
    quarantine = (
        write_quarantine(replace(read, quarantined=set_aside), quarantine_dir)
        if isinstance(read, ReadResult) and set_aside
        else None
    )
    STAGING.put(staged, kept)
    return StagedInput(
        source=source,
        format=read.format,
        sha256=read.sha256,
        staged=str(staged),
        rows=kept.height,
        rows_read=rows_of(read).height,
        blank_rows=read.blank_rows,
        quarantined=len(set_aside),
        quarantine_file=str(quarantine) if quarantine else None,
        renamed_columns=dict(read.renamed_columns),
        blocked=blocked,
        in_batches=isinstance(read, BatchedRead),
    )


def _refuse_all_malformed(source: str, quarantined: Sequence[QuarantinedRow], kept: int) -> None:
    """An input of malformed records only is refused: its output would replace the last
    run's good one with an empty file, and exit 0 would tell a scheduler nothing was
    wrong."""
    if kept == 0:
        first = quarantined[0]
        raise InputError(
            f"input '{source}': every one of its {len(quarantined)} record(s) is malformed "
            f"(the first on line {first.line}: {first.reason}), so nothing would be left "
            "to publish; fix the export (a changed delimiter, a field added to its rows but "
            "not its header?) and run again"
        )


def _warn_of_malformed(source: str, quarantined: Sequence[QuarantinedRow]) -> None:
    """Malformed records are set aside, counted, and said in the log."""
    first = quarantined[0]
    where = f"the first on line {first.line}: {first.reason}"
    logger.warning(
        "input %s: %d malformed record(s) set aside in its quarantine file (%s)",
        source,
        len(quarantined),
        where,
    )


def check_before_reading(
    config: PipelineConfig, sources: list[str], plan: Plan | None, plan_source: str
) -> None:
    """What a run can refuse before it reads any input: inputs that would be published
    under one name, and a reviewed plan's unknown actions or params (config rules are
    checked as the config loads). Columns left to review are refused later, for the
    inputs they belong to (``plan_staged``)."""
    check_output_names(sources, config.output.format)
    for planned in plan.inputs if plan is not None else ():
        check_action_params(planned, where=f"plan '{plan_source}'")


def plan_staged(
    staged: StagedInput,
    config: PipelineConfig,
    rules: dict[str, ColumnRule],
    plan: Plan | None,
    plan_source: str,
) -> PlannedInput:
    """The plan's entry for this input, or a fresh one from detection; the config's
    column rules over either."""
    frame = STAGING.get(staged.staged)
    if plan is not None:
        reviewed = plan.for_columns(frame.columns)
        if reviewed is None:
            closest = plan.inputs[0] if len(plan.inputs) == 1 else None
            if closest is not None:
                check_plan_fits(
                    closest, frame.columns, plan_source=plan_source, source=staged.source
                )
            raise PlanError(
                f"plan '{plan_source}' has no entry for input '{staged.source}' (its columns "
                "differ from every planned input); scan this input to write a plan for it"
            )
        check_rules_exist(rules, frame.columns, source=staged.source, key="columns")
        planned, changed = with_rules(reviewed, rules)
        for name in changed:
            logger.warning(
                "input %s: config rule columns.'%s' replaces what plan '%s' says of that "
                "column (config rules beat a plan, as they beat detection)",
                staged.source,
                name,
                plan_source,
            )
        check_actions(planned, where=f"plan '{plan_source}'")
        return planned
    from detectors.analyzer import shared_analyzer
    from detectors.classifier import classify_frame

    check_rules_exist(rules, frame.columns, source=staged.source, key="columns")
    # A run in batches classifies one column at a time: a second thread kept ~40 MB
    # more (its allocations), and the batches' peak must stay within 3x the CSV.
    at_once = 1 if isinstance(frame, StagedTable) else 2
    findings = classify_frame(
        frame, shared_analyzer(config.detection), config.detection, at_once=at_once
    )
    planned = plan_input(
        source=staged.source,
        format=staged.format,
        content_sha256=staged.sha256,
        rows=staged.rows,
        findings=findings,
        rules=rules,
        config=config,
    )
    check_actions(planned, where=f"input '{staged.source}'")
    return planned


def transform(
    staged: StagedInput,
    planned: PlannedInput,
    key: bytes,
    config: PipelineConfig,
    output_dir: Path,
    index: int,
) -> TransformedInput:
    """Apply the plan, then write the result into the work folder and verify it at the
    same time: the write runs in Rust (the GIL released), verification in Python, so the
    two share the cores. The staged input is let go once the result is written."""
    frame = STAGING.get(staged.staged)
    fmt = config.output.format
    pending = Path(staged.staged).with_name(f"output-{index}.{fmt}")
    if isinstance(frame, StagedTable):
        out = transform_table(frame, planned, key=key, config=config, pending=pending)
        del frame
        STAGING.discard(staged.staged)  # let go before verification reads the output
        if config.verify.enabled:
            residuals = verify_written(pending, planned, config)
            out = TransformOutput(out.rows, out.columns, tuple(residuals), out.nulled)
    else:
        out = _transform_whole(frame, planned, key=key, config=config, pending=pending)
        del frame
        STAGING.discard(staged.staged)
    measured = _k_anonymity(staged.source, pending, config)
    return TransformedInput(
        staged=staged,
        planned=planned,
        pending=str(pending),
        target=str(output_dir / output_name(staged.source, fmt)),
        quarantine_target=(
            str(output_dir / "quarantine" / Path(staged.quarantine_file).name)
            if staged.quarantine_file
            else None
        ),
        rows_out=out.rows - (measured.suppressed if measured else 0),
        columns_out=out.columns,
        residuals=out.residuals,
        nulled=out.nulled,
        k_anonymity=measured,
    )


def _k_anonymity(source: str, pending: Path, config: PipelineConfig) -> KAnonymity | None:
    """``verify.k_anonymity`` over the output in the work folder, said in the log when
    groups are too small or quasi-identifiers missing (column names and counts only)."""
    spec = config.verify.k_anonymity
    if spec is None:
        return None
    measured = k_anonymity(
        pending, config.output.format, spec, compression_level=config.output.compression_level
    )
    if measured.missing:
        logger.warning(
            "input %s: verify.k_anonymity: quasi-identifier(s) %s not in its output%s",
            source,
            ", ".join(f"'{c}'" for c in measured.missing),
            "" if measured.quasi_identifiers else ": not measured",
        )
    if measured.rows_below_k:
        logger.warning(
            "input %s: k-anonymity over %s: %d row(s) in %d group(s) smaller than k=%d%s",
            source,
            ", ".join(measured.quasi_identifiers),
            measured.rows_below_k,
            measured.groups_below_k,
            measured.k,
            " suppressed (not published)"
            if measured.suppressed
            else "; set verify.k_anonymity.suppress: true to leave them out",
        )
    return measured


def _transform_whole(
    frame: pl.DataFrame, planned: PlannedInput, *, key: bytes, config: PipelineConfig, pending: Path
) -> TransformOutput:
    result = apply_plan(
        frame,
        planned,
        key=key,
        allow_values=config.suppression.allow_values,
        deny_terms=config.suppression.deny_terms,
        detection=config.detection,
        phone_region=config.suppression.phone_region,
    )
    nulled = became_null(frame, result)
    del frame
    level = config.output.compression_level
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="write-output") as pool:
        written = pool.submit(
            write_frame, result, pending, config.output.format, compression_level=level
        )
        try:
            residuals = verify(result, planned, config) if config.verify.enabled else []
        finally:
            written.result()  # an OutputError of the write comes first
    return TransformOutput(result.height, tuple(result.columns), tuple(residuals), dict(nulled))


def verify(result: pl.DataFrame, planned: PlannedInput, config: PipelineConfig) -> list[Residual]:
    """Residual personal data in a transformed frame, the very one being written
    (empty: clean)."""
    from detectors.analyzer import shared_analyzer

    return verify_frame(
        result,
        planned,
        shared_analyzer(config.detection),
        config.detection,
        allow_values=config.suppression.allow_values,
    )


def publish(outputs: list[TransformedInput]) -> list[str]:
    """Move every pending output (and quarantine file) into place; each rename is atomic."""
    published = []
    for item in outputs:
        moves = [(item.pending, item.target)]
        if item.staged.quarantine_file and item.quarantine_target:
            moves.append((item.staged.quarantine_file, item.quarantine_target))
        for pending, final in moves:
            Path(final).parent.mkdir(parents=True, exist_ok=True)
            os.replace(pending, final)
            published.append(final)
    return published
