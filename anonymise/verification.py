"""Verify before publishing: scan the output again for personal data left behind.

Every column whose action should have made it clean is sampled again; a column where
recognizers still find personal data at or above the threshold is a residual. Columns
kept on purpose (``keep``) or given realistic surrogates (``fake``) are not checked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from presidio_analyzer import AnalyzerEngine

from anonymise.plan import PlannedColumn, PlannedInput
from detectors import entities as e
from detectors.batch import detect_batch
from detectors.sampling import sample_column
from detectors.settings import DetectionSettings
from transforms.generalise import RANGE_LABEL

UNCHECKED_ACTIONS = frozenset({"keep", "fake"})
# In free text, names need NER to be found reliably; verification holds text to the
# entities patterns find with certainty.
TEXT_ENTITIES = frozenset(
    {e.EMAIL_ADDRESS, e.PHONE_NUMBER, e.POSTCODE, e.IP_ADDRESS, e.CREDIT_CARD, e.IBAN_CODE}
)
_RANGE_LABEL = re.compile(RANGE_LABEL)


@dataclass(frozen=True)
class Residual:
    """A column that still shows personal data: names and counts only."""

    column: str
    entity: str
    cells: int
    sampled: int


def verify_frame(
    frame: pl.DataFrame,
    planned: PlannedInput,
    analyzer: AnalyzerEngine,
    settings: DetectionSettings,
    *,
    allow_values: Sequence[str] = (),
) -> list[Residual]:
    """Residual personal data per column of a transformed frame; allow-listed values
    are personal by nobody's account and are not counted."""
    allowed = {v.strip().lower() for v in allow_values}
    residuals: list[Residual] = []
    for column in planned.columns:
        if column.action in UNCHECKED_ACTIONS or column.name not in frame.columns:
            continue
        sample = sample_column(
            frame.get_column(column.name), size=settings.sample_size, seed=settings.seed
        )
        # No header context: a token under "Id" is not an id, only what stands on its
        # own (an e-mail, a formatted phone, a full name) counts as residual.
        hits = detect_batch(
            analyzer, sample.values, threshold=settings.threshold, language=settings.language
        )
        found: Counter[str] = Counter()
        labels = _RANGE_LABEL if _writes_range_labels(column) else None
        for value, count, value_hits in zip(sample.values, sample.counts, hits, strict=True):
            if value.strip().lower() in allowed:
                continue
            if labels is not None and labels.match(value.strip()):
                continue  # the action's own "1000-1999", which reads like a phone number
            for entity in {h.entity for h in value_hits}:
                if column.entity != e.FREE_TEXT or entity in TEXT_ENTITIES:
                    found[entity] += count
        residuals.extend(
            Residual(column.name, entity, cells, sample.sampled)
            for entity, cells in sorted(found.items())
        )
    return residuals


def _writes_range_labels(column: PlannedColumn) -> bool:
    return column.action == "generalise" and column.params.get("to") in ("bucket", "age_band")
