"""Hand-made plans for tests that run a step on a frame without scanning it."""

from __future__ import annotations

from typing import Any

from anonymise.plan import PlannedColumn, PlannedInput, columns_fingerprint


def planned_column(
    name: str, entity: str | None, action: str, params: dict[str, Any] | None = None
) -> PlannedColumn:
    return PlannedColumn(
        name=name, entity=entity, confidence=1.0, action=action, params=params or {}
    )


def planned_input(*columns: PlannedColumn, rows: int = 0) -> PlannedInput:
    """A planned input with these columns, bound to their names."""
    return PlannedInput(
        source="x.csv",
        format="csv",
        fingerprint=columns_fingerprint([c.name for c in columns]),
        content_sha256="0" * 64,
        rows=rows,
        columns=columns,
    )
