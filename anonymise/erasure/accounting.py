"""Accounting for an erasure: its record in the processing log, from its journal.

What an erasure removed reaches its record and its receipts whichever way it ends:
- it ends: its receipts, then its record;
- it fails or is interrupted (Ctrl-C) after it began to change files: receipts
  ``interrupted`` for the requests that lost rows, with those rows, and a ``failed``
  record with every row removed so far;
- it dies (killed, the machine down): the next erasure of the config finds its journal
  under the output folder's lock and does the same for it, before its own work (or, if
  only its record was missing, records it as it ended).
The journal goes once the record is written, so a record that cannot be written leaves
it for the next erasure.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

from anonymise.erasure.journal import JOURNAL_NAME, Account, Journal, JournalRequest, read_journal
from anonymise.erasure.receipts import Receipt, Status, write_receipts
from anonymise.erasure.requests import ErasureRequest
from anonymise.errors import AnonymiseError

logger = logging.getLogger("anonymise.erasure")

REWRITTEN_STAY = "datasets rewritten before it stay rewritten; erase again to finish"
INTERRUPTED = f"interrupted (Ctrl-C): {REWRITTEN_STAY}"
DIED = (
    "it stopped before it was recorded (killed, or the machine went down); recorded by "
    f"the next erasure, from its journal: {REWRITTEN_STAY} (the same requests)"
)


@dataclass(frozen=True)
class ErasureRun:
    """An erasure to record in the processing log: counts, paths and ids, no identifier."""

    erasure_id: str
    started_at: str
    finished_at: str
    key_id: str
    datasets_searched: tuple[str, ...]
    rows_removed: dict[str, int]
    requests_by_status: dict[str, int]
    error: str | None
    """None if it succeeded."""
    rows_to_check: dict[str, int] = field(default_factory=dict)
    """Per dataset, malformed rows holding a CRM id of a request: left for a look by
    hand (known only when the erasure ended)."""


Recorder = Callable[[ErasureRun], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _error_text(exc: BaseException) -> str:
    from anonymise.records.build import error_summary

    return INTERRUPTED if isinstance(exc, KeyboardInterrupt) else error_summary(exc)


class Accounting:
    """One erasure's journal and record (not a dry run's: it changes nothing)."""

    def __init__(
        self,
        record: Recorder | None,
        *,
        directory: Path,
        receipts_dir: Path,
        erasure_id: str,
        key_id: str,
    ) -> None:
        self._record = record or (lambda run: None)
        self._directory = directory  # the output folder: the journal beside its lock
        self._receipts_dir = receipts_dir
        self._erasure_id = erasure_id
        self._key_id = key_id
        self._started_at = _now()
        self._journal: Journal | None = None
        self.recorded = False

    def account_for_the_dead(self) -> None:
        """Record an erasure that died, by the journal it left (under the lock)."""
        account = read_journal(self._directory)
        if account is None:
            return
        error: str | None = None
        statuses = account.receipts
        if statuses is None:
            statuses = _interrupted_receipts(account)
            error = DIED + _unsure(account.unsure)
        self._record(_run_of(account, statuses, error))
        Journal(self._directory / JOURNAL_NAME).remove()
        logger.warning(
            "erasure %s, started %s, stopped before it was recorded: recorded now from its "
            "journal (%d row(s) removed from %d dataset(s))",
            account.erasure_id,
            account.started_at,
            sum(account.rows_removed.values()),
            len(account.rows_removed),
        )

    def begin(
        self,
        requests: Sequence[ErasureRequest],
        searched: Sequence[str],
        unless_removed: Sequence[str],
    ) -> Journal:
        """The journal, before anything is changed; ``unless_removed``: each request's
        status should the erasure stop before it removes any of its rows."""
        from anonymise.erasure.deadline import erasure_deadline

        self._journal = Journal.begin(
            self._directory,
            erasure_id=self._erasure_id,
            started_at=self._started_at,
            key_id=self._key_id,
            receipts_dir=self._receipts_dir,
            requests=[
                JournalRequest(
                    r.request_id,
                    r.file_stem,
                    r.received_at_text,
                    erasure_deadline(r.received_at).isoformat(),
                    status,
                )
                for r, status in zip(requests, unless_removed, strict=True)
            ],
            searched=searched,
        )
        return self._journal

    def succeeded(
        self,
        searched: Sequence[str],
        rows_removed: Mapping[str, int],
        statuses: Mapping[str, int],
        rows_to_check: Mapping[str, int] | None = None,
    ) -> None:
        """Once the receipts are written."""
        if self._journal is not None:
            self._journal.receipts_written(statuses)
        self._record(
            ErasureRun(
                self._erasure_id,
                self._started_at,
                _now(),
                self._key_id,
                tuple(searched),
                dict(rows_removed),
                dict(statuses),
                None,
                dict(rows_to_check or {}),
            )
        )
        self.recorded = True
        if self._journal is not None:
            self._journal.remove()

    def failed(self, exc: BaseException) -> None:
        """Record the failure with what was removed before it; never raises over it."""
        try:
            account = read_journal(self._directory) if self._journal is not None else None
            statuses: dict[str, int] = {}
            if account is not None and account.receipts is None:
                statuses = _interrupted_receipts(account)
            error = _error_text(exc) + (_unsure(account.unsure) if account else "")
            if account is None:
                run = ErasureRun(
                    self._erasure_id, self._started_at, _now(), self._key_id, (), {}, {}, error
                )
            else:
                run = _run_of(account, account.receipts or statuses, error)
            self._record(run)
            self.recorded = True
            if self._journal is not None:
                self._journal.remove()
        except AnonymiseError as problem:
            logger.error(
                "erasure %s is not recorded (the next erasure records it from its journal): %s",
                self._erasure_id,
                problem,
            )


def _run_of(account: Account, statuses: Mapping[str, int], error: str | None) -> ErasureRun:
    return ErasureRun(
        account.erasure_id,
        account.started_at,
        _now(),
        account.key_id,
        account.datasets_searched,
        account.rows_removed,
        dict(statuses),
        error,
    )


def _unsure(datasets: Sequence[str]) -> str:
    if not datasets:
        return ""
    return (
        f"; {len(datasets)} remote dataset(s) were being rewritten and may have lost "
        f"their rows too: {', '.join(datasets)}"
    )


def _interrupted_receipts(account: Account) -> dict[str, int]:
    """A receipt for each request of an erasure that stopped: ``interrupted`` with the
    rows it lost, or had yet to lose (the search found it); else what the search said
    (``not_found``, ``already_erased``), so that erasing it again says so too. Its
    requests per status."""
    completed_at = datetime.now(UTC).replace(microsecond=0)
    receipts = [
        Receipt(
            request_id=request.request_id,
            file_stem=request.file_stem,
            status=cast(
                Status,
                "interrupted" if account.rows_per_request.get(position) else request.unless_removed,
            ),
            received_at=request.received_at,
            deadline=date.fromisoformat(request.deadline),
            completed_at=completed_at,
            datasets_searched=account.datasets_searched,
            rows_removed=account.rows_per_request.get(position, {}),
        )
        for position, request in enumerate(account.requests)
    ]
    if receipts:
        write_receipts(receipts, account.receipts_dir, summary=False)
    return dict(Counter(r.status for r in receipts))
