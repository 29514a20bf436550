"""The transform step for an input staged in batches (``memory: batched``).

The plan is applied to one slice of rows at a time and each slice is written as soon
as it is made, so neither the input nor the output is ever whole in memory. Every
action works value by value, so the output is the one a whole run writes. What needs
the whole input is taken from it first: the input's own names, scrubbed from notes.

Verification draws rows from each slice in proportion to its rows (a slice of a tenth
of the rows gives a tenth of them), four for each cell it samples, and samples each
column of those rows as it samples a whole output. From an input smaller than that
draw every row is drawn, so verification sees what it sees in a whole run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from anonymise.config import PipelineConfig
from anonymise.io.batch_writer import open_batch_writer
from anonymise.plan import PlannedInput
from anonymise.staged_table import StagedTable
from anonymise.transforming import names_in_frame, plan_expressions
from anonymise.verification import Residual, verify_frame


@dataclass(frozen=True)
class BatchedOutput:
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
) -> BatchedOutput:
    """Apply ``planned`` to ``table`` slice by slice into ``pending``; verify it."""
    settings = config.detection
    total = table.height
    drawn: list[pl.DataFrame] = []
    # Built once for every slice: the input's names, and what the expressions learn.
    expressions = plan_expressions(
        planned,
        names=names_in_frame(table, planned),
        key=key,
        allow_values=config.suppression.allow_values,
        deny_terms=config.suppression.deny_terms,
        detection=settings,
    )
    with open_batch_writer(
        pending, config.output.format, compression_level=config.output.compression_level
    ) as writer:
        for index, part in enumerate(table.slices(config.memory.batch_rows, ramp=True)):
            result = part.select(expressions)
            writer.write(result)
            if config.verify.enabled:
                drawn.append(_rows_drawn(result, index, total, config))
            del part, result
        residuals = _verify(pl.concat(drawn), planned, config) if config.verify.enabled else []
    return BatchedOutput(writer.rows, writer.columns, tuple(residuals))


# Rows drawn per cell verification samples: a column filled in a quarter of the rows
# still gets its full sample.
_ROWS_PER_SAMPLED_CELL = 4


def _rows_drawn(
    result: pl.DataFrame, index: int, total: int, config: PipelineConfig
) -> pl.DataFrame:
    """This slice's share of the rows verification samples from, drawn with the seed."""
    settings = config.detection
    wanted = _ROWS_PER_SAMPLED_CELL * settings.sample_size * result.height / max(total, 1)
    size = min(result.height, math.ceil(wanted))
    drawn = result if size == result.height else result.sample(n=size, seed=settings.seed + index)
    # A copy: the drawn strings would otherwise keep every slice's buffers alive.
    copied = pl.from_arrow(drawn.to_arrow(compat_level=pl.CompatLevel.oldest()))
    if not isinstance(copied, pl.DataFrame):  # pragma: no cover - a table gives a frame
        raise TypeError("expected a DataFrame from an Arrow table")
    return copied


def _verify(drawn: pl.DataFrame, planned: PlannedInput, config: PipelineConfig) -> list[Residual]:
    from detectors.analyzer import shared_analyzer

    return verify_frame(
        drawn,
        planned,
        shared_analyzer(config.detection),
        config.detection,
        allow_values=config.suppression.allow_values,
    )
