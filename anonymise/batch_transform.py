"""The transform step for an input staged in batches (``memory: batched``).

The plan is applied to one slice of rows at a time and each slice is written as soon
as it is made, so neither the input nor the output is ever whole in memory. Every
action works value by value, so the output is the one a whole run writes. What needs
the whole input is taken from it first: the input's own names, scrubbed from notes.

Verification samples each slice in proportion to its rows (a slice of a tenth of the
rows gives a tenth of the sample) and checks the merged sample once all are made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from anonymise.config import PipelineConfig
from anonymise.io.batch_writer import open_batch_writer
from anonymise.plan import PlannedInput
from anonymise.staged_table import StagedTable
from anonymise.transforming import apply_plan, names_in_frame
from anonymise.verification import Residual, sample_output, verify_samples
from detectors.sampling import ValueSample


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
    names = names_in_frame(table, planned)
    settings = config.detection
    total = table.height
    samples: dict[str, ValueSample] = {}
    with open_batch_writer(
        pending, config.output.format, compression_level=config.output.compression_level
    ) as writer:
        for index, part in enumerate(table.slices(config.memory.batch_rows)):
            result = apply_plan(
                part,
                planned,
                key=key,
                allow_values=config.suppression.allow_values,
                deny_terms=config.suppression.deny_terms,
                detection=settings,
                names=names,
            )
            writer.write(result)
            if config.verify.enabled:
                size = math.ceil(settings.sample_size * part.height / max(total, 1))
                drawn = sample_output(
                    result, planned, settings, size=size, seed=settings.seed + index
                )
                for column, sample in drawn.items():
                    samples[column] = (
                        samples[column].merged(sample) if column in samples else sample
                    )
            del part, result
        residuals = _verify(samples, planned, config) if config.verify.enabled else []
    return BatchedOutput(writer.rows, writer.columns, tuple(residuals))


def _verify(
    samples: dict[str, ValueSample], planned: PlannedInput, config: PipelineConfig
) -> list[Residual]:
    from detectors.analyzer import shared_analyzer

    return verify_samples(
        samples,
        planned,
        shared_analyzer(config.detection),
        config.detection,
        allow_values=config.suppression.allow_values,
    )
