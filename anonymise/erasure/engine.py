"""``erase``: search every dataset, suppress, rewrite what matched, write receipts.

    validate requests -> (the output folder's lock) account for a dead erasure
      -> search (read only) -> refuse what cannot be rewritten -> journal
      -> suppression list -> rewrite files with matches -> receipts -> record

Nothing is written until every dataset has been searched and every file with matches
is known to be rewritable. The suppression list is updated before any data file, so a
run that dies midway still keeps the people out of the next pipeline run; a rerun
finishes the files that were not rewritten. Its journal keeps the rows removed until
the erasure is recorded, however it ends (``accounting``). ``dry_run`` stops after
the search.

The datasets are the raw sources, the past outputs and the quarantine files those runs
published (raw malformed rows, searched as text and rewritten in their CSV shape); a
file without matches is never rewritten, so a second run changes no byte.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import polars as pl

from anonymise.config import PipelineConfig
from anonymise.erasure.accounting import Accounting, Recorder
from anonymise.erasure.datasets import Dataset, find_datasets, recorded_output_folders
from anonymise.erasure.deadline import erasure_deadline
from anonymise.erasure.delimited_records import DelimitedRecords, read_records, write_records
from anonymise.erasure.journal import Journal, read_journal
from anonymise.erasure.matching import (
    Matches,
    RequestIndex,
    crm_ids_in_raw,
    match_frame,
    match_quarantine,
)
from anonymise.erasure.receipts import Receipt, Status, earlier_receipt, statuses_of, write_receipts
from anonymise.erasure.requests import ErasureRequest
from anonymise.erasure.rewrite import (
    Layout,
    LoadedDataset,
    dataset_format,
    file_stamp,
    load_dataset,
    load_quarantine,
    parquet_columns,
    remove_erasure_leftovers,
    replace_atomically,
    rewrite_problem,
    write_atomically,
)
from anonymise.erasure.settings import ErasureConfig
from anonymise.errors import ConfigError, InputError, RunError
from anonymise.keys import SecretKey
from anonymise.output_lock import (
    WORK_PREFIX,
    holding_journals,
    holding_output_dir,
    lock_order,
    lock_state,
    same_folder,
)
from anonymise.publishing import PublishingJournal, journals, settle_journal
from anonymise.suppression import Reason, SuppressionList
from anonymise.suppression.identifiers import names_unknown_source

logger = logging.getLogger("anonymise.erasure")

Progress = Callable[[str, int, int], None]
"""Called with (step, done, total) as datasets are searched and rewritten."""


@dataclass(frozen=True)
class RequestOutcome:
    request: ErasureRequest
    status: Status
    rows_removed: dict[str, int] = field(default_factory=dict)
    to_check: dict[str, list[int]] = field(default_factory=dict)
    """Per dataset, lines of malformed rows that hold a CRM id it names (not removed)."""

    @property
    def rows_removed_total(self) -> int:
        return sum(self.rows_removed.values())


@dataclass(frozen=True)
class ErasureOutcome:
    dry_run: bool
    completed_at: datetime
    datasets_searched: tuple[str, ...]
    requests: tuple[RequestOutcome, ...]
    receipts_dir: Path
    rows_removed: dict[str, int] = field(default_factory=dict)
    """Rows removed (or, in a dry run, that would go) per dataset, each row once: one
    row may match several requests (the same person by e-mail and by phone)."""


@dataclass(frozen=True)
class _Found:
    dataset: Dataset
    stamp: tuple[int, int]
    layout: Layout
    rows_per_request: dict[int, int]
    rows: int
    records_kept: bool = False
    """A file with malformed rows that can be rewritten record by record."""
    to_check: dict[int, list[int]] = field(default_factory=dict)
    """Per request, lines of malformed rows holding a CRM id it names."""


@dataclass(frozen=True)
class _FileMatches:
    """A dataset's rows to remove: in its frame, and among its malformed records."""

    rows: Matches
    malformed: Matches | None
    to_check: dict[int, list[int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.rows.rows + (self.malformed.rows if self.malformed else 0)

    @property
    def per_request(self) -> dict[int, int]:
        counts = Counter(self.rows.rows_per_request)
        counts.update(self.malformed.rows_per_request if self.malformed else {})
        return dict(counts)


def receipts_dir(config: PipelineConfig) -> Path:
    settings = getattr(config, "erasure", None) or ErasureConfig()
    return Path(config.resolve(settings.receipts_dir))


def erase(
    config: PipelineConfig,
    requests: Sequence[ErasureRequest],
    *,
    key: SecretKey,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
    record: Recorder | None = None,
) -> ErasureOutcome:
    """Erase the people of ``requests`` from every dataset of ``config``. ``record`` is
    given the erasure to record in the processing log (and any earlier one that died
    before it was recorded), whichever way it ends (``accounting``); a dry run has none."""
    out = Path(config.resolve(config.output.dir))
    accounting = (
        None
        if dry_run
        else Accounting(
            record,
            directory=out,
            receipts_dir=receipts_dir(config),
            erasure_id=str(uuid.uuid4()),
            key_id=key.key_id,
        )
    )
    with ExitStack() as held:
        try:
            index, listing = _checked(config, requests, key)
            publishing: list[Path] = []
            if accounting is not None:  # a dry run only reads, and leaves no lock file
                publishing = _locked(config, out, held)
            return _erase(
                config, requests, key, index, listing, now, progress, accounting, publishing
            )
        except BaseException as exc:
            if accounting is not None and not accounting.recorded:
                accounting.failed(exc)  # its journal, if it began one, is under the lock
            raise


def _journals_of(config: PipelineConfig, out: Path) -> tuple[list[PublishingJournal], list[Path]]:
    """The publishing journals an erasure of ``config`` settles, each with the folder
    its run published into, and the folders runs recorded publishing into with
    ``--output``: the journals are in the output folder, and in recorded folders (older
    versions kept one there when the output folder could not be written)."""
    recorded = recorded_output_folders(config, out)
    found = journals(out) + [j for f in recorded if f.is_dir() for j in journals(f)]
    return found, recorded


def _locked(config: PipelineConfig, out: Path, held: ExitStack) -> list[Path]:
    """Take, in ``held`` until the erasure ends, the output folder's lock with its
    journals lock, and the lock of each folder runs published into with ``--output``
    (``_published_into``), all in one order (``lock_order``: the folders' identities),
    as every erasure does; runs never wait for a lock while they hold another. So two
    erasures, or an erasure and a run, whose folders cross (each config publishing into
    the other's output folder) wait for each other only while one works, never until
    ``lock_timeout``. A folder found, once the output folder's locks are held, that
    sorts before a lock already held makes the erasure let go of them all and take them
    again in order. Returns what ``_settle_publications`` does."""
    timeout = config.output.lock_timeout
    deadline = time.monotonic() + timeout

    def left() -> float:
        return max(0.0, deadline - time.monotonic())

    def take(folder: Path, attempt: ExitStack, unopenable: dict[Path, ConfigError]) -> None:
        if folder is out:
            attempt.enter_context(holding_output_dir(out, timeout=left(), said=timeout))
            attempt.enter_context(holding_journals(out, timeout=left(), said=timeout))
        elif folder.is_dir():  # one gone meanwhile holds nothing to search
            try:
                attempt.enter_context(holding_output_dir(folder, timeout=left(), said=timeout))
            except ConfigError as exc:
                unopenable[folder] = exc

    folders: list[Path] = []  # beside the output folder, found so far
    while True:
        with ExitStack() as attempt:
            unopenable: dict[Path, ConfigError] = {}
            for folder in sorted([out, *folders], key=lock_order):
                take(folder, attempt, unopenable)
            found, named = _published_into(config, out)
            new = [f for f in named if not any(same_folder(f, g) for g in folders)]
            last = max(lock_order(f) for f in [out, *folders])
            if all(lock_order(f) > last for f in new):  # in order after those held
                for folder in sorted(new, key=lock_order):
                    take(folder, attempt, unopenable)
                folders += new
                settled = _settle_publications(config, found, folders, unopenable)
                held.enter_context(attempt.pop_all())
                return settled
        folders += new  # let go of them all, and take them again in order


def _published_into(
    config: PipelineConfig, out: Path
) -> tuple[list[PublishingJournal], list[Path]]:
    """The publishing journals an erasure settles, and the folders runs published into
    with ``--output`` (the recorded ones, and those a journal in the output folder
    names: a run into a new folder says so, under the output folder's journals lock,
    before it stages), each once however reached, the output folder aside."""
    found, recorded = _journals_of(config, out)
    folders: list[Path] = []
    for folder in sorted({j.folder for j in found} | set(recorded)):
        if not same_folder(folder, out) and not any(same_folder(folder, f) for f in folders):
            folders.append(folder)
    return found, [f for f in folders if f.is_dir()]


def _settle_publications(
    config: PipelineConfig,
    found: list[PublishingJournal],
    folders: list[Path],
    unopenable: dict[Path, ConfigError],
) -> list[Path]:
    """Once this erasure holds the lock of each folder a run published into with
    ``--output`` (``_locked``; which removed the work folders killed runs left there,
    quarantined raw rows, and keeps runs from publishing there from rows staged before
    the blocklist has the people), and before it lists what it searches: settle the
    journals runs killed while they published left (``anonymise.publishing``). A
    folder whose lock cannot be opened is searched as it is, unless a killed run left
    data there. Returns the folders the journals of this pipeline's runs named
    (another pipeline sharing the output folder has its own key), searched with the
    recorded ones (with records off, none is)."""
    for folder, exc in unopenable.items():
        if any(same_folder(j.folder, folder) for j in found) or any(folder.glob(f"{WORK_PREFIX}*")):
            raise RunError(
                f"{exc}; a killed run left data there (a journal or a work folder) "
                "that this erasure cannot clear or check, so nothing was erased"
            ) from None
        logger.warning("%s; it is searched as it is", exc)
    for journal in found:
        settle_journal(journal.path, by="this erasure")
    ours = [j.folder for j in found if j.pipeline in (config.pipeline, None)]
    return [f for f in folders if any(same_folder(f, g) for g in ours)]


def _say_if_one_died(config: PipelineConfig, out: Path) -> None:
    """What a dry run can say of a journal it finds (it takes no lock)."""
    publishing = [journal.folder for journal in _journals_of(config, out)[0]]
    if publishing:
        logger.warning(
            "%d run(s) into %s are publishing now, or were killed while they did: this dry "
            "run does not search what they published; an erasure waits for them, or "
            "settles what they left, and searches it",
            len(publishing),
            ", ".join(sorted({str(f) for f in publishing})),
        )
    if read_journal(out) is None:
        return
    state = lock_state(out)
    if state == "held":  # an erasure under way: its journal is live
        logger.info("an erasure works in %s now: this dry run may see its changes", out)
    elif state == "unknown":
        logger.warning(
            "an erasure's journal is in %s, and its lock cannot be opened by this user: an "
            "erasure may work there now, or one stopped before it was recorded (the next "
            "erasure that is not a dry run, by a user who can take the lock, records it)",
            out,
        )
    else:
        logger.warning(
            "an erasure stopped before it was recorded (its journal is in %s): the next "
            "erasure that is not a dry run records it",
            out,
        )


def _checked(
    config: PipelineConfig, requests: Sequence[ErasureRequest], key: SecretKey
) -> tuple[RequestIndex, SuppressionList]:
    """The requests' index and the suppression list, once the requests are known good
    (before the output folder's lock is waited for)."""
    region = config.suppression.phone_region
    _refuse_unknown_sources(requests, config)
    index = RequestIndex(requests, key=key, phone_region=region)
    _refuse_blank_identifiers(requests, index)
    listing = SuppressionList(
        Path(config.resolve(config.suppression.path)), key, phone_region=region
    )
    return index, listing


def _erase(
    config: PipelineConfig,
    requests: Sequence[ErasureRequest],
    key: SecretKey,
    index: RequestIndex,
    listing: SuppressionList,
    now: datetime | None,
    progress: Progress | None,
    accounting: Accounting | None,
    publishing: Sequence[Path] = (),
) -> ErasureOutcome:
    """The erasure, under the output folder's lock unless a dry run (no ``accounting``);
    ``publishing``: the folders runs' journals named, searched too."""
    dry_run = accounting is None
    report = progress or (lambda step, done, total: None)
    directory = receipts_dir(config)
    if accounting is not None:
        accounting.account_for_the_dead()
    else:
        _say_if_one_died(config, Path(config.resolve(config.output.dir)))
    earlier = _earlier_receipts(requests, directory)
    previously_erased = [
        listed
        and (
            bool(statuses_of(receipt) & _ERASED_BEFORE)
            if receipt is not None
            else reason_erasure  # no receipt: the list alone tells
        )
        for (listed, reason_erasure), receipt in zip(
            _on_the_list(listing, requests), earlier, strict=True
        )
    ]
    datasets = find_datasets(config, key, also=publishing)
    searched = tuple(d.path for d in datasets)
    if accounting is not None:
        remove_erasure_leftovers([d.path for d in datasets])
    found = _search(datasets, index, report)
    with_matches = [f for f in found if f.rows]
    _refuse_unrewritable(with_matches)
    if accounting is not None:
        found_any = {p for f in found for p, rows in f.rows_per_request.items() if rows}
        journal = accounting.begin(
            requests,
            searched,
            [
                "interrupted"
                if position in found_any
                else "already_erased"
                if previously_erased[position]
                else "not_found"
                for position in range(len(requests))
            ],
        )
        identifiers = [i for request in requests for i in request.identifiers]
        listing.add(identifiers, reason=Reason.ERASURE, now=now)
        found = _rewrite(found, index, report, journal)
    completed_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    outcomes = tuple(
        _outcome(position, request, found, previously_erased[position])
        for position, request in enumerate(requests)
    )
    removed = {f.dataset.path: f.rows for f in found if f.rows}
    if accounting is not None:
        write_receipts([_receipt(o, searched, completed_at) for o in outcomes], directory)
        to_check = {
            f.dataset.path: len({line for lines in f.to_check.values() for line in lines})
            for f in found
            if f.to_check
        }
        accounting.succeeded(searched, removed, Counter(o.status for o in outcomes), to_check)
    logger.info(
        "erasure%s: %d request(s), %d dataset(s) searched, %d with matches, %d row(s) %s",
        " (dry run)" if dry_run else "",
        len(requests),
        len(datasets),
        len(with_matches),
        sum(f.rows for f in found),
        "would go" if dry_run else "removed",
    )
    return ErasureOutcome(dry_run, completed_at, searched, outcomes, directory, removed)


# A request on the list whose receipt says this was erased before (not another
# request's, nor one added to the list by hand).
_ERASED_BEFORE: Final = frozenset({"erased", "already_erased", "interrupted"})


def _earlier_receipts(
    requests: Sequence[ErasureRequest], directory: Path
) -> list[dict[str, Any] | None]:
    """Each request's earlier receipt; refused before anything is written when it is
    another request's (``T/1`` and ``T_1`` share ``T_1.json``): its history would
    become this one's."""
    earlier = [earlier_receipt(directory, request.file_stem) for request in requests]
    for request, receipt in zip(requests, earlier, strict=True):
        if receipt is not None and receipt.get("request_id") != request.request_id:
            raise InputError(
                f"requests file, row {request.row}, column 'request_id': its receipt "
                f"'{request.file_stem}.json' in '{directory}' belongs to another request "
                f"(the ids differ only in characters a file name cannot hold); give it "
                "another id"
            )
    return earlier


def _refuse_unknown_sources(requests: Sequence[ErasureRequest], config: PipelineConfig) -> None:
    names = [source.name for source in config.sources]
    for request in requests:
        if any(names_unknown_source(i, names) for i in request.identifiers):
            known = ", ".join(sorted({n for n in names if n})) or "it names none"
            raise InputError(
                f"requests file, row {request.row}, column 'source': not the name of a "
                f"source of the config ({known}); a CRM id matches only the rows of the "
                "source named as the config names it"
            )


def _refuse_blank_identifiers(requests: Sequence[ErasureRequest], index: RequestIndex) -> None:
    for request, values in zip(requests, index.normalised_values(), strict=True):
        for identifier, value in zip(request.identifiers, values, strict=True):
            if not value:
                raise InputError(
                    f"requests file, row {request.row}, column '{identifier.kind.value}': "
                    "nothing left once normalised (no digits, or only spaces); correct it"
                )


def _on_the_list(
    listing: SuppressionList, requests: Sequence[ErasureRequest]
) -> list[tuple[bool, bool]]:
    """Per request: whether all its identifiers are on the list, and all for erasure. A
    person on it for another reason before (an objection) and erased since is told by
    the receipt: lists written before an erasure upgraded the reason still say
    ``objection``."""
    entries = iter(listing.lookup([i for r in requests for i in r.identifiers]))
    result = []
    for request in requests:
        mine = [next(entries) for _ in request.identifiers]
        listed = all(e is not None for e in mine)
        result.append((listed, listed and all(e.reason is Reason.ERASURE for e in mine if e)))
    return result


def _load_for_search(dataset: Dataset) -> LoadedDataset:
    fmt, compression = dataset_format(dataset.path)
    if (
        dataset.role == "output"
        and fmt == "parquet"
        and compression is None
        and "://" not in dataset.path
    ):
        # Only the report's identity columns: a search need not read a whole output.
        present = set(parquet_columns(dataset.path))
        columns = [m.column for m in dataset.report_matchers if m.column in present]
        return load_dataset(dataset.path, columns=columns)
    return _load_whole(dataset)  # a raw file's identity columns are told by their cells too


def _load_whole(dataset: Dataset) -> LoadedDataset:
    if dataset.role == "quarantine":
        return load_quarantine(dataset.path)
    return load_dataset(dataset.path)


def _matches(dataset: Dataset, loaded: LoadedDataset, index: RequestIndex) -> Matches:
    if dataset.role == "quarantine":
        # by e-mail and phone only, as a raw file's malformed rows: a CRM id in a raw
        # row may be another field (an amount) or another CRM's id (_quarantined_ids)
        return match_quarantine(loaded.frame, index, crm_ids=False)
    matchers = dataset.matchers(loaded.frame) if loaded.frame.width else ()
    return match_frame(loaded.frame, matchers, index, where=dataset.path)


def _search(datasets: Sequence[Dataset], index: RequestIndex, report: Progress) -> list[_Found]:
    found = []
    for done, dataset in enumerate(datasets, start=1):
        loaded = _load_for_search(dataset)
        matches = _file_matches(dataset, loaded, index)
        kept = bool(matches.count and loaded.malformed and _records(dataset, loaded))
        for lines in matches.to_check.values():
            logger.warning(
                "dataset '%s', line(s) %s: a malformed row holds a CRM id a request names; "
                "it is not removed (a raw row is not split into fields): check it by hand",
                dataset.path,
                ", ".join(map(str, lines)),
            )
        found.append(
            _Found(
                dataset,
                loaded.stamp,
                loaded.layout,
                matches.per_request,
                matches.count,
                kept,
                matches.to_check,
            )
        )
        logger.debug("erasure: searched %s: %d row(s) match", dataset.path, matches.count)
        report("search", done, len(datasets))
    return found


def _refuse_unrewritable(with_matches: Sequence[_Found]) -> None:
    for item in with_matches:
        problem = rewrite_problem(item.dataset.path, item.layout, records_kept=item.records_kept)
        if problem:
            raise InputError(
                f"dataset '{item.dataset.path}': {item.rows} row(s) match but {problem}; "
                "nothing was erased"
            )


def _rewrite(
    found: list[_Found], index: RequestIndex, report: Progress, journal: Journal
) -> list[_Found]:
    result = []
    todo = [f for f in found if f.rows]
    done = 0
    for item in found:
        if not item.rows:
            result.append(item)
            continue
        path = item.dataset.path
        if "://" not in path and file_stamp(path) != item.stamp:
            raise RunError(
                f"dataset '{path}' changed while it was searched; erase again "
                "(files already rewritten stay rewritten)"
            )
        loaded = _load_whole(item.dataset)
        matches = _file_matches(item.dataset, loaded, index)
        records = _records(item.dataset, loaded) if loaded.malformed else None
        if loaded.malformed and records is None:
            raise RunError(
                f"dataset '{path}' changed while it was searched; erase again "
                "(files already rewritten stay rewritten)"
            )
        journal.rewriting(
            path,
            stamp=None if "://" in path else item.stamp,
            rows=matches.count,
            rows_per_request=matches.per_request,
        )
        if records is not None:
            _rewrite_records(path, records, matches, loaded.layout)
        else:
            write_atomically(path, loaded.frame.filter(~matches.rows.mask), loaded.layout)
        journal.rewrote(path)
        logger.info("erasure: rewrote %s without %d row(s)", path, matches.count)
        result.append(
            _Found(
                item.dataset,
                item.stamp,
                loaded.layout,
                matches.per_request,
                matches.count,
                to_check=item.to_check,
            )
        )
        done += 1
        report("rewrite", done, len(todo))
    return result


def _file_matches(dataset: Dataset, loaded: LoadedDataset, index: RequestIndex) -> _FileMatches:
    """The rows of ``loaded`` to remove, its malformed records searched as text (a run
    quarantines them, and they hold people too)."""
    malformed = None
    if loaded.malformed:
        raw = pl.DataFrame(
            {"raw": [row.raw for row in loaded.malformed]}, schema={"raw": pl.String}
        )
        # By e-mail and phone only: a CRM id in a raw row may be another field, or
        # another CRM's id, so such a row is named for a look by hand, never removed.
        malformed = match_quarantine(raw, index, crm_ids=False)
        to_check = {
            request: [loaded.malformed[row].line for row in rows]
            for request, rows in crm_ids_in_raw(raw, index).items()
        }
        return _FileMatches(_matches(dataset, loaded, index), malformed, to_check)
    if dataset.role == "quarantine":
        return _FileMatches(
            _matches(dataset, loaded, index), None, _quarantined_ids(loaded.frame, index)
        )
    return _FileMatches(_matches(dataset, loaded, index), malformed)


def _quarantined_ids(frame: pl.DataFrame, index: RequestIndex) -> dict[int, list[int]]:
    """Per request, the export lines (the quarantine file's ``line``) of quarantined rows
    holding a CRM id it names: named for a look by hand, never removed."""
    if frame.is_empty() or "line" not in frame.columns:
        return {}
    lines = frame.get_column("line").cast(pl.Int64, strict=False).to_list()
    return {
        request: [int(lines[row]) for row in rows if lines[row] is not None]
        for request, rows in crm_ids_in_raw(frame, index).items()
    }


def _records(dataset: Dataset, loaded: LoadedDataset) -> DelimitedRecords | None:
    """A delimited file with malformed rows, cut into its records (``None`` if they
    are not what the reader found)."""
    layout = loaded.layout
    if "://" in dataset.path or layout.delimiter is None or layout.compression == "zip":
        return None
    return read_records(
        dataset.path,
        compression=layout.compression,
        encoding=layout.encoding or "utf-8",
        delimiter=layout.delimiter,
        frame=loaded.frame,
        quarantined=loaded.malformed,
    )


def _rewrite_records(
    path: str, records: DelimitedRecords, matches: _FileMatches, layout: Layout
) -> None:
    """The file without the matching records, every other byte as it was."""
    dropped = {records.rows[i] for i in matches.rows.mask.arg_true().to_list()}
    if matches.malformed is not None:
        dropped |= {records.malformed[i] for i in matches.malformed.mask.arg_true().to_list()}
    replace_atomically(
        path, lambda handle: write_records(handle, records, dropped, layout.compression), layout
    )


def _outcome(
    position: int, request: ErasureRequest, found: Sequence[_Found], previously_erased: bool
) -> RequestOutcome:
    rows = {
        f.dataset.path: f.rows_per_request[position]
        for f in found
        if f.rows_per_request.get(position)
    }
    status: Status = "erased" if rows else "already_erased" if previously_erased else "not_found"
    to_check = {f.dataset.path: f.to_check[position] for f in found if position in f.to_check}
    return RequestOutcome(request, status, rows, to_check)


def _receipt(outcome: RequestOutcome, searched: tuple[str, ...], completed_at: datetime) -> Receipt:
    request = outcome.request
    return Receipt(
        request_id=request.request_id,
        file_stem=request.file_stem,
        status=outcome.status,
        received_at=request.received_at_text,
        deadline=erasure_deadline(request.received_at),
        completed_at=completed_at,
        datasets_searched=searched,
        rows_removed=outcome.rows_removed,
        to_check=outcome.to_check,
    )
