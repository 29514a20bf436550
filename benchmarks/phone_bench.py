"""Phone normalisation benchmark: ``normalise_phone`` against libphonenumber alone.

    uv run --frozen python -m benchmarks.phone_bench [--rows N] [--region GB] [--runs 3]

Times both over the ``Phone 1`` column of the cached Keap CSV (median of ``--runs``),
prints both medians and their ratio, and checks that the two give the same value in
every row. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import polars as pl

from benchmarks.run import ensure_csv, log, machine
from detectors.phone_rules import by_rule
from transforms.normalise import _clean_phone, normalise_phone, normalise_phone_reference

COLUMN = "Phone 1"


def median_seconds(name: str, runs: int, run: Callable[[], pl.Series]) -> tuple[float, pl.Series]:
    """The median wall time of ``run`` over ``runs`` calls, and its last answer."""
    timings = []
    out = pl.Series()
    for i in range(runs):
        started = time.perf_counter()
        out = run()
        timings.append(time.perf_counter() - started)
        log(f"{name} {i + 1}/{runs}: {timings[-1]:.3f}s")
    return statistics.median(timings), out


def column_profile(column: pl.Series, region: str) -> str:
    """Rows, filled cells, distinct raw and cleaned values, and how many distinct
    cleaned values the Polars rules leave to libphonenumber."""
    cleaned = column.to_frame("value").select(_clean_phone(pl.col("value"))).to_series()
    distinct = cleaned.drop_nulls().unique()
    left = by_rule(distinct, region).filter(~pl.col("ruled")).height
    return (
        f"{column.len():,} rows, {column.len() - column.null_count():,} filled, "
        f"{column.n_unique():,} distinct raw, {distinct.len():,} distinct cleaned, "
        f"{left:,} of them left to libphonenumber"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--region", default="GB")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    path = ensure_csv(args.rows)
    frame = pl.read_csv(path, infer_schema=False, columns=[COLUMN])
    info = machine()
    print(f"{path.name}, column {COLUMN!r}, default region {args.region}")
    print(f"{info['nproc']} CPUs ({info['CPU']}), polars {info['polars']}")
    print(column_profile(frame.get_column(COLUMN), args.region))

    def new() -> pl.Series:
        return frame.select(normalise_phone(pl.col(COLUMN), default_region=args.region)).to_series()

    def reference() -> pl.Series:
        expr = normalise_phone_reference(pl.col(COLUMN), default_region=args.region)
        return frame.select(expr).to_series()

    reference_s, reference_out = median_seconds("libphonenumber", args.runs, reference)
    new_s, new_out = median_seconds("normalise_phone", args.runs, new)
    runs = f"median of {args.runs}"
    print(f"libphonenumber per distinct value (reference): {reference_s:.3f} s ({runs})")
    print(f"normalise_phone (Polars rules + fallback):     {new_s:.3f} s ({runs})")
    print(f"ratio reference / new: {reference_s / new_s:.1f}x")
    same = new_out.equals(reference_out, check_names=False, null_equal=True)
    differing = (new_out.ne_missing(reference_out)).sum()
    print(f"outputs identical in every row: {same} ({differing} rows differ)")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
