"""`anonymise log verify`: check the processing log's hash chain.

Exit 0 when the chain is intact (prints the record count and last hash, worth writing
down: it is what proves later that no record was cut from the end), 1 naming the first
edited, removed or reordered record, 2 when the log or config cannot be read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from anonymise.cli.errors import guarded
from anonymise.records.settings import DEFAULT_LOG

log_app = typer.Typer(
    help="The processing-activity log (GDPR Art. 30): check its hash chain.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

LogOption = Annotated[
    Path | None,
    typer.Option("--log", help=f"the log (default: the config's records.log, else {DEFAULT_LOG})"),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="pipeline config naming the log")
]


def log_verify(log: Path, *, expect_last: str | None = None) -> int:
    """Check ``log``'s chain, print the outcome, return the exit code (0 intact, 1 not)."""
    from anonymise.records.verify import verify_chain

    check = verify_chain(log)
    if check.broken is not None:
        print(f"{log}: chain broken at {check.broken.describe()}", file=sys.stderr)
        return 1
    if expect_last is not None and check.last_hash != expect_last:
        print(
            f"{log}: chain intact but its last hash is {check.last_hash}, not {expect_last}: "
            "records were cut from the end or appended since",
            file=sys.stderr,
        )
        return 1
    print(f"{log}: {check.count} records, chain intact; last hash {check.last_hash}")
    if _lacks_line_end(log):
        # a whole last record whose line end was not written: the next append is refused
        print(
            f"{log}: its last record lacks its line end (an interrupted write); add one "
            f"(`echo >> {log}`) before the next run, erasure or list change appends to it",
            file=sys.stderr,
        )
        return 1
    return 0


def _lacks_line_end(log: Path) -> bool:
    with open(log, "rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return False
        handle.seek(-1, 2)
        return handle.read(1) != b"\n"


def resolve_log(log: Path | None, config: Path | None) -> Path:
    """``--log`` wins; else the config's ``records.log``; else the default path."""
    if log is not None:
        return log
    if config is not None:
        from anonymise.config import load_config
        from anonymise.records.settings import log_path_of

        return log_path_of(load_config(config))
    return Path(DEFAULT_LOG)


@log_app.command("verify")
def verify(
    log: LogOption = None,
    config: ConfigOption = None,
    expect_last: Annotated[
        str | None,
        typer.Option("--expect-last", help="fail unless the last record has this hash"),
    ] = None,
) -> None:
    """Check the hash chain; name the first edited, removed or reordered record."""
    code = guarded(lambda: log_verify(resolve_log(log, config), expect_last=expect_last))
    raise typer.Exit(code)
