"""`anonymise scan`: wiring between the command line and the scan use case."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

from anonymise.cli.scan_view import as_json, render_table
from anonymise.config import default_config, load_config, with_memory_mode
from anonymise.io.inputs import expand_inputs
from anonymise.plan import write_plan
from anonymise.scanning import InputSpec, scan


def run_scan(
    inputs: list[str],
    config_path: Path | None,
    plan_out: Path | None,
    json_out: bool,
    memory: str | None = None,
) -> None:
    """Scan the inputs; print a table (or JSON) and write the plan when asked.
    ``memory``: ``memory.mode`` for this scan (``--memory``)."""
    config = with_memory_mode(load_config(config_path) if config_path else default_config(), memory)
    sources = expand_inputs(inputs)
    errors = Console(stderr=True)
    rules = config.columns
    specs = [InputSpec(source=s, rules=rules, strict=len(sources) == 1) for s in sources]
    with errors.status("scanning") as status:
        outcome = scan(specs, config, progress=lambda msg: status.update(msg))
    if plan_out is not None:
        write_plan(outcome.plan, plan_out)
    if json_out:
        sys.stdout.write(as_json(outcome, str(plan_out) if plan_out else None) + "\n")
        return
    console = Console()
    render_table(outcome, console)
    if plan_out is not None:
        console.print(
            f"plan written to {plan_out}; review it, then `anonymise run CONFIG --plan {plan_out}`"
        )
