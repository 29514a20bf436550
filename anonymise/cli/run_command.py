"""`anonymise run`: check config, key and inputs, then run the Prefect flow."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from anonymise.cli.engine_log import known_errors_without_traceback
from anonymise.cli.errors import INTERNAL_ERROR_EXIT
from anonymise.config import load_config, local_folder, with_memory_mode
from anonymise.errors import AnonymiseError, VerificationRefused
from anonymise.key_source import configured_key
from anonymise.plan import read_plan


def run_pipeline(
    config_path: Path,
    plan: Path | None,
    inputs: list[str] | None,
    output: str | None,
    dry_run: bool,
    memory: str | None = None,
) -> None:
    """Run, printing one JSON object on stdout whatever the outcome: a scheduler reads
    a failure as it reads a success (the error's text goes to stderr as well)."""
    try:
        _run(config_path, plan, inputs, output, dry_run, memory)
    except VerificationRefused as refused:
        if refused.report is not None:
            _print_summary(refused.report)
        raise
    except AnonymiseError as failed:
        _print_failure(failed.exit_code, str(failed))
        raise
    except KeyboardInterrupt:
        _print_failure(130, f"interrupted; {RUN_AFTERMATH}")
        raise
    except Exception as failed:  # told by its type alone (its text may quote a value)
        _print_failure(
            INTERNAL_ERROR_EXIT, f"internal error ({type(failed).__name__}); {RUN_AFTERMATH}"
        )
        raise


RUN_AFTERMATH = (
    "outputs are published only once every input has passed, so none was unless it was "
    "stopped while publishing (then see the output folder and its run_report.json)"
)


def _print_failure(exit_code: int, error: str) -> None:
    sys.stdout.write(
        json.dumps({"status": "failed", "exit_code": exit_code, "error": error}) + "\n"
    )


def _run(
    config_path: Path,
    plan: Path | None,
    inputs: list[str] | None,
    output: str | None,
    dry_run: bool,
    memory: str | None,
) -> None:
    """Fail fast (exit 2) on config, key, plan or inputs before any data is read."""
    config = with_memory_mode(load_config(config_path), memory)
    if output is not None:
        local_folder(output, "--output")
    key = configured_key(config)
    reviewed = read_plan(plan) if plan is not None else None
    from anonymise.pipeline import check_before_reading
    from flows.run_flow import anonymise_run, resolve_inputs

    check_before_reading(config, resolve_inputs(config, inputs), reviewed, str(plan or ""))
    if not dry_run and config.records.enabled:
        from anonymise.records.chain import check_appendable
        from anonymise.records.settings import log_path_of

        check_appendable(log_path_of(config))  # before Prefect starts, as the flow checks
    from flows.prefect_api import check_api_reachable

    check_api_reachable()
    console = Console(stderr=True)
    console.print(f"running pipeline '{config.pipeline}' with key {key.key_id}")
    with known_errors_without_traceback():
        report = anonymise_run(
            config_path=str(config_path),
            plan_path=str(plan) if plan else None,
            inputs=list(inputs) if inputs else None,
            output_dir=output,
            dry_run=dry_run,
            memory=memory,
        )
    _print_summary(report)


def _print_summary(report: dict[str, Any]) -> None:
    """The run's outcome as one JSON object on stdout: counts and paths, never values."""
    summary = {
        "status": report["status"],
        "run_id": report["run_id"],
        "rows_in": report["rows_in"],
        "rows_out": report["rows_out"],
        "quarantined": report["quarantined"],
        "outputs": [i["output"] for i in report["inputs"]],
    }
    if report["status"] in ("refused", "dry_run"):
        summary["rows_out"] = 0  # nothing was published, as its record says
        summary["outputs"] = []
    if report["status"] == "dry_run":
        summary["would_write"] = [i["output"] for i in report["inputs"]]
        summary["rows_made"] = report["rows_out"]
    residuals = {f"{r['column']} ({r['entity']})" for i in report["inputs"] for r in i["residuals"]}
    if residuals:  # refused, or published with verify.fail_on_residual false
        summary["residuals"] = sorted(residuals)
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
