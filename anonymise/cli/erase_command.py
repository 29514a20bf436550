"""`anonymise erase REQUESTS.csv --config C [--dry-run]`: bulk erasure (GDPR Art. 17).

Prints one table row per request (id, status, rows removed, datasets): counts and
paths only, never an identifier. Progress goes to stderr.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anonymise.cli.engine_log import engine_log_on_stderr
from anonymise.cli.errors import guarded
from anonymise.erasure.receipts import SUMMARY_NAME
from anonymise.records import append_record, erasure_record
from anonymise.records.chain import check_appendable
from anonymise.records.settings import log_path_of

if TYPE_CHECKING:
    from rich.console import Console

    from anonymise.config import PipelineConfig
    from anonymise.erasure.accounting import ErasureRun, Recorder
    from anonymise.erasure.engine import ErasureOutcome


def erase(
    requests: Annotated[
        Path, typer.Argument(help="CSV: request_id, email, phone, crm_id, received_at[, source]")
    ],
    config: Annotated[Path, typer.Option("--config", "-c", help="pipeline config")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would go; write nothing")
    ] = False,
) -> None:
    """Erase people from every raw source and past output; suppress them; write receipts."""
    from anonymise.erasure.accounting import REWRITTEN_STAY

    aftermath = "nothing was written" if dry_run else REWRITTEN_STAY
    with engine_log_on_stderr():
        guarded(lambda: run_erase(requests, config, dry_run), aftermath=aftermath)


def run_erase(requests_path: Path, config_path: Path, dry_run: bool) -> ErasureOutcome:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    from anonymise.config import load_config
    from anonymise.erasure.engine import erase as erase_requests
    from anonymise.erasure.requests import read_requests
    from anonymise.key_source import configured_key

    config = load_config(config_path)
    requests = read_requests(requests_path)
    key = configured_key(config)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(f"{step} datasets", total=total)
            bar.update(tasks[step], completed=done)

        if not dry_run and config.records.enabled:
            check_appendable(log_path_of(config))  # before anything is erased, not after
        outcome = erase_requests(
            config,
            requests,
            key=key,
            dry_run=dry_run,
            progress=progress,
            record=_recorder(config) if config.records.enabled else None,
        )
    show_outcome(outcome, Console())
    return outcome


def _recorder(config: PipelineConfig) -> Recorder:
    """Append an erasure's Art. 30 record: counts and paths, no identifier."""

    def record(run: ErasureRun) -> None:
        entry = erasure_record(
            config=config,
            run_id=run.erasure_id,
            started_at=run.started_at,
            finished_at=run.finished_at,
            key_id=run.key_id,
            datasets_searched=run.datasets_searched,
            rows_removed=run.rows_removed,
            requests_by_status=run.requests_by_status,
            rows_to_check=run.rows_to_check,
            status="failed" if run.error else "succeeded",
            error=run.error,
        )
        append_record(log_path_of(config), entry)

    return record


_ROWS_SHOWN = 50  # a table of 20,000 rows took rich 30 s to draw


def show_outcome(outcome: ErasureOutcome, console: Console) -> None:
    from rich.table import Table

    title = "erasure (dry run: nothing written)" if outcome.dry_run else "erasure"
    table = Table("request", "status", "rows removed", "datasets", title=title)
    for item in outcome.requests[:_ROWS_SHOWN]:
        status: str = item.status
        if outcome.dry_run and status == "erased":
            status = "would be erased"
        datasets = ", ".join(f"{path} ({rows})" for path, rows in item.rows_removed.items())
        # malformed rows with its CRM id, left for a look by hand
        checks = [
            f"check {path} line(s) {', '.join(map(str, lines))} by hand"
            for path, lines in item.to_check.items()
        ]
        datasets = ", ".join([datasets, *checks] if datasets else checks)
        rows = str(item.rows_removed_total)
        table.add_row(item.request.request_id, status, rows, datasets or "-")
    console.print(table)
    hidden = len(outcome.requests) - _ROWS_SHOWN
    if hidden > 0:
        statuses = Counter(item.status for item in outcome.requests)
        by_status = ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
        where = "" if outcome.dry_run else f" ({SUMMARY_NAME} lists every one)"
        console.print(f"and {hidden} more request(s){where}; in all: {by_status}")
    console.print(
        f"{len(outcome.requests)} request(s), {len(outcome.datasets_searched)} dataset(s) searched"
        + ("" if outcome.dry_run else f"; receipts in {outcome.receipts_dir}")
    )
