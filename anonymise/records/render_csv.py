"""Records of processing activities as CSV: one row per activity and field, in order."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from anonymise.records.ropa import RopaEntry, value_text

CSV_COLUMNS = ("activity", "role", "article", "field", "value", "missing")


def render_csv(entries: Sequence[RopaEntry]) -> str:
    """A long table (activity, role, article, field, value, missing) that keeps Art. 30
    order and fits controller and processor entries alike."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        missing = "; ".join(entry.missing)
        for field in entry.fields:
            article = f"Art. {field.article}" if field.article else "history"
            writer.writerow(
                [
                    _safe(entry.activity),
                    entry.role,
                    article,
                    field.name,
                    _safe(value_text(field.value)),
                    missing,
                ]
            )
    return buffer.getvalue()


def _safe(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
