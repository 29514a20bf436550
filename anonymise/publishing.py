"""What a run is about to publish, said before it renames its outputs into place.

A run publishes by renaming each output into place, then writes ``run_report.json``
(where erasure finds the folder's outputs and how their columns were made) and its Art.
30 record. A run killed between the two left outputs that no report listed and no
record named: an erasure did not search them, and said ``erased``. So before its first
rename a run writes a journal in its config's ``output.dir`` (which every erasure locks
and searches, also when the run publishes elsewhere with ``--output``): the folder it
publishes into, its report, with each output's SHA-256 and its paths made absolute, and
the record it is about to append, with the log it goes to (the run's own config says
which; a settler's may be another pipeline's). The journal is removed once the report
and the record are written.

Whoever takes the lock of the run's folder next (a run, or an erasure) settles a
journal left behind: the outputs whose file is the one the journal names were published, so the
report is written for them (the previous report's entries stay for the others, which
were not replaced) and the record is appended for them, unless the log has it already
(the run was killed after appending it; a "failed" record of the run, written when its
stop could not be settled at once, stays beside it); a journal none of whose outputs was published
is dropped. A file that is byte for byte the one the run made counts as published by
it, whether it renamed it or an earlier run left the same bytes there. No value is in a
journal: it is a report and a record.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from anonymise.io.atomic import replace_text
from anonymise.io.json_file import read_json_object
from anonymise.output_lock import same_folder
from anonymise.records.build import absolute_uri, file_sha256
from anonymise.records.chain import append_record, read_records
from anonymise.run_report import write_report

JOURNAL_PREFIX: Final = ".anonymise-publishing-"
JOURNAL_GLOB: Final = f"{JOURNAL_PREFIX}*.json"

logger = logging.getLogger("anonymise.publishing")


def journal_path(out: Path, run_id: str) -> Path:
    return out / f"{JOURNAL_PREFIX}{run_id}.json"


def hashed_report(report: dict[str, Any], pending: Sequence[str]) -> dict[str, Any]:
    """``report`` with each input's ``output_sha256``: its pending file's (``pending``,
    in the report's input order), taken before anything is renamed (the record takes
    them rather than reading each output again)."""
    inputs = [
        {**entry, "output_sha256": file_sha256(path)}
        for entry, path in zip(report.get("inputs", []), pending, strict=True)
    ]
    return {**report, "inputs": inputs}


def write_journal(
    home: Path,
    out: Path,
    report: dict[str, Any],
    record: dict[str, Any] | None,
    log: Path | None,
) -> Path:
    """Write, in ``home``, the journal of a run about to publish into ``out`` (see
    above): ``report`` from ``hashed_report``, and the ``record`` it will append to
    ``log`` (None: records off). ``home`` is the config's ``output.dir``, which every
    erasure locks and searches, also when the run publishes elsewhere (``run
    --output``: a folder no erasure knows of until a run there is recorded)."""
    entries = [
        {**entry, **{k: absolute_uri(entry.get(k)) for k in ("source", "output")}}
        for entry in report.get("inputs", [])
    ]
    journal = {
        "folder": str(out.resolve()),
        "pipeline": report.get("pipeline"),
        "report": {**report, "inputs": entries},
        "record": record,
        "log": str(log.resolve()) if log is not None else None,
    }
    path = journal_path(home, str(report["run_id"]))
    replace_text(path, json.dumps(journal, indent=2, ensure_ascii=False) + "\n", private=False)
    return path


def write_stub(home: Path, out: Path, run_id: str, pipeline: str | None = None) -> Path:
    """The journal of a run of ``pipeline`` that holds ``out``'s lock and has published
    nothing yet: it names the folder only (an erasure waits for that folder's lock, then
    searches it if the run is of its pipeline)."""
    path = journal_path(home, run_id)
    stub = {"folder": str(out.resolve()), "pipeline": pipeline, "report": None}
    replace_text(path, json.dumps(stub) + "\n", private=False)
    return path


class PublishingJournal(NamedTuple):
    path: Path
    folder: Path  # where its run publishes
    pipeline: str | None  # its run's (None: a journal of an older version, or unreadable)


def journals(home: Path) -> list[PublishingJournal]:
    """Each journal in ``home``, with the folder its run published into."""
    found = []
    for path in sorted(home.glob(JOURNAL_GLOB)):
        journal = read_json_object(path)
        if journal is None and not path.exists():
            continue  # its run ended since the folder was listed
        folder, pipeline = (journal or {}).get("folder"), (journal or {}).get("pipeline")
        found.append(
            PublishingJournal(
                path,
                Path(folder) if isinstance(folder, str) else home.resolve(),
                pipeline if isinstance(pipeline, str) else None,
            )
        )
    return found


def settle_journals(held: Path, home: Path, *, by: str) -> int:
    """Settle the journals in ``home`` of runs that published into ``held``, whose lock
    the caller holds (see above); ``by`` says who found them, for the log. How many had
    published outputs."""
    return sum(
        settle_journal(journal.path, by=by)
        for journal in journals(home)
        if same_folder(journal.folder, held)
    )


def settle_journal(path: Path, *, by: str) -> bool:
    """Settle one journal, its run's folder's lock held: whether it had published."""
    if not path.exists():
        return False  # its run ended while the caller waited for the folder's lock
    journal = read_json_object(path) or {}
    report = journal.get("report")
    if report is None:  # a run that published nothing (a stub)
        path.unlink(missing_ok=True)
        return False
    folder = Path(str(journal.get("folder") or path.parent))
    published = _published_part(report) if isinstance(report, dict) else None
    if published is not None:
        write_report(published, folder)
        _append_once(journal, published)
    logger.warning(
        "a run killed while it published into %s left its journal (%s); %s found it: %s",
        folder,
        path,
        by,
        "its report and record are now written for the outputs it had published"
        if published is not None
        else "none of its outputs had been published, and nothing was recorded",
    )
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("journal %s could not be removed (%s)", path, exc.strerror)
    return published is not None


def _published_part(report: dict[str, Any]) -> dict[str, Any] | None:
    """The journal's report for the outputs that reached their place (the file there is
    the one it names), or None when none did."""
    entries = [e for e in report.get("inputs", []) if isinstance(e, dict)]
    placed = [
        e
        for e in entries
        if isinstance(e.get("output"), str)
        and e.get("output_sha256") is not None
        and file_sha256(e["output"]) == e["output_sha256"]
    ]
    if not placed:
        return None
    return {
        **report,
        "inputs": placed,
        "rows_in": sum(int(e.get("rows_in") or 0) for e in placed),
        "rows_out": sum(int(e.get("rows_out") or 0) for e in placed),
        "rows_blocked": sum(_total(e.get("rows_blocked")) for e in placed),
        "quarantined": sum(int(e.get("quarantined") or 0) for e in placed),
    }


def _append_once(journal: dict[str, Any], published: dict[str, Any]) -> None:
    """Append the journal's record to its log, for the outputs that were published,
    unless the log has the run's record already."""
    record, log = journal.get("record"), journal.get("log")
    if not isinstance(record, dict) or not isinstance(log, str):
        return  # the run's config kept no records
    log_path = Path(log)
    if log_path.is_file() and any(
        (r.get("kind"), r.get("run_id"), r.get("status"))
        == ("run", record.get("run_id"), "succeeded")
        for r in read_records(log_path)
    ):
        return
    placed = {e["output"] for e in published["inputs"]}
    data = dict(record.get("data") or {})
    data["outputs"] = [o for o in data.get("outputs", []) if o.get("uri") in placed]
    data["counts"] = {**data.get("counts", {}), "rows_out": published["rows_out"]}
    append_record(log_path, {**record, "data": data})


def _total(counts: object) -> int:
    return sum(int(n) for n in counts.values()) if isinstance(counts, dict) else 0
