"""`anonymise decrypt FILE --config C --out OUT [--column COL ...]`: the key holder's way
back from `encrypt` (re-identification).

Writes a decrypted copy (CSV or Parquet, by OUT's suffix; a new file, readable by its
owner only; CSV cells a spreadsheet would run as a formula get a leading ', as in every
CSV the tool writes) and appends a processing record of it. Prints counts and paths,
never a value.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from anonymise.cli.errors import guarded


def decrypt(
    file: Annotated[str, typer.Argument(help="an output of the pipeline (CSV or Parquet)")],
    config: Annotated[Path, typer.Option("--config", "-c", help="pipeline config: its key")],
    out: Annotated[
        Path, typer.Option("--out", help="the decrypted copy to write (.csv or .parquet)")
    ],
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="a column to decrypt (default: every encrypted one)"),
    ] = None,
) -> None:
    """Decrypt the columns `encrypt` wrote, into a new file (re-identification; recorded)."""
    guarded(lambda: _decrypt(file, config, out, column), aftermath="nothing was written")


def _decrypt(file: str, config_path: Path, out: Path, columns: list[str] | None) -> None:
    from anonymise.config import load_config
    from anonymise.decryption import decrypt_columns, encrypted_columns
    from anonymise.errors import AnonymiseError, OutputError, UsageError
    from anonymise.io.readers import read_table
    from anonymise.io.writers import guard_formulas
    from anonymise.key_source import configured_key
    from anonymise.records import append_record, decryption_record
    from anonymise.records.chain import check_appendable
    from anonymise.records.settings import log_path_of

    started = datetime.now(UTC).isoformat(timespec="seconds")
    config = load_config(config_path)
    key = configured_key(config)
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise UsageError(f"--out '{out}': name a .csv or .parquet file")
    if os.path.lexists(out):  # a file, a published output, or a link to one
        raise _exists(out)  # said before any work; the exclusive create below decides
    if config.records.enabled:
        check_appendable(log_path_of(config))  # re-identification is never unrecorded
    else:
        print(
            "anonymise: warning: records.enabled is false, so this decryption is not recorded",
            file=sys.stderr,
        )
    frame = read_table(file).frame
    chosen = list(columns) if columns else encrypted_columns(frame)
    if not chosen:
        raise UsageError(f"'{file}': no column holds encrypted values only; name one with --column")
    plain = decrypt_columns(frame, chosen, key=key.material, source=file)
    try:
        # created here, owner-only, and never over a file made meanwhile
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise _exists(out) from None
    except OSError as exc:
        raise OutputError(f"--out '{out}': cannot write it ({exc.strerror})") from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if out.suffix.lower() == ".csv":
                guard_formulas(plain).write_csv(handle)  # as every CSV it writes
            else:
                plain.write_parquet(handle)
    except BaseException as exc:
        out.unlink(missing_ok=True)  # no half-written plain copy
        if isinstance(exc, OSError):
            raise OutputError(f"--out '{out}': cannot write it ({exc.strerror})") from exc
        raise
    if config.records.enabled:
        entry = decryption_record(
            config=config,
            started_at=started,
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            key_id=key.key_id,
            source=file,
            output=str(out),
            columns=chosen,
            rows=plain.height,
        )
        try:
            append_record(log_path_of(config), entry)
        except AnonymiseError as exc:
            raise OutputError(f"'{out}' was written, but its record was not: {exc}") from exc
    print(
        f"decrypted {len(chosen)} column(s) ({', '.join(chosen)}) of {plain.height} row(s) "
        f"of {file} into {out}"
    )


def _exists(out: Path) -> Exception:
    from anonymise.errors import UsageError

    return UsageError(
        f"--out '{out}': exists; name a new file (a decrypted copy never replaces one)"
    )
