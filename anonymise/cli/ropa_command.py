"""`anonymise ropa`: render the records of processing activities (GDPR Art. 30).

One entry per activity (pipeline) from the configs' static metadata and the logs'
records. Exit 0 done; 1 with ``--strict`` when a required field is missing or a log's
chain is broken (the output is still written, so you can see what is missing);
2 bad usage or an unreadable config or log.
"""

from __future__ import annotations

import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from anonymise.cli.errors import guarded
from anonymise.errors import OutputError
from anonymise.records.render import Format, render_ropa
from anonymise.records.settings import DEFAULT_LOG

__all__ = ["RopaFormat", "render_ropa", "ropa", "ropa_output"]


class RopaFormat(StrEnum):
    """The formats `--format` takes."""

    MD = "md"
    CSV = "csv"
    HTML = "html"
    JSON = "json"


def ropa(
    config: Annotated[
        list[Path] | None,
        typer.Option("--config", "-c", help="pipeline config (repeat for several activities)"),
    ] = None,
    log: Annotated[
        list[Path] | None,
        typer.Option("--log", help="processing log (repeat; default: each config's records.log)"),
    ] = None,
    fmt: Annotated[RopaFormat, typer.Option("--format", "-f", help="output format")] = (
        RopaFormat.MD
    ),
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write here, not stdout")] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="exit 1 if a required field is missing or a chain broken"),
    ] = False,
) -> None:
    """Render the records of processing activities (Art. 30) from configs and logs."""
    code = guarded(lambda: ropa_output(config or [], log or [], fmt.value, out, strict=strict))
    raise typer.Exit(code)


def ropa_output(
    configs: list[Path], logs: list[Path], fmt: str, out: Path | None, *, strict: bool
) -> int:
    """Build, render and write the entries; return the exit code."""
    from anonymise.config import load_config
    from anonymise.records.chain import read_records
    from anonymise.records.ropa import INTACT, OTHER_LOGS, build_ropa
    from anonymise.records.settings import log_path_of
    from anonymise.records.verify import verify_chain

    loaded: list[Any] = [load_config(path) for path in configs]
    paths = logs or [log_path_of(c) for c in loaded] or [Path(DEFAULT_LOG)]
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    state_of: dict[Path, str] = {}
    logs_of: dict[str, dict[Path, None]] = {}  # pipeline -> the logs holding its records
    for path in dict.fromkeys(paths):
        if not path.exists():
            state_of[path] = f"no processing log at {path}: nothing recorded, or it was removed"
            if logs:
                problems.append(f"{path}: no such log")
            continue  # an activity that has not run yet has no log
        check = verify_chain(path)
        state_of[path] = INTACT
        if check.broken is not None:
            problem = f"{path}: chain broken at {check.broken.describe()}"
            problems.append(problem)
            state_of[path] = (
                f"CHAIN BROKEN ({problem}): these figures cannot be trusted; run "
                "`anonymise log verify`"
            )
        read = read_records(path)
        records += read
        for record in read:
            logs_of.setdefault(str(record.get("pipeline") or ""), {})[path] = None
    # each pipeline's entry tells of its own config's log, unless a broken log holds
    # records of it too (its figures are pooled); one found in the logs only, of the
    # logs read
    overall = next((s for s in state_of.values() if _broken(s)), INTACT)

    def state(pipeline: str, own: Path) -> str:
        broken = [state_of[p] for p in logs_of.get(pipeline, {}) if _broken(state_of[p])]
        own_state = state_of.get(own, overall)
        return own_state if _broken(own_state) or not broken else broken[0]

    integrity = {str(c.pipeline): state(str(c.pipeline), log_path_of(c)) for c in loaded}
    integrity[OTHER_LOGS] = overall
    entries = build_ropa(loaded, records, log_integrity=integrity)
    text = render_ropa(entries, cast(Format, fmt))
    if out is None:
        sys.stdout.write(text)
    else:
        _write_atomically(out, text)
    problems += [
        f"activity '{e.activity}': missing {', '.join(e.missing)}" for e in entries if e.missing
    ]
    for problem in problems:
        print(f"anonymise: warning: {problem}", file=sys.stderr)
    return 1 if strict and problems else 0


def _broken(state: str) -> bool:
    return state.startswith("CHAIN BROKEN")


def _write_atomically(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"ropa output '{target}': cannot write it ({exc.strerror})") from exc
