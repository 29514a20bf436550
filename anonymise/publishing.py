"""What a run is about to publish, said before it renames its outputs into place.

A run publishes by renaming each output into place, then writes ``run_report.json``
(where erasure finds the folder's outputs and how their columns were made) and its Art.
30 record. A run killed between the two left outputs that no report listed and no
record named: an erasure did not search them, and said ``erased``. So before its first
rename a run writes its report, with each output's SHA-256, as a journal beside the
outputs, and removes it once its report and record are written.

Whoever takes the folder's lock next (a run or an erasure) settles a journal left
behind: the outputs whose file is the one the journal names were published, so the
report is written for them (the previous report's entries stay for the others, which
were not replaced) and the run's record is appended; a journal none of whose outputs
was published is dropped. No value is in a journal: it is the report.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from anonymise.config import PipelineConfig
from anonymise.io.atomic import replace_text
from anonymise.io.json_file import read_json_object
from anonymise.records.build import file_sha256, record_from_report
from anonymise.records.chain import append_record
from anonymise.records.settings import log_path_of
from anonymise.run_report import write_report

JOURNAL_PREFIX: Final = ".anonymise-publishing-"

logger = logging.getLogger("anonymise.publishing")


def journal_path(out: Path, run_id: str) -> Path:
    return out / f"{JOURNAL_PREFIX}{run_id}.json"


def write_journal(
    out: Path, report: dict[str, Any], pending: Sequence[str]
) -> tuple[Path, dict[str, Any]]:
    """Write the run's report as its journal, before anything is renamed, with each
    input's ``output_sha256``: its pending file's (``pending``, in the report's input
    order). The journal's path, and the report with those digests (its record takes
    them rather than reading each output again)."""
    inputs = [
        {**entry, "output_sha256": file_sha256(path)}
        for entry, path in zip(report.get("inputs", []), pending, strict=True)
    ]
    hashed = {**report, "inputs": inputs}
    path = journal_path(out, str(report["run_id"]))
    replace_text(path, json.dumps(hashed, indent=2, ensure_ascii=False) + "\n", private=False)
    return path, hashed


def settle_journals(out: Path, config: PipelineConfig, *, by: str) -> int:
    """Settle every journal a killed run left in ``out`` (see above), under its lock;
    ``by`` says who found it, for the log. How many had published outputs."""
    settled = 0
    for journal in sorted(out.glob(f"{JOURNAL_PREFIX}*.json")):
        report = read_json_object(journal)
        published = _published_part(report) if report is not None else None
        if published is not None:
            settled += 1
            write_report(published, out)
            if config.records.enabled:
                record = record_from_report(published, config, status="succeeded", error=None)
                append_record(log_path_of(config), record)
        logger.warning(
            "a run killed while it published into %s left its journal (%s); %s found it: %s",
            out,
            journal.name,
            by,
            "its report and record are now written for the outputs it had published"
            if published is not None
            else "none of its outputs had been published, and nothing was recorded",
        )
        journal.unlink(missing_ok=True)
    return settled


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


def _total(counts: object) -> int:
    return sum(int(n) for n in counts.values()) if isinstance(counts, dict) else 0
