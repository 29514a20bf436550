"""k-anonymity of an output over its quasi-identifiers, and the rows of groups that are
too small, suppressed on request.

Quasi-identifiers are columns that are not identifying alone but single a person out
together (an age band, an outward postcode, a gender, a job title). After the plan's
transforms every row belongs to a group of rows with the same values in them; a group of
fewer than ``k`` rows is a handful of people someone could recognise. The output
written in the work folder is measured (so a run in batches is measured whole), and
with ``suppress`` rewritten without those rows before anything is published. Only
counts are reported: the groups' values are the data.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polars as pl

from anonymise.config import KAnonymityConfig
from anonymise.errors import OutputError

_SIZE = "__group_rows"
_KEY = "__quasi_identifier_"


@dataclass(frozen=True)
class KAnonymity:
    """What the measure found (counts only) and how many rows were suppressed."""

    k: int
    quasi_identifiers: tuple[str, ...]
    missing: tuple[str, ...]  # declared but not in this output
    groups: int
    smallest_group: int
    groups_below_k: int
    rows_below_k: int
    suppressed: int

    def as_dict(self) -> dict[str, Any]:
        entry = asdict(self)
        entry["quasi_identifiers"] = list(self.quasi_identifiers)
        entry["missing"] = list(self.missing)
        return entry


def k_anonymity(
    pending: Path, fmt: str, spec: KAnonymityConfig, *, compression_level: int
) -> KAnonymity:
    """Measure ``pending`` (the output in the work folder) over the quasi-identifiers it
    holds, and with ``spec.suppress`` rewrite it without the rows of groups smaller than
    ``spec.k``."""
    schema = _scan(pending, fmt).collect_schema()
    written = {c: _as_written(c, schema.names()) for c in spec.quasi_identifiers}
    present = tuple(c for c, name in written.items() if name is not None)
    missing = tuple(c for c, name in written.items() if name is None)
    if not present:
        return KAnonymity(spec.k, (), missing, 0, 0, 0, 0, 0)
    # one key a quasi-identifier, its blank text and null one value
    keys = [
        _blank_as_null(pl.col(str(written[c])), schema[str(written[c])]).alias(f"{_KEY}{i}")
        for i, c in enumerate(present)
    ]
    names = [f"{_KEY}{i}" for i in range(len(present))]
    sizes = _scan(pending, fmt).select(keys).group_by(names).agg(pl.len().alias(_SIZE)).collect()
    small = sizes.filter(pl.col(_SIZE) < spec.k)
    rows_below = int(small.get_column(_SIZE).sum())
    suppressed = 0
    if spec.suppress and rows_below:
        kept = (
            _scan(pending, fmt)
            .with_columns(keys)
            .join(
                small.lazy().select(names),
                on=names,
                how="anti",
                nulls_equal=True,
                maintain_order="left",
            )
            .drop(names)
        )
        _rewrite(kept, pending, fmt, compression_level)
        suppressed = rows_below
    return KAnonymity(
        k=spec.k,
        quasi_identifiers=present,
        missing=missing,
        groups=sizes.height,
        smallest_group=int(sizes.select(pl.col(_SIZE).min()).item() or 0),
        groups_below_k=small.height,
        rows_below_k=rows_below,
        suppressed=suppressed,
    )


def _as_written(name: str, columns: list[str]) -> str | None:
    """A quasi-identifier's column as the output holds it: a CSV's column named like a
    formula (``=Region``) was written with the formula guard (``'=Region``)."""
    if name in columns:
        return name
    return f"'{name}" if f"'{name}" in columns else None


def _blank_as_null(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype != pl.String:
        return column
    return pl.when(column.str.strip_chars() == "").then(None).otherwise(column)


def _scan(path: Path, fmt: str) -> pl.LazyFrame:
    if fmt == "parquet":
        return pl.scan_parquet(path)
    # the CSV the run wrote, read back as the text it is (formula guard included)
    return pl.scan_csv(path, infer_schema=False)


def _rewrite(frame: pl.LazyFrame, target: Path, fmt: str, compression_level: int) -> None:
    """``frame`` over ``target``, by a temporary file beside it and a rename."""
    partial = target.with_name(f".{target.name}.k-anonymous")
    try:
        if fmt == "parquet":
            frame.sink_parquet(partial, compression="zstd", compression_level=compression_level)
        else:
            frame.sink_csv(partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(
            f"output '{target}': cannot rewrite it without the rows of small groups "
            f"({exc.strerror})"
        ) from exc
