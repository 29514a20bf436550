"""Write cleaned datasets atomically: a temporary file beside the target, then rename.

CSV output is guarded against spreadsheet formula injection: a text cell starting
with `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import polars as pl

from anonymise.errors import ConfigError, OutputError
from anonymise.io.atomic import replacing

FORMULA_START = r"^[=+\-@\t\r]"
# -5.00, -1,234.56, and as European exports write them, -12,50, -1.234,56 and
# -1 234,56 (a space or a no-break space between the thousands): digits,
# separators and a sign run nothing
_PLAIN_NUMBER = (
    r"^[+-]?(?:(?:\d{1,3}(?:[,. \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$"
)

OutputFormat = Literal["parquet", "csv"]


def guard_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells, and column names, that a spreadsheet would run as a formula
    (a CRM's custom field is named by its users). A plain number (``-5.00``, ``-12,50``,
    ``-1.234,56``) is left as it is: a spreadsheet reads it as the number it is."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    guarded = frame.with_columns(
        pl.when(pl.col(c).str.contains(FORMULA_START) & ~pl.col(c).str.contains(_PLAIN_NUMBER))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )
    names = {c: f"'{c}" for c in frame.columns if re.match(FORMULA_START, c)}
    if names and not set(names.values()) & set(frame.columns):
        guarded = guarded.rename(names)
    return guarded


def write_frame(
    frame: pl.DataFrame, target: Path, fmt: OutputFormat, *, compression_level: int = 1
) -> Path:
    """Write to a temporary file and rename it over ``target``; a failure leaves no file.
    Parquet is zstd-compressed at ``compression_level``."""
    if fmt == "csv":
        _refuse_what_csv_cannot_hold(frame, target)
    try:
        with replacing(target, private=False) as handle:
            if fmt == "parquet":
                frame.write_parquet(handle, compression="zstd", compression_level=compression_level)
            else:
                guard_formulas(frame).write_csv(handle)
    except OSError as exc:
        raise OutputError(f"output '{target}': cannot write it ({exc.strerror})") from exc
    return target


def _refuse_what_csv_cannot_hold(frame: pl.DataFrame, target: Path) -> None:
    """Polars writes no binary column to CSV (an opaque ComputeError at the write)."""
    for name, dtype in frame.schema.items():
        if dtype == pl.Binary:
            raise ConfigError(
                f"output '{target}': column '{name}' holds binary data, which a CSV file "
                f"cannot hold; drop it (columns: {{'{name}': {{action: drop}}}}) or write "
                "Parquet (output.format: parquet)"
            )


def check_output_names(sources: Sequence[str], fmt: OutputFormat) -> None:
    """Refuse inputs that would be published under one name (``data/a/contacts.csv`` and
    ``data/b/contacts.csv``, or ``good.csv`` and ``good.json``): the last would replace
    the others. Names differing only in case count as one, as they do on macOS and
    Windows."""
    seen: dict[str, str] = {}
    for source in sources:
        name = output_name(source, fmt)
        first = seen.setdefault(name.casefold(), source)
        if first != source:
            raise ConfigError(
                f"inputs '{first}' and '{source}' would both be written to '{name}'; "
                "rename one of them, or run them in separate pipelines"
            )


def output_name(source: str, fmt: OutputFormat) -> str:
    """`data/keap_contacts.csv.gz` -> `keap_contacts.parquet`."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".gz", ".zip"):
        if name.lower().endswith(suffix):  # Export.CSV.GZ too
            name = name[: -len(suffix)]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{fmt}"
