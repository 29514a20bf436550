"""The `anonymise` command: scan, run, erase, blocklist, log, ropa, serve.

Imports of the engine happen inside each command, so `--help` is instant and `scan`
never pays for Prefect.
"""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path
from typing import Annotated

import typer

from anonymise.cli.blocklist_command import blocklist_app
from anonymise.cli.decrypt_command import decrypt
from anonymise.cli.erase_command import erase
from anonymise.cli.errors import guarded
from anonymise.cli.log_command import log_app
from anonymise.cli.ropa_command import ropa

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's temporary local server takes ~10 s to start here, more on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# The engine's own log lines (value-free by rule: files, columns, counts, reasons) go to
# a run's log, as Prefect's do: why an input is read whole, what a killed run left.
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "anonymise")
# Outside a flow (an erasure, the checks before a run) they are not the API's to keep.
os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
logging.getLogger("anonymise").setLevel(logging.INFO)

app = typer.Typer(
    name="anonymise",
    help="Anonymise CRM contact exports: detect, pseudonymise, suppress, erase, log.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(blocklist_app, name="blocklist")
app.command("erase")(erase)
app.command("decrypt")(decrypt)
app.add_typer(log_app, name="log")
app.command()(ropa)


@app.callback()
def _root() -> None:
    """Anonymise CRM contact exports."""
    stop_on_sigterm()


@app.command()
def scan(
    inputs: Annotated[list[str], typer.Argument(help="files, globs or fsspec URLs")],
    config: Annotated[Path | None, typer.Option("--config", "-c", help="pipeline config")] = None,
    plan_out: Annotated[Path | None, typer.Option("--plan-out", help="write the plan here")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    memory: Annotated[
        str | None,
        typer.Option("--memory", help="override memory.mode: auto, whole or batched"),
    ] = None,
) -> None:
    """Detect personal data per column, print the table and write a plan."""
    from anonymise.cli.scan_command import run_scan

    guarded(lambda: run_scan(inputs, config, plan_out, as_json, memory))


@app.command()
def run(
    config: Annotated[Path, typer.Argument(help="pipeline config (YAML)")],
    plan: Annotated[Path | None, typer.Option("--plan", help="apply this reviewed plan")] = None,
    inputs: Annotated[
        list[str] | None, typer.Option("--input", help="override the config's sources")
    ] = None,
    output: Annotated[str | None, typer.Option("--output", help="override output.dir")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="do everything but publish")] = False,
    memory: Annotated[
        str | None,
        typer.Option("--memory", help="override memory.mode: auto, whole or batched"),
    ] = None,
) -> None:
    """Run the pipeline as a Prefect flow: pull, plan, transform, verify, write."""
    from anonymise.cli.run_command import RUN_AFTERMATH, run_pipeline

    guarded(
        lambda: run_pipeline(config, plan, inputs, output, dry_run, memory),
        aftermath=RUN_AFTERMATH,
    )


@app.command()
def serve(
    configs: Annotated[list[Path], typer.Argument(help="pipeline configs with a schedule")],
) -> None:
    """Serve each pipeline as a Prefect deployment on its config's cron schedule."""
    from flows.serve import serve_pipelines

    guarded(lambda: serve_pipelines(configs))


def main() -> None:
    """Entry point for `python -m anonymise`."""
    app()


def stop_on_sigterm() -> None:
    """SIGTERM (``kill``, ``docker stop``, systemd) stops a command as Ctrl-C does: the
    command says it was interrupted and what that left, and Python's exit handlers run.
    With SIGTERM's default, the process died at once, and the temporary Prefect server a
    run starts (stopped by an exit handler) was left running, holding its port. A flow
    run puts Prefect's own handler in place while it runs."""

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
