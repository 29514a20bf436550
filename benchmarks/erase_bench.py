"""Erasure benchmark: 1,000 people out of a 1M-row pseudonymised Parquet output.

    uv run python -m benchmarks.erase_bench [--rows N] [--people N] [--repeat N]

(a) the floor: read the Parquet and write it once (zstd); (b) `erase` of the people,
on a fresh copy each time, through the engine (requests file, config, run report).
Prints both, the ratio (target < 3x), and writes benchmarks/RESULTS_ERASE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from anonymise.config import load_config
from anonymise.erasure.engine import erase
from anonymise.erasure.requests import read_requests
from anonymise.keys import SecretKey
from transforms.registry import ActionContext, apply_action

RESULTS = Path(__file__).with_name("RESULTS_ERASE.md")  # run.py owns RESULTS.md
KEY_TEXT = "hex:" + "5a" * 32


def build_output(path: Path, rows: int, key: SecretKey) -> None:
    index = pl.int_range(0, rows, eager=True).cast(pl.String)
    frame = pl.DataFrame(
        {
            "Id": index,
            "First Name": "first" + index,
            "Last Name": "last" + index,
            "Email": "user" + index + "@example.com",
            "City": pl.Series(["Leeds", "York", "Bath", "Hull"] * (rows // 4 + 1))[:rows],
            "Tags": "tag" + (pl.int_range(0, rows, eager=True) % 17).cast(pl.String),
            "Date Created": pl.Series(["2024-05-01 10:00:00"] * rows),
        }
    )
    pseudonymised = frame.with_columns(
        apply_action(
            "pseudonymise",
            pl.col(name),
            ActionContext(key=key.material, entity=entity, column=name),
        )
        for name, entity in (("Email", "EMAIL_ADDRESS"), ("Id", "CRM_ID"))
    )
    pseudonymised.write_parquet(path, compression="zstd")
    columns = [
        {"name": "Id", "entity": "CRM_ID", "action": "pseudonymise", "params": {}},
        {"name": "Email", "entity": "EMAIL_ADDRESS", "action": "pseudonymise", "params": {}},
    ]
    report = {"key_id": key.key_id, "inputs": [{"output": str(path), "columns": columns}]}
    (path.parent / "run_report.json").write_text(json.dumps(report), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["ANONYMISE_KEY"] = KEY_TEXT
    key = SecretKey(bytes.fromhex("5a" * 32))
    with tempfile.TemporaryDirectory(prefix="erase-bench-") as work:
        root = Path(work)
        pristine = root / "pristine.parquet"
        out_dir = root / "out"
        out_dir.mkdir()
        target = out_dir / "keap_contacts.parquet"
        build_output(pristine, args.rows, key)
        shutil.move(pristine.parent / "run_report.json", out_dir / "run_report.json")
        report = json.loads((out_dir / "run_report.json").read_text())
        report["inputs"][0]["output"] = str(target)
        (out_dir / "run_report.json").write_text(json.dumps(report))
        config_path = root / "pipeline.yaml"
        config_path.write_text("pipeline: bench\noutput:\n  dir: out\n", encoding="utf-8")
        step = max(args.rows // args.people, 1)
        people = [i * step for i in range(args.people)]
        requests = root / "requests.csv"
        requests.write_text(
            "request_id,email,phone,crm_id,received_at\n"
            + "".join(f"R{i},user{i}@example.com,,,2025-01-31\n" for i in people),
            encoding="utf-8",
        )

        floor, engine = [], []
        removed = 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            pl.read_parquet(pristine).write_parquet(root / "copy.parquet", compression="zstd")
            floor.append(time.perf_counter() - started)

            shutil.copyfile(pristine, target)
            for leftover in (root / "suppression", root / "receipts"):
                shutil.rmtree(leftover, ignore_errors=True)
            started = time.perf_counter()
            config = load_config(config_path)
            outcome = erase(config, read_requests(requests), key=key)
            engine.append(time.perf_counter() - started)
            removed = sum(o.rows_removed_total for o in outcome.requests)

    floor_median, engine_median = statistics.median(floor), statistics.median(engine)
    ratio = engine_median / floor_median
    print(f"floor (read + write Parquet): {floor_median:.2f} s")
    print(f"erase {args.people} people:   {engine_median:.2f} s ({removed} rows removed)")
    print(f"ratio: {ratio:.2f} (target < 3)")
    section = (
        f"\n## Erasure: {args.people:,} people from a {args.rows:,}-row Parquet output\n\n"
        f"Command: `uv run python -m benchmarks.erase_bench --rows {args.rows} --people "
        f"{args.people} --repeat {args.repeat}` (median of {args.repeat}, wall time; "
        f"{datetime.now(UTC).isoformat(timespec='seconds')}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, polars {pl.__version__})\n\n"
        "| measure | median | target |\n|---|---|---|\n"
        f"| floor: read_parquet + write_parquet zstd | {floor_median:.2f} s |  |\n"
        f"| erase (search, suppression list, rewrite, receipts) | {engine_median:.2f} s |  |\n"
        f"| rows removed | {removed:,} |  |\n"
        f"| ratio erase / floor | {ratio:.2f} | < 3.0 |\n\n"
        "Raw timings (s): floor: "
        + ", ".join(f"{t:.2f}" for t in floor)
        + "; erase: "
        + ", ".join(f"{t:.2f}" for t in engine)
        + "\n"
    )
    RESULTS.write_text(section, encoding="utf-8")


if __name__ == "__main__":
    main()
