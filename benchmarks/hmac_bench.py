"""Benchmark of the HMAC backends behind pseudonymise.

    uv run python -m benchmarks.hmac_bench [rows] [distinct]

1M rows holding ~800k distinct e-mails; median of 3 runs per backend (wall and CPU),
the full pseudonymise expression (normalise, HMAC, token) and the bare HMAC. The
native backend is measured where it was built and the processor has SHA extensions.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np
import polars as pl

from transforms import hmac_native
from transforms.keyed_hash import Backend, hmac_sha256_hex
from transforms.pseudonymise import pseudonymise

KEY = bytes(range(32))
BACKENDS: tuple[Backend, ...] = (
    ("native", "polars_hash", "python") if hmac_native.AVAILABLE else ("polars_hash", "python")
)


def emails(rows: int, distinct: int) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    repeats = rng.integers(0, distinct, rows - distinct)
    order = rng.permutation(rows)
    ids = np.concatenate([np.arange(distinct), repeats])[order]
    frame = pl.DataFrame({"i": ids})
    return frame.select(
        email=pl.format("First.Last{}@Example{}.com", pl.col("i"), pl.col("i") % 97)
    )


def median_seconds(frame: pl.DataFrame, expr: pl.Expr, runs: int = 3) -> str:
    """Wall and CPU seconds, medians of ``runs``."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        frame.select(expr)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return f"{statistics.median(wall):6.2f} s ({statistics.median(cpu):5.2f} s CPU)"


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    distinct = int(sys.argv[2]) if len(sys.argv) > 2 else 800_000
    frame = emails(rows, distinct)
    print(f"{frame.height} rows, {frame['email'].n_unique()} distinct e-mails")
    outputs = {}
    for backend in BACKENDS:
        full = pseudonymise(pl.col("email"), key=KEY, entity="EMAIL_ADDRESS", backend=backend)
        bare = hmac_sha256_hex(pl.col("email"), sub_key=KEY, backend=backend)
        outputs[backend] = frame.select(full).to_series()
        print(
            f"{backend:12s} pseudonymise {median_seconds(frame, full)}   "
            f"hmac only {median_seconds(frame, bare)}"
        )
    first = outputs[BACKENDS[0]]
    same = all(first.equals(tokens) for tokens in outputs.values())
    print(f"all backends give the same tokens: {same}")


if __name__ == "__main__":
    main()
