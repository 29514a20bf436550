"""The hash-chained JSON Lines log: canonical hashing and locked, durable appends.

Each line is one record. ``hash`` is the SHA-256 of the record's canonical JSON without
``hash``; ``prev_hash`` is the previous line's ``hash`` (``GENESIS_HASH`` for the first).
An edit breaks the record's own hash; a deletion or a swap breaks the next ``prev_hash``.
Appends hold ``<log>.lock`` while they read the last hash and write, so several
processes can append to one log and keep one chain.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from filelock import FileLock, Timeout

from anonymise.errors import InputError, OutputError

GENESIS_HASH: Final = "0" * 64
LOCK_TIMEOUT_SECONDS: Final = 60.0
_TAIL_CHUNK: Final = 64 * 1024


@dataclass(frozen=True)
class AppendedRecord:
    """Where a record went and what it chains to."""

    path: Path
    line: int
    record_id: str
    prev_hash: str
    hash: str


def canonical_json(record: Mapping[str, Any]) -> str:
    """The one serialisation the hash is taken over."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the record without its ``hash`` key."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def lock_path(log_path: Path) -> Path:
    """``records/processing.jsonl`` -> ``records/processing.jsonl.lock``."""
    return log_path.with_name(log_path.name + ".lock")


def append_record(log_path: Path, record: Mapping[str, Any]) -> AppendedRecord:
    """Chain ``record`` to the log's last record and append it as one fsynced line.

    ``prev_hash`` and ``hash`` are set here, under the lock; any given are replaced.
    """
    log_path = Path(log_path)
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(lock_path(log_path)), timeout=LOCK_TIMEOUT_SECONDS):
            prev_hash, lines = _tail(log_path)
            chained = _plain({k: v for k, v in record.items() if k not in ("prev_hash", "hash")})
            chained["prev_hash"] = prev_hash
            chained["hash"] = record_hash(chained)
            _append_line(log_path, (canonical_json(chained) + "\n").encode("utf-8"))
    except Timeout as exc:
        raise OutputError(
            f"processing log '{log_path}': another process has held its lock for "
            f"{LOCK_TIMEOUT_SECONDS:.0f} s; if none is running, delete '{lock_path(log_path)}'"
        ) from exc
    except OSError as exc:
        raise OutputError(
            f"processing log '{log_path}': cannot append a record ({exc.strerror})"
        ) from exc
    return AppendedRecord(
        path=log_path,
        line=lines + 1,
        record_id=str(chained.get("record_id", "")),
        prev_hash=prev_hash,
        hash=str(chained["hash"]),
    )


def _append_line(log_path: Path, line: bytes) -> None:
    """Append ``line`` whole and fsynced, or leave the log as it was: a write cut short
    (a full disk) left a torn last line, which stops every later run until mended."""
    with log_path.open("ab", buffering=0) as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            rest = memoryview(line)
            while rest:
                rest = rest[handle.write(rest) or 0 :]
            os.fsync(handle.fileno())
        except BaseException:  # a full disk, or an interrupt between two writes
            os.ftruncate(handle.fileno(), size)
            raise


def check_appendable(log_path: Path) -> None:
    """``OutputError`` now if a record could not be appended to the log (its last line
    torn, or not a record): checked before work whose record must not be lost."""
    try:
        _tail(Path(log_path))
    except OSError as exc:
        raise OutputError(f"processing log '{log_path}': cannot read it ({exc.strerror})") from exc


def _plain(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record exactly as it will read back (tuples as lists, dates as text), so the
    hash is taken over what is stored."""
    value = json.loads(json.dumps(record, default=str, ensure_ascii=False))
    assert isinstance(value, dict)
    return value


def _tail(log_path: Path) -> tuple[str, int]:
    """The last record's hash and the number of lines (the genesis hash for a new log)."""
    if not log_path.exists() or log_path.stat().st_size == 0:
        return GENESIS_HASH, 0
    data = log_path.read_bytes()
    lines = data.count(b"\n")
    if not data.endswith(b"\n"):
        raise OutputError(
            f"processing log '{log_path}': the last line is incomplete (an interrupted "
            "write?); if it is a whole record that lacks only its line end, add one (`echo "
            f">> LOG`), else keep the {lines} complete line(s) before it (`head -n {lines} "
            "LOG > LOG.new && mv LOG.new LOG`); check with `anonymise log verify`, then try "
            "again"
        )
    last = data[data.rstrip(b"\n").rfind(b"\n") + 1 :]
    try:
        value = json.loads(last)["hash"]
    except (ValueError, KeyError, TypeError) as exc:
        raise OutputError(
            f"processing log '{log_path}', line {lines}: not a record with a 'hash'; "
            "run `anonymise log verify` and repair the log before appending"
        ) from exc
    return str(value), lines


def read_lines(log_path: Path) -> list[str]:
    """The log's lines (without newlines); an unreadable log is an InputError."""
    try:
        text = Path(log_path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(
            f"processing log '{log_path}': no such file; give --log or --config with records.log"
        ) from exc
    except OSError as exc:
        raise InputError(f"processing log '{log_path}': cannot read it ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"processing log '{log_path}': not UTF-8") from exc
    return text.splitlines()


def read_records(log_path: Path) -> list[dict[str, Any]]:
    """Every record that parses as a JSON object (use ``verify_chain`` to trust them)."""
    records: list[dict[str, Any]] = []
    for line in read_lines(log_path):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records
