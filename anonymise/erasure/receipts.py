"""Receipts: one JSON file per request and ``erasure_summary.csv``; never an identifier.

A receipt says where the request's data was searched and found, how many rows went,
when it was done and its Art. 12(3) deadline. Running the same request again rewrites
its receipt with the new status (``already_erased``) and keeps every earlier run in
``history``, so the first ``completed_at`` and row counts are never lost.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Literal

from anonymise.errors import OutputError
from anonymise.io.atomic import replace_text
from anonymise.io.json_file import read_json_object

Status = Literal["erased", "not_found", "already_erased", "interrupted"]
"""``interrupted``: rows went before the erasure stopped (``accounting``); erasing the
request again finishes it."""
SUMMARY_NAME: Final = "erasure_summary.csv"
SUMMARY_COLUMNS: Final = (
    "request_id",
    "status",
    "rows_removed",
    "datasets_with_matches",
    "received_at",
    "deadline",
    "completed_at",
    "rows_to_check",  # malformed rows holding its CRM id, left for a look by hand
)


@dataclass(frozen=True)
class Receipt:
    request_id: str
    file_stem: str
    status: Status
    received_at: str
    deadline: date
    completed_at: datetime
    datasets_searched: tuple[str, ...]
    rows_removed: dict[str, int]
    to_check: dict[str, list[int]] = field(default_factory=dict)
    """Per dataset, lines of malformed rows holding a CRM id the request names, left
    for a look by hand (a raw row is not split into its fields)."""

    @property
    def rows_removed_total(self) -> int:
        return sum(self.rows_removed.values())

    @property
    def completed_at_text(self) -> str:
        return self.completed_at.strftime("%Y-%m-%dT%H:%M:%SZ")

    def as_json(self, history: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "request_id": self.request_id,
            "status": self.status,
            "received_at": self.received_at,
            "deadline": self.deadline.isoformat(),
            "completed_at": self.completed_at_text,
            "on_time": self.completed_at.date() <= self.deadline,
            "datasets_searched": list(self.datasets_searched),
            "rows_removed": self.rows_removed,
            "rows_removed_total": self.rows_removed_total,
            "to_check": self.to_check,
            "history": history,
        }


def write_receipts(receipts: Sequence[Receipt], directory: Path, *, summary: bool = True) -> Path:
    """Write every receipt and (unless not ``summary``) the summary of these receipts;
    returns the summary's path."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"receipts folder '{directory}': cannot create it ({exc.strerror})"
        ) from exc
    for receipt in receipts:
        target = directory / f"{receipt.file_stem}.json"
        document = receipt.as_json(_history(target))
        _write_text(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    path = directory / SUMMARY_NAME
    if summary:
        _write_text(path, summary_csv(receipts))
    return path


def summary_csv(receipts: Sequence[Receipt]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for r in receipts:
        writer.writerow(
            [
                r.request_id,
                r.status,
                r.rows_removed_total,
                len([n for n in r.rows_removed.values() if n]),
                r.received_at,
                r.deadline.isoformat(),
                r.completed_at_text,
                sum(len(lines) for lines in r.to_check.values()),
            ]
        )
    return buffer.getvalue()


def earlier_receipt(directory: Path, file_stem: str) -> dict[str, Any] | None:
    """The receipt an earlier erasure wrote under this name, if any (and readable)."""
    return read_json_object(directory / f"{file_stem}.json")


def statuses_of(receipt: dict[str, Any]) -> set[str]:
    """Every status a receipt records: its own and its history's."""
    history = [h for h in receipt.get("history", []) if isinstance(h, dict)]
    return {str(entry.get("status")) for entry in [*history, receipt]}


def _history(target: Path) -> list[dict[str, Any]]:
    """The earlier runs of this request, oldest first (an unreadable receipt has none)."""
    earlier = read_json_object(target)
    if earlier is None:
        return []
    history = [h for h in earlier.get("history", []) if isinstance(h, dict)]
    history.append(
        {
            "status": earlier.get("status"),
            "completed_at": earlier.get("completed_at"),
            "rows_removed": earlier.get("rows_removed", {}),
        }
    )
    return history


def _write_text(target: Path, text: str) -> None:
    try:
        replace_text(target, text)
    except OSError as exc:
        raise OutputError(f"receipt '{target}': cannot write it ({exc.strerror})") from exc
