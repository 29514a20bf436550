"""Throughput benchmark: I/O floor vs the engine (no Prefect), and `anonymise scan` start-to-end.

    make bench     (this, then benchmarks.text_bench; both with the `bench` group)
    uv run --frozen --group bench python -m benchmarks.run [--rows N] [--scan-rows N] [--repeat K]

Also: the engine with a reviewed plan, floor and engine in fresh processes (cold runs
and peak RSS, ``--fresh-pairs`` pairs, detecting and with the reviewed plan), and
presidio-structured per row on the first 2,000 rows (needs the `bench` group).

Writes the table to stdout and to benchmarks/RESULTS.md; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import multiprocessing
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import TypeVar

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
GENERATOR = ROOT / "data" / "samples" / "generate.py"
STEPS = ("stage", "plan", "transform", "publish")  # transform writes and verifies
KEY = b"k" * 32
FLOOR_TARGET = 2.5  # issue #6 (the run issue, #3, asked for 3.0)
SCAN_TARGET = 10.0
RSS_TARGET = 3.0
STRUCTURED_ROWS = 2_000

T = TypeVar("T")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("samples_generate", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def _generate(path: str, rows: int) -> None:
    load_generator().write_big_keap(Path(path), rows=rows)


def ensure_csv(rows: int) -> Path:
    """The cached CSV; generated in a spawned process so it does not inflate our peak RSS."""
    path = DATA / f"keap_{rows}.csv"
    if not path.exists():
        log(f"generating {path.name} ({rows:,} rows)")
        started = time.perf_counter()
        tmp = path.with_suffix(".csv.partial")
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            pool.submit(_generate, str(tmp), rows).result()
        tmp.replace(path)
        log(f"generated in {time.perf_counter() - started:.1f}s")
    return path


def max_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def time_floor(path: Path, level: int) -> float:
    """Polars reads the CSV (every value text) and writes it as Parquet, compressed as
    the engine compresses its output: zstd at ``level``, the engine's
    ``output.compression_level`` (``floor_level``). Polars' own default level, 3, costs
    ~8% more here and would flatter the engine."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        pl.read_csv(path, infer_schema=False).write_parquet(
            Path(tmp) / "floor.parquet", compression="zstd", compression_level=level
        )
        return time.perf_counter() - started


def floor_level() -> int:
    """The zstd level the engine writes Parquet at by default (read in the parent: the
    floor's own process imports nothing of the engine, so its memory is Polars' alone)."""
    from anonymise.config import OutputConfig

    return OutputConfig().compression_level


def time_scan(path: Path) -> tuple[float, float]:
    """Wall time of the whole CLI and the peak RSS (MiB) of its process tree."""
    command = ["uv", "run", "--frozen", "anonymise", "scan", str(path), "--json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode(errors="replace").strip()[-2000:]
            raise RuntimeError(f"scan exited {proc.returncode}: {message}")
    return elapsed, usage.ru_maxrss / 1024


def time_engine(
    path: Path, *, plan: Path | None = None, memory: str | None = None
) -> dict[str, float]:
    """One engine run without Prefect, per step. With ``plan``: a reviewed plan is loaded
    instead of detecting (how a scheduled pipeline runs once its plan is reviewed). With
    ``memory``: that memory mode instead of the default (``auto``)."""
    from anonymise import pipeline
    from anonymise.config import MemoryConfig, default_config
    from anonymise.keys import SecretKey
    from anonymise.plan import read_plan

    config = default_config("bench")
    if memory is not None:
        config = config.model_copy(update={"memory": MemoryConfig(mode=memory)})  # type: ignore[arg-type]
    times: dict[str, float] = {}

    def timed(name: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = step()
        times[name] = time.perf_counter() - started
        log(f"  {name}: {times[name]:.2f}s")
        return result

    with tempfile.TemporaryDirectory() as tmp:
        workdir, outdir = Path(tmp) / "work", Path(tmp) / "out"
        workdir.mkdir()
        staged = timed(
            "stage",
            lambda: pipeline.stage(
                str(path), workdir, workdir / "q", 0, config=config, key=SecretKey(KEY)
            ),
        )
        planned = timed(
            "plan",
            lambda: pipeline.plan_staged(
                staged, config, {}, read_plan(plan) if plan else None, str(plan or "")
            ),
        )
        out = timed(
            "transform",
            lambda: pipeline.transform(staged, planned, KEY, config, outdir, 0),
        )
        residuals = out.residuals
        timed("publish", lambda: pipeline.publish([out]))
    times["total"] = sum(times[s] for s in STEPS)
    log(f"  total: {times['total']:.2f}s, residuals: {len(residuals)}")
    return times


def write_plan(path: Path, target: Path) -> Path:
    """The plan detection makes for ``path``, written as ``anonymise scan`` would."""
    from anonymise import pipeline
    from anonymise.config import default_config
    from anonymise.keys import SecretKey
    from anonymise.plan import Plan, write_plan
    from anonymise.staging import STAGING

    config = default_config("bench")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        staged = pipeline.stage(
            str(path), workdir, workdir / "q", 0, config=config, key=SecretKey(KEY)
        )
        planned = pipeline.plan_staged(staged, config, {}, None, "")
        STAGING.discard(staged.staged)
    write_plan(Plan(pipeline="bench", inputs=(planned,)), target)
    return target


def time_structured(path: Path, rows: int, k: int) -> tuple[list[float], str | None]:
    """presidio-structured over the first ``rows`` rows, every column, with our analyzer
    (the ``bench`` group); timings, or why it could not run."""
    try:
        from presidio_anonymizer.entities import OperatorConfig
        from presidio_structured import PandasAnalysisBuilder, StructuredEngine
        from presidio_structured.data import PandasDataProcessor
    except ImportError:
        return [], "not installed: run with `uv run --frozen --group bench` (or `make bench`)"
    from anonymise.config import default_config
    from detectors.analyzer import shared_analyzer

    frame = pl.read_csv(path, infer_schema=False, n_rows=rows).fill_null("").to_pandas()
    analyzer = shared_analyzer(default_config("bench").detection)

    def structured() -> float:
        started = time.perf_counter()
        analysis = PandasAnalysisBuilder(analyzer=analyzer).generate_analysis(frame)
        operators = {
            entity: OperatorConfig("replace", {"new_value": f"<{entity}>"})
            for entity in set(analysis.entity_mapping.values())
        }
        StructuredEngine(PandasDataProcessor()).anonymize(frame, analysis, operators)
        return time.perf_counter() - started

    try:
        timings, failures = repeat("presidio-structured", k, structured)
    except Exception as exc:  # an external tool's failure is reported, not fatal
        return [], f"{type(exc).__name__}"
    return timings, failures[0] if failures else None


def _peak_rss_child(
    kind: str, path: str, plan: str | None, level: int
) -> tuple[float, float, float]:
    """(peak RSS once the modules are imported, peak RSS at the end, seconds of the run
    itself: cold, as the first run of a fresh process is, building the analyzer
    included, as ``anonymise run`` builds it)."""
    if kind == "floor":
        loaded = high_water_mib()
        seconds = time_floor(Path(path), level)
    else:
        # Imports only (what a run imports as it goes); the run builds the analyzer.
        for module in ("anonymise.pipeline", "detectors.classifier", "detectors.warm_up"):
            importlib.import_module(module)

        loaded = high_water_mib()
        memory = "batched" if kind == "batched" else None
        seconds = time_engine(Path(path), plan=Path(plan) if plan else None, memory=memory)["total"]
    return loaded, high_water_mib(), seconds


def high_water_mib() -> float:
    """This process's peak RSS since its exec (VmHWM; ru_maxrss would carry the parent's
    peak at fork into the child)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def peak_rss(kind: str, path: Path, plan: Path | None = None) -> tuple[float, float, float]:
    """Peak RSS (MiB) of one run of ``kind`` in a fresh interpreter, once loaded and in
    all, and the run's seconds."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        arguments = (kind, str(path), str(plan) if plan else None, floor_level())
        return pool.submit(_peak_rss_child, *arguments).result()


def repeat(name: str, k: int, run: Callable[[], float]) -> tuple[list[float], list[str]]:
    """Run K times; return the timings and the failures as 'Type: message'."""
    timings: list[float] = []
    failures: list[str] = []
    for i in range(k):
        log(f"{name} {i + 1}/{k}")
        try:
            timings.append(run())
            log(f"{name} {i + 1}/{k}: {timings[-1]:.2f}s")
        except Exception as exc:
            traceback.print_exc()
            failures.append(f"{type(exc).__name__}: {str(exc)[:1000]}")
    return timings, failures


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        kib = int(f.readline().split()[1])
    return {
        "nproc": str(os.cpu_count()),
        "CPU": cpu,
        "RAM": f"{kib / 1024**2:.1f} GiB",
        "Python": platform.python_version(),
        "polars": pl.__version__,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s" if values else "failed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--scan-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--fresh-pairs", type=int, default=3, help="floor/engine pairs in fresh processes"
    )
    args = parser.parse_args(argv)
    command = (
        "uv run --frozen --group bench python -m benchmarks.run "
        f"--rows {args.rows} --scan-rows {args.scan_rows} --repeat {args.repeat}"
    )

    big, small = ensure_csv(args.rows), ensure_csv(args.scan_rows)

    # Scan first: a child's ru_maxrss starts at the parent's RSS when it is spawned, so
    # spawning while this process is still small keeps the children's figure honest.
    rss_before_scan = max_rss_mib(resource.RUSAGE_SELF)
    scan_rss: list[float] = []

    def scan_once() -> float:
        elapsed, rss = time_scan(small)
        scan_rss.append(rss)
        return elapsed

    scan, scan_fail = repeat("scan", args.repeat, scan_once)
    rss_scan = max(scan_rss, default=float("nan"))

    started = time.perf_counter()
    import anonymise.pipeline  # noqa: F401  (one-off import cost, kept out of the engine runs)

    import_s = time.perf_counter() - started
    log(f"engine import: {import_s:.2f}s")

    plan = write_plan(big, DATA / f"keap_{args.rows}.plan.yaml")
    level = floor_level()
    # Floor and engine runs alternate, so a noisy neighbour slows both alike, and each
    # engine run follows a floor run: one right after another engine run would reuse
    # the memory Arrow's allocator kept from it (~0.25 s less parse), which a fresh
    # `anonymise run` never has.
    floor: list[float] = []
    floor_before_plan: list[float] = []
    engine: list[float] = []
    with_plan: list[float] = []
    floor_fail: list[str] = []
    engine_fail: list[str] = []
    engine_runs: list[dict[str, float]] = []
    plan_runs: list[dict[str, float]] = []
    for i in range(args.repeat):
        times, fails = repeat(f"floor {i + 1}", 1, lambda: time_floor(big, level))
        floor += times
        floor_fail += fails

        def engine_once(runs: list[dict[str, float]], plan: Path | None) -> float:
            runs.append(time_engine(big, plan=plan))
            return runs[-1]["total"]

        times, fails = repeat(f"engine {i + 1}", 1, lambda: engine_once(engine_runs, None))
        engine += times
        engine_fail += fails
        times, fails = repeat(f"floor {i + 1}b", 1, lambda: time_floor(big, level))
        floor_before_plan += times
        floor_fail += fails
        times, fails = repeat(f"engine+plan {i + 1}", 1, lambda: engine_once(plan_runs, plan))
        with_plan += times
        engine_fail += fails

    # presidio-structured takes ~20 s a run and is 1,000x off: three runs are plenty
    structured, structured_error = time_structured(big, STRUCTURED_ROWS, min(args.repeat, 3))

    log(f"fresh processes: {args.fresh_pairs} floor/engine pairs (cold runs, peak RSS)")
    fresh: list[tuple[tuple[float, float, float], tuple[float, float, float]]] = []
    for _ in range(max(1, args.fresh_pairs)):
        fresh.append((peak_rss("floor", big), peak_rss("engine", big)))
    log(f"fresh processes: {args.fresh_pairs} floor/engine pairs with the reviewed plan")
    fresh_plan = [
        (peak_rss("floor", big)[2], peak_rss("engine", big, plan)[2])
        for _ in range(max(1, args.fresh_pairs))
    ]
    from anonymise.config import MemoryConfig

    batch_rows = MemoryConfig().batch_rows
    log("fresh processes: 2 runs in batches (memory: batched)")
    in_batches = [peak_rss("batched", big) for _ in range(2)]
    rss_batched = max(in_batches, key=lambda run: run[1])
    batched_s = statistics.median(run[2] for run in in_batches)
    # the highest peak of each kind: memory is a limit, not an average
    rss_floor = max((f for f, _ in fresh), key=lambda run: run[1])
    rss_engine = max((e for _, e in fresh), key=lambda run: run[1])
    cold_floor = statistics.median(f[2] for f, _ in fresh)
    cold_engine = statistics.median(e[2] for _, e in fresh)
    cold_pairs = ", ".join(f"{e[2] / f[2]:.2f}" for f, e in fresh)
    cold_plan_floor = statistics.median(f for f, _ in fresh_plan)
    cold_plan_engine = statistics.median(e for _, e in fresh_plan)
    cold_plan_pairs = ", ".join(f"{e / f:.2f}" for f, e in fresh_plan)
    csv_mib = big.stat().st_size / 1024**2

    floors = floor + floor_before_plan

    def ratio(runs: list[float]) -> str:
        if not (runs and floors):
            return "n/a"
        return f"{statistics.median(runs) / statistics.median(floors):.2f}"

    def pair_ratios(runs: list[float], before: list[float]) -> str:
        """Each engine run over the floor run just before it (a round is floor,
        engine, floor, engine with a plan): the noise of a shared machine drifts, and
        neighbours in time see the same."""
        pairs = [e / f for f, e in zip(before, runs, strict=False)]
        if not pairs:
            return "n/a"
        each = ", ".join(f"{r:.2f}" for r in pairs)
        return f"{statistics.median(pairs):.2f} (pairs: {each})"

    rows: list[tuple[str, str, str]] = [
        ("CSV size (engine input)", f"{csv_mib:.1f} MiB, {args.rows:,} rows", ""),
        (
            "CSV size (scan input)",
            f"{small.stat().st_size / 1024**2:.1f} MiB, {args.scan_rows:,} rows",
            "",
        ),
        ("I/O floor (read_csv + write_parquet zstd, the engine's level)", fmt(floors), ""),
        ("engine total (no Prefect), detection", fmt(engine), ""),
        ("ratio engine / floor", ratio(engine), f"<= {FLOOR_TARGET} (#6; 3.0 in #3)"),
        ("  median ratio of floor-engine pairs", pair_ratios(engine, floor), ""),
        ("engine total (no Prefect), reviewed plan", fmt(with_plan), ""),
        (
            "ratio engine with plan / floor",
            ratio(with_plan),
            f"<= {FLOOR_TARGET} (#6; 3.0 in #3)",
        ),
        (
            "  median ratio of floor-engine pairs, reviewed plan",
            pair_ratios(with_plan, floor_before_plan),
            "",
        ),
        ("engine import (once, not in total)", f"{import_s:.2f} s", ""),
        (
            "  first run in a fresh process (cold caches), floor / engine detecting",
            f"{cold_floor:.2f} s / {cold_engine:.2f} s ({cold_engine / cold_floor:.2f}x; "
            f"pairs: {cold_pairs})",
            "",
        ),
        (
            "  first run in a fresh process, floor / engine with the reviewed plan",
            f"{cold_plan_floor:.2f} s / {cold_plan_engine:.2f} s "
            f"({cold_plan_engine / cold_plan_floor:.2f}x; pairs: {cold_plan_pairs})",
            "",
        ),
    ]
    if structured and engine:
        theirs = statistics.median(structured) / STRUCTURED_ROWS
        ours = statistics.median(engine) / args.rows
        rows += [
            (
                f"presidio-structured, first {STRUCTURED_ROWS:,} rows, all columns",
                f"{statistics.median(structured):.2f} s ({theirs * 1e6:,.0f} us/row)",
                "",
            ),
            ("engine per row (detection)", f"{ours * 1e6:.1f} us/row", ""),
            ("x faster per row than presidio-structured", f"{theirs / ours:,.0f}", ">= 100"),
        ]
    else:
        rows.append(("presidio-structured", structured_error or "failed", ""))
    for step in STEPS:
        rows.append((f"  step: {step}", fmt([r[step] for r in engine_runs]), ""))
    rows += [
        ("scan CLI (fresh process, whole command)", fmt(scan), f"< {SCAN_TARGET:.0f} s"),
        (
            "peak RSS floor (fresh process)",
            f"{rss_floor[1]:,.0f} MiB ({rss_floor[1] / csv_mib:.1f}x CSV)",
            "",
        ),
        (
            "peak RSS engine (fresh process, imports included)",
            f"{rss_engine[1]:,.0f} MiB ({rss_engine[1] / csv_mib:.1f}x CSV)",
            f"<= {RSS_TARGET:.0f}x CSV",
        ),
        (
            "  of which the imported engine before reading",
            f"{rss_engine[0]:,.0f} MiB",
            "",
        ),
        (
            "  peak RSS engine less that",
            f"{rss_engine[1] - rss_engine[0]:,.0f} MiB "
            f"({(rss_engine[1] - rss_engine[0]) / csv_mib:.1f}x CSV)",
            "",
        ),
        (
            f"engine in batches (memory: batched, {batch_rows:,} rows a slice; fresh process)",
            f"{batched_s:.2f} s ({batched_s / cold_floor:.2f}x the fresh floor)",
            "",
        ),
        (
            "peak RSS engine in batches (fresh process, imports included)",
            f"{rss_batched[1]:,.0f} MiB ({rss_batched[1] / csv_mib:.1f}x CSV)",
            f"<= {RSS_TARGET:.0f}x CSV",
        ),
        (
            "peak RSS scan (child process tree)",
            f"{rss_scan:,.0f} MiB (parent was {rss_before_scan:,.0f} MiB at spawn)",
            "",
        ),
    ]
    failures = [
        (name, msg)
        for name, fails in (("floor", floor_fail), ("engine", engine_fail), ("scan", scan_fail))
        for msg in fails
    ]
    raw = [
        ("floor", floor),
        ("floor before the engine with plan", floor_before_plan),
        ("engine", engine),
        *((f"  {s}", [r[s] for r in engine_runs]) for s in STEPS),
        ("engine with plan", with_plan),
        ("presidio-structured", structured),
        *((f"  {s} (with plan)", [r[s] for r in plan_runs]) for s in STEPS),
        ("scan", scan),
    ]

    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"{label:<{width}}  {value:>28}  {target}")
    for name, msg in failures:
        print(f"FAILED {name}: {msg}")

    md = [
        "# Benchmark results",
        "",
        f"Command: `{command}` (medians of {args.repeat} runs, the floor's of "
        f"{2 * args.repeat}; wall time)",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine().items()),
        "",
        "| measure | median | target |",
        "|---|---|---|",
        *(f"| {label.strip()} | {value} | {target} |" for label, value, target in rows),
        "",
        "Raw timings (s): "
        + "; ".join(f"{n.strip()}: {', '.join(f'{t:.2f}' for t in ts)}" for n, ts in raw),
        "",
    ]
    if failures:
        md += ["## Failures", "", *(f"- {name}: `{msg}`" for name, msg in failures), ""]
    RESULTS.write_text("\n".join(md))
    log(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
