"""Values as JSON holds them, for params read from YAML."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def json_safe(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with dates as ISO text: YAML reads ``reference_date: 2024-06-30`` as a
    date, which the run report, the record and Prefect's artifact must write as text (a
    run failed after publishing on it)."""
    return {key: _plain(value) for key, value in params.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
