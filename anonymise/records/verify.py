"""Check a log's hash chain and name the first record that breaks it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from anonymise.records.chain import GENESIS_HASH, read_lines, record_hash

Problem = Literal["unreadable", "edited", "removed", "reordered"]
_RECORD_ID = re.compile(r'"record_id"\s*:\s*"([^"]*)"')


@dataclass(frozen=True)
class BrokenLink:
    """The first bad record: its line (1-based), id (if readable), what went wrong."""

    line: int
    record_id: str | None
    problem: Problem
    detail: str

    def describe(self) -> str:
        who = f"record {self.record_id}" if self.record_id else "record (id unreadable)"
        return f"line {self.line}, {who}: {self.problem}: {self.detail}"


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of ``verify_chain``."""

    path: Path
    count: int
    last_hash: str
    broken: BrokenLink | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(log_path: Path) -> ChainCheck:
    """Walk the log once; stop at the first record that is unreadable, edited, or whose
    ``prev_hash`` is not the previous record's hash (a removed or reordered record)."""
    lines = read_lines(log_path)
    stated = [_stated_hash(line) for line in lines]
    previous = GENESIS_HASH
    for number, line in enumerate(lines, start=1):
        broken = _check_line(number, line, previous, stated)
        if broken is not None:
            return ChainCheck(Path(log_path), len(lines), previous, broken)
        previous = stated[number - 1] or previous
    return ChainCheck(Path(log_path), len(lines), previous, None)


def _check_line(
    number: int, line: str, previous: str, stated: list[str | None]
) -> BrokenLink | None:
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if not isinstance(record, dict) or "hash" not in record or "prev_hash" not in record:
        found = _RECORD_ID.search(line)
        return BrokenLink(
            number,
            found.group(1) if found else None,
            "unreadable",
            "not a JSON record with 'hash' and 'prev_hash' (edited or truncated)",
        )
    record_id = str(record.get("record_id") or "") or None
    if record_hash(record) != record["hash"]:
        return BrokenLink(number, record_id, "edited", "its content no longer matches its hash")
    if record["prev_hash"] == previous:
        return None
    if record["prev_hash"] in stated[number:] or record["prev_hash"] in stated[: number - 2]:
        where = stated.index(record["prev_hash"]) + 1
        return BrokenLink(
            number,
            record_id,
            "reordered",
            f"it follows the record on line {where}, not the one on line {number - 1}",
        )
    before = f"line {number - 1}" if number > 1 else "the start of the log"
    return BrokenLink(
        number,
        record_id,
        "removed",
        f"the record it follows is missing (between {before} and this one)",
    )


def _stated_hash(line: str) -> str | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    value = record.get("hash") if isinstance(record, dict) else None
    return value if isinstance(value, str) else None
