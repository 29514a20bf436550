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
    columns = _scan(pending, fmt).collect_schema().names()
    present = tuple(c for c in spec.quasi_identifiers if c in columns)
    missing = tuple(c for c in spec.quasi_identifiers if c not in columns)
    if not present:
        return KAnonymity(spec.k, (), missing, 0, 0, 0, 0, 0)
    sizes = _scan(pending, fmt).group_by(present).agg(pl.len().alias(_SIZE)).collect()
    small = sizes.filter(pl.col(_SIZE) < spec.k)
    rows_below = int(small.get_column(_SIZE).sum())
    suppressed = 0
    if spec.suppress and rows_below:
        kept = _scan(pending, fmt).join(
            small.lazy().select(present),
            on=list(present),
            how="anti",
            nulls_equal=True,
            maintain_order="left",
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
