"""An erasure's journal: what it has removed so far, on disk, so that an erasure that
dies (killed, the machine down) is still accounted for.

Under the output folder's lock, before it changes anything, an erasure writes
``<output.dir>/.anonymise-erasure.jsonl`` (beside the lock: two configs may share a
receipts folder, not an output folder): its requests (ids, receipt names and received
dates, never an identifier), where its receipts go and the datasets it searched.
Before it rewrites a file it adds the rows it removes there, per request, and the
file's stamp; after, that the file is rewritten. Each line is flushed to disk before
the file changes. Once the erasure's record is in the processing log, the journal goes.

So a journal found by the next erasure is a dead one's: its rows were removed (a file
whose stamp changed was rewritten, even without its second line), and it is recorded
then (``account_of``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from anonymise.erasure.rewrite import file_stamp
from anonymise.errors import OutputError

JOURNAL_NAME: Final = ".anonymise-erasure.jsonl"


@dataclass(frozen=True)
class JournalRequest:
    """A request as a receipt names it: no identifier."""

    request_id: str
    file_stem: str
    received_at: str
    deadline: str
    unless_removed: str = "not_found"
    """Its receipt's status if the erasure stops before it removes any of its rows:
    ``interrupted`` if the search found it, else ``already_erased`` or ``not_found``."""


@dataclass(frozen=True)
class Account:
    """What an erasure did, as its journal tells it."""

    erasure_id: str
    started_at: str
    key_id: str
    receipts_dir: Path
    requests: tuple[JournalRequest, ...]
    datasets_searched: tuple[str, ...]
    rows_removed: dict[str, int] = field(default_factory=dict)
    """Per dataset, each row once (one row may match two requests)."""
    rows_per_request: dict[int, dict[str, int]] = field(default_factory=dict)
    """Per request (by position), per dataset."""
    unsure: tuple[str, ...] = ()
    """Datasets it began to rewrite, without word that it finished, that cannot be
    told rewritten or not (remote, or gone since)."""
    receipts: dict[str, int] | None = None
    """Its requests per status, once its receipts were written."""


class Journal:
    """The journal of the erasure under way (appended to, then removed)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def begin(
        cls,
        directory: Path,
        *,
        erasure_id: str,
        started_at: str,
        key_id: str,
        receipts_dir: Path,
        requests: Sequence[JournalRequest],
        searched: Sequence[str],
    ) -> Journal:
        """Start the journal in ``directory`` (an earlier one must have been accounted
        for)."""
        journal = cls(directory / JOURNAL_NAME)
        journal._append(
            {
                "erasure_id": erasure_id,
                "started_at": started_at,
                "key_id": key_id,
                "receipts_dir": str(receipts_dir.resolve()),
                "requests": [
                    [r.request_id, r.file_stem, r.received_at, r.deadline, r.unless_removed]
                    for r in requests
                ],
                "searched": list(searched),
            },
            new=True,
        )
        return journal

    def rewriting(
        self,
        dataset: str,
        *,
        stamp: tuple[int, int] | None,
        rows: int,
        rows_per_request: Mapping[int, int],
    ) -> None:
        """Before ``dataset`` is rewritten without ``rows`` rows."""
        self._append(
            {
                "rewriting": dataset,
                # where it is, whatever folder the next erasure runs from
                "at": os.path.abspath(dataset) if stamp else None,
                "stamp": list(stamp) if stamp else None,
                "rows": rows,
                "per_request": {str(k): v for k, v in rows_per_request.items() if v},
            }
        )

    def rewrote(self, dataset: str) -> None:
        """After ``dataset`` was rewritten."""
        self._append({"rewrote": dataset})

    def receipts_written(self, statuses: Mapping[str, int]) -> None:
        """After the receipts were written: its requests per status."""
        self._append({"receipts": dict(statuses)})

    def remove(self) -> None:
        """Once the erasure is recorded."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(
                f"erasure journal '{self.path}': cannot remove it ({exc.strerror}); remove "
                "it by hand, or the next erasure records this one again"
            ) from exc

    def _append(self, entry: Mapping[str, Any], *, new: bool = False) -> None:
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(
                self.path,
                os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if new else os.O_APPEND),
                0o600,
            )
            with os.fdopen(descriptor, "ab") as handle:
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(
                f"erasure journal '{self.path}': cannot write it ({exc.strerror}); "
                "nothing more was erased"
            ) from exc


def read_journal(directory: Path) -> Account | None:
    """The account of the erasure whose journal is in ``directory``; None if there is
    none. A last line cut short (the erasure died writing it) is left out: its file was
    not yet rewritten."""
    path = directory / JOURNAL_NAME
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"erasure journal '{path}': cannot read it ({exc})") from exc
    entries = []
    for number, line in enumerate(lines, start=1):
        try:
            entries.append(json.loads(line))
        except ValueError:
            if number < len(lines):
                raise OutputError(
                    f"erasure journal '{path}', line {number}: not a journal line; it was "
                    "edited: restore it, or remove it and account for that erasure by hand"
                ) from None
    if not entries:
        return None
    return account_of(entries, path)


def account_of(entries: Sequence[Mapping[str, Any]], path: Path) -> Account:
    """The account of a journal's entries: a file counts as rewritten when its second
    line is there, or its stamp is no longer the one it had before."""
    head = entries[0]
    try:
        requests = tuple(
            JournalRequest(*(str(field) for field in entry)) for entry in head["requests"]
        )
        started = [e for e in entries[1:] if "rewriting" in e]
        finished = {e["rewrote"] for e in entries[1:] if "rewrote" in e}
        per_request: dict[int, dict[str, int]] = {}
        removed: dict[str, int] = {}
        unsure = []
        for entry in started:
            dataset = str(entry["rewriting"])
            if dataset not in finished:
                stamp, at = entry.get("stamp"), entry.get("at", dataset)
                now = _stamp(str(at)) if stamp is not None and at else None
                if now is None:
                    unsure.append(dataset)  # remote, or gone since: cannot be told
                    continue
                if now == tuple(stamp or ()):
                    continue  # the file is as it was: not rewritten
            removed[dataset] = int(entry["rows"])
            for position, rows in entry["per_request"].items():
                per_request.setdefault(int(position), {})[dataset] = int(rows)
        receipts = [e["receipts"] for e in entries[1:] if "receipts" in e]
        return Account(
            erasure_id=str(head["erasure_id"]),
            started_at=str(head["started_at"]),
            key_id=str(head["key_id"]),
            receipts_dir=Path(str(head["receipts_dir"])),
            requests=requests,
            datasets_searched=tuple(str(s) for s in head["searched"]),
            rows_removed=removed,
            rows_per_request=per_request,
            unsure=tuple(unsure),
            receipts={str(k): int(v) for k, v in receipts[-1].items()} if receipts else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise OutputError(
            f"erasure journal '{path}': not as an erasure writes it; it was edited: restore "
            "it, or remove it and account for that erasure by hand"
        ) from exc


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        return file_stamp(path)
    except OSError:
        return None
