"""The transform step for an input staged in batches (``memory: batched``).

The plan is applied to one slice of rows at a time and each slice is written as soon
as it is made, so neither the input nor the output is ever whole in memory. Every
action works value by value, so the output is the one a whole run writes. What needs
the whole input is taken from it first: the input's own names, scrubbed from notes.

Verification reads the written file back one column at a time, once the staged input
is let go: each column is sampled as a whole run samples it (same values, same seed),
so it finds what a whole run finds. CSV output is read back as written, formula guard
included (a whole run checks the frame before the guard).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from anonymise.config import PipelineConfig
from anonymise.io.batch_writer import open_batch_writer
from anonymise.plan import PlannedInput
from anonymise.staged_table import StagedTable
from anonymise.transforming import names_in_frame, plan_expressions
from anonymise.verification import UNCHECKED_ACTIONS, Residual, verify_frame


@dataclass(frozen=True)
class TransformOutput:
    """What the transform step wrote: counts and names, never values."""

    rows: int
    columns: tuple[str, ...]
    residuals: tuple[Residual, ...]


def transform_table(
    table: StagedTable,
    planned: PlannedInput,
    *,
    key: bytes,
    config: PipelineConfig,
    pending: Path,
) -> TransformOutput:
    """Apply ``planned`` to ``table`` slice by slice into ``pending`` (not verified)."""
    # Built once for every slice: the input's names, and what the expressions learn.
    expressions = plan_expressions(
        planned,
        names=names_in_frame(table, planned),
        key=key,
        allow_values=config.suppression.allow_values,
        deny_terms=config.suppression.deny_terms,
        detection=config.detection,
    )
    with open_batch_writer(
        pending, config.output.format, compression_level=config.output.compression_level
    ) as writer:
        for part in table.slices(config.memory.batch_rows, ramp=True):
            writer.write(part.select(expressions))
    return TransformOutput(writer.rows, writer.columns, ())


def verify_written(pending: Path, planned: PlannedInput, config: PipelineConfig) -> list[Residual]:
    """Residual personal data in the file ``transform_table`` wrote, a column at a time."""
    from detectors.analyzer import shared_analyzer

    analyzer = shared_analyzer(config.detection)
    residuals: list[Residual] = []
    for column in planned.columns:
        if column.action in UNCHECKED_ACTIONS:
            continue
        written = _read_column(pending, config.output.format, column.name)
        if written is None:
            continue  # dropped
        residuals += verify_frame(
            written,
            planned,
            analyzer,
            config.detection,
            allow_values=config.suppression.allow_values,
        )
    return residuals


def _read_column(path: Path, fmt: str, name: str) -> pl.DataFrame | None:
    if fmt == "parquet":
        if name not in pl.read_parquet_schema(path):
            return None
        return pl.read_parquet(path, columns=[name])
    header = pl.read_csv(path, n_rows=0, infer_schema=False).columns
    if name not in header:
        return None
    return pl.read_csv(path, columns=[name], infer_schema=False)
