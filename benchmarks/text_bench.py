"""Free-text redaction benchmark: our Polars patterns against Presidio and DataFog.

    uv run python -m benchmarks.text_bench [--rows N] [--slice N] [--repeat K] [--no-external]

Works on the ``Person Notes`` column of the cached Keap CSV. Ours runs over every cell;
Presidio's analyzer runs cell by cell over a slice; presidio-structured and DataFog run
in a throwaway venv (they are not project dependencies). Agreement compares the spans
our patterns replace with the spans our Presidio analyzer finds, and describes each
disagreement by its shape only (digits as 9, letters as a/A), never by its value.
Writes the table to stdout and to benchmarks/RESULTS_TEXT.md; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import polars as pl

from benchmarks.run import ROOT, ensure_csv, log, machine

RESULTS = ROOT / "benchmarks" / "RESULTS_TEXT.md"
NOTES = "Person Notes"
NAME_COLUMNS = ("First Name", "Last Name")
AGREEMENT_ENTITIES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "POSTCODE", "IP_ADDRESS")
VENV = Path("/tmp/benchvenv")
EXTERNAL_PACKAGES = ("presidio-structured==0.0.10", "datafog[rust]==4.9.0", "polars")

Span = tuple[str, int, int]  # entity, start, end


def median_time(name: str, k: int, run: Callable[[], object]) -> float:
    timings = []
    for i in range(k):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
        log(f"{name} {i + 1}/{k}: {timings[-1]:.3f}s")
    return statistics.median(timings)


def names_from_columns(frame: pl.DataFrame, columns: tuple[str, ...]) -> list[str]:
    """``names_in_frame`` without a plan: the distinct capitalised words of the columns."""
    words = (
        frame.select(pl.concat([pl.col(c).cast(pl.String) for c in columns], how="vertical"))
        .to_series()
        .drop_nulls()
        .str.split(" ")
        .explode()
        .str.strip_chars(" ,.;'\"()")
    )
    kept = words.filter(words.str.contains(r"^\p{Lu}[\p{L}'’-]+$")).unique()
    return sorted(kept.to_list(), key=lambda w: (-len(w), w))


# --- ours -------------------------------------------------------------------------


def bench_ours(frame: pl.DataFrame, k: int) -> dict[str, float]:
    from anonymise.transforming import redact_names
    from transforms.text_redaction import redact_spans

    cells = frame.height
    filled = frame[NOTES].drop_nulls().len()
    patterns = median_time("ours: patterns", k, lambda: frame.select(redact_spans(pl.col(NOTES))))
    started = time.perf_counter()
    names = names_from_columns(frame, NAME_COLUMNS)
    collect = time.perf_counter() - started
    log(f"{len(names):,} distinct name words collected in {collect:.3f}s")
    both = median_time(
        "ours: patterns + names",
        k,
        lambda: frame.select(redact_spans(redact_names(pl.col(NOTES), names))),
    )
    return {
        "cells": cells,
        "filled": filled,
        "names": len(names),
        "patterns_s": patterns,
        "names_collect_s": collect,
        "both_s": both,
    }


def our_spans(texts: list[str | None]) -> list[list[Span]]:
    """The spans ``redact_spans`` replaces, found with ``extract_all`` on each stage's text."""
    from transforms.text_redaction import DEFAULT_PATTERNS

    spans: list[list[Span]] = [[] for _ in texts]
    text = pl.Series(NOTES, texts, dtype=pl.String)
    for entity, pattern in DEFAULT_PATTERNS.items():
        found = text.str.extract_all(pattern).to_list()
        for row, matches in enumerate(found):
            original = texts[row]
            if not matches or original is None:
                continue
            cursor = 0
            for match in matches:
                # labels replaced earlier hold no digits, dots or '@': the match is verbatim
                start = original.find(match, cursor)
                if start < 0:
                    continue
                spans[row].append((entity, start, start + len(match)))
                cursor = start + len(match)
        text = text.str.replace_all(pattern, f"<{entity}>")
    return spans


# --- Presidio (in the project venv) -----------------------------------------------


def bench_presidio(texts: list[str | None], k: int) -> tuple[dict[str, float], list[list[Span]]]:
    from detectors.analyzer import build_analyzer
    from detectors.settings import DetectionSettings

    started = time.perf_counter()
    analyzer = build_analyzer(DetectionSettings())
    build = time.perf_counter() - started
    results: list[list[Span]] = []

    def run() -> None:
        results.clear()
        for text in texts:
            if text is None:
                results.append([])
                continue
            found = analyzer.analyze(text, language="en")
            results.append([(r.entity_type, r.start, r.end) for r in found])

    elapsed = median_time("presidio analyzer", k, run)
    return {"build_s": build, "slice_s": elapsed}, [list(r) for r in results]


# --- presidio-structured and DataFog (throwaway venv) ------------------------------

EXTERNAL_SCRIPT = r"""
import json, statistics, sys, time
from importlib.metadata import version
import pandas as pd
import spacy
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine

path, k = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(path, dtype=str, keep_default_na=False)
texts = df["Person Notes"].tolist()
out = {"versions": {}, "timings": {}, "errors": {}}

def median(run):
    times = []
    for _ in range(k):
        t = time.perf_counter(); run(); times.append(time.perf_counter() - t)
    return statistics.median(times)

class Blank(SpacyNlpEngine):  # no model download: a blank English pipeline, as ours
    def __init__(self):
        super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
    def load(self):
        self.nlp = {"en": spacy.blank("en")}

try:
    from presidio_structured import PandasAnalysisBuilder, StructuredEngine
    from presidio_structured.data import PandasDataProcessor
    from presidio_anonymizer.entities import OperatorConfig
    out["versions"]["presidio-structured"] = version("presidio-structured")
    analyzer = AnalyzerEngine(nlp_engine=Blank(), supported_languages=["en"])
    frame = df[["Person Notes"]]
    def structured():
        analysis = PandasAnalysisBuilder(analyzer=analyzer).generate_analysis(frame)
        ops = {e: OperatorConfig("replace", {"new_value": f"<{e}>"})
               for e in set(analysis.entity_mapping.values())}
        result = StructuredEngine(PandasDataProcessor()).anonymize(frame, analysis, ops)
        out["structured_mapping"] = analysis.entity_mapping
        return result
    out["timings"]["presidio-structured"] = median(structured)
except Exception as exc:
    out["errors"]["presidio-structured"] = f"{type(exc).__name__}: {exc}"[:500]

import datafog
from datafog.engine import scan_and_redact
out["versions"]["datafog"] = version("datafog")
for backend in ("python", "rust"):
    name = f"datafog regex ({backend})"
    try:
        if backend == "rust":
            out["versions"]["datafog-core"] = version("datafog-core")
        found = []
        def run():
            found.clear()
            for text in texts:
                if text:
                    found.extend(scan_and_redact(text, engine="regex", backend=backend).entities)
        out["timings"][name] = median(run)
        out.setdefault("entities", {})[name] = len(found)
    except Exception as exc:
        out["errors"][name] = f"{type(exc).__name__}: {exc}"[:500]
print(json.dumps(out))
"""


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {VENV} with {', '.join(EXTERNAL_PACKAGES)}")
        # the project's interpreter: no download of a managed Python
        subprocess.run(["uv", "venv", "-q", str(VENV), "--python", sys.executable], check=True)
        subprocess.run(
            ["uv", "pip", "install", "-q", "--python", str(python), *EXTERNAL_PACKAGES],
            check=True,
        )
    return python


def bench_external(slice_frame: pl.DataFrame, k: int) -> dict[str, object]:
    python = ensure_venv()
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "slice.csv"
        script = Path(tmp) / "external.py"
        slice_frame.select(NOTES).write_csv(csv)
        script.write_text(EXTERNAL_SCRIPT)
        log("presidio-structured and datafog in the throwaway venv")
        done = subprocess.run(
            [str(python), str(script), str(csv), str(k)],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"external bench exited {done.returncode}: {done.stderr[-2000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- agreement --------------------------------------------------------------------


def shape(text: str) -> str:
    """The span with digits as 9 and letters as a/A: its shape, not its value."""
    text = re.sub(r"\d", "9", text)
    text = re.sub(r"[^\W\d_]", lambda m: "A" if m.group().isupper() else "a", text)
    return re.sub(r"([aA])\1{2,}", r"\1+", text)


def agreement(
    texts: list[str | None], ours: list[list[Span]], theirs: list[list[Span]]
) -> dict[str, object]:
    kinds: Counter[str] = Counter()
    found = {"presidio": 0, "presidio_in_ours": 0, "ours": 0, "ours_in_presidio": 0}
    exact = {"presidio_in_ours": 0, "ours_in_presidio": 0}
    for text, mine, presidio_all in zip(texts, ours, theirs, strict=True):
        if text is None:
            continue
        presidio = [s for s in presidio_all if s[0] in AGREEMENT_ENTITIES]
        for side, spans, other in (("presidio", presidio, mine), ("ours", mine, presidio)):
            other_side = "ours" if side == "presidio" else "presidio"
            for entity, start, end in spans:
                found[side] += 1
                overlapping = [o for o in other if o[1] < end and start < o[2]]
                same = [o for o in overlapping if (o[1], o[2]) == (start, end)]
                if overlapping:
                    found[f"{side}_in_{other_side}"] += 1
                if same:
                    exact[f"{side}_in_{other_side}"] += 1
                span_shape = shape(text[start:end])
                if not overlapping:
                    kinds[f"only {side}: {entity} `{span_shape}`"] += 1
                elif not same:
                    o = overlapping[0]
                    longer = (
                        "ours"
                        if (o[2] - o[1] > end - start) == (side == "presidio")
                        else "presidio"
                    )
                    kinds[f"boundary ({longer} longer): {entity} `{span_shape}`"] += 1
                elif same[0][0] != entity:
                    kinds[f"label: {side} {entity} vs {same[0][0]} `{span_shape}`"] += 1
    return {
        **found,
        "exact_presidio_in_ours": exact["presidio_in_ours"],
        "exact_ours_in_presidio": exact["ours_in_presidio"],
        "kinds": kinds.most_common(12),
        "presidio_other": Counter(
            s[0] for spans in theirs for s in spans if s[0] not in AGREEMENT_ENTITIES
        ).most_common(),
    }


# --- report -----------------------------------------------------------------------


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def report(
    args: argparse.Namespace,
    ours: dict[str, float],
    presidio: dict[str, float],
    slice_filled: int,
    external: dict[str, object] | None,
    agreements: dict[str, dict[str, object]],
) -> list[str]:
    filled_ratio = ours["filled"] / ours["cells"]
    ours_filled_rate = ours["filled"] / ours["patterns_s"]
    presidio_rate = slice_filled / presidio["slice_s"]
    rows = [
        (
            "ours: `redact_spans` (label), all cells",
            ours["cells"],
            ours["patterns_s"],
            ours["filled"] / ours["patterns_s"],
        ),
        (
            f"ours: `redact_names` ({ours['names']:,} words) + `redact_spans`",
            ours["cells"],
            ours["both_s"],
            ours["filled"] / ours["both_s"],
        ),
        (
            "presidio-analyzer `analyze()` cell by cell (our recognizers, blank spaCy)",
            args.slice,
            presidio["slice_s"],
            presidio_rate,
        ),
    ]
    if external is not None:
        timings = external["timings"]
        assert isinstance(timings, dict)
        for name, seconds in timings.items():
            label = f"{name} (throwaway venv)"
            rows.append((label, args.slice, seconds, slice_filled / seconds))
    md = [
        "# Free-text redaction benchmark",
        "",
        f"Command: `uv run python -m benchmarks.text_bench --rows {args.rows} "
        f"--slice {args.slice} --repeat {args.repeat}`",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()),
        "",
        f"Column `{NOTES}` of `keap_{args.rows}.csv`: {ours['filled']:,} of "
        f"{ours['cells']:,} cells filled ({filled_ratio:.0%}), the rest null. The slice is "
        f"the first {args.slice:,} rows ({slice_filled:,} filled). Times are medians of "
        f"{args.repeat}; cells/s counts all cells, filled/s only the non-null ones (the "
        "fair per-cell comparison: the others skip nulls).",
        "",
        "| engine | cells | median s | cells/s | filled cells/s | x slower than ours |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, cells, seconds, filled_rate in rows:
        md.append(
            f"| {label} | {cells:,} | {seconds:.3f} | {cells / seconds:,.0f} | "
            f"{filled_rate:,.0f} | {ours_filled_rate / filled_rate:,.1f} |"
        )
    md += [
        "",
        f"Collecting the name words took {ours['names_collect_s']:.3f}s; building the "
        f"analyzer {presidio['build_s']:.2f}s (neither is in the table).",
    ]
    if external is not None:
        md += ["", f"External versions: {json.dumps(external['versions'])}."]
        md.append(f"DataFog entities found on the slice: {json.dumps(external.get('entities'))}.")
        if external.get("errors"):
            md.append(f"External errors: {json.dumps(external['errors'])}.")
        if "structured_mapping" in external:
            md.append(
                "presidio-structured classifies the column and replaces whole cells, not "
                f"spans; its mapping for the notes: {json.dumps(external['structured_mapping'])}."
            )
    for title, agree in agreements.items():
        md += agreement_table(title, agree)
    md += [
        "",
        "## Notes",
        "",
        "- The notes are generated from a few templates; agreement on them shows the two "
        "engines agree on those shapes, not on real exports.",
        "- Presidio and DataFog run on one core per cell; ours runs Polars on all cores.",
        "- presidio-structured picks one entity per column from a sample and replaces whole "
        "cells: it does not redact spans inside free text.",
        "- The throwaway venv needs: " + ", ".join(f"`{p}`" for p in EXTERNAL_PACKAGES) + ".",
    ]
    return md


def count(agree: dict[str, object], key: str) -> int:
    value = agree[key]
    assert isinstance(value, int)
    return value


def agreement_table(title: str, agree: dict[str, object]) -> list[str]:
    p, o = count(agree, "presidio"), count(agree, "ours")
    md = [
        "",
        f"## Agreement on {title} ({', '.join(AGREEMENT_ENTITIES)})",
        "",
        "| | spans | also found by the other (overlap) | same start and end |",
        "|---|---:|---:|---:|",
        f"| Presidio | {p:,} | {share(count(agree, 'presidio_in_ours'), p)} | "
        f"{share(count(agree, 'exact_presidio_in_ours'), p)} |",
        f"| ours | {o:,} | {share(count(agree, 'ours_in_presidio'), o)} | "
        f"{share(count(agree, 'exact_ours_in_presidio'), o)} |",
        "",
    ]
    kinds = agree["kinds"]
    assert isinstance(kinds, list)
    if kinds:
        md += [
            "Top disagreements (shape: 9 a digit, a/A a letter, `a+` a run of letters):",
            "",
            "| kind | count |",
            "|---|---:|",
            *(f"| {kind} | {count} |" for kind, count in kinds),
            "",
        ]
    else:
        md += ["No disagreement.", ""]
    md.append(f"Other Presidio entities (not compared): {agree['presidio_other']}.")
    return md


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--slice", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--sample", type=int, default=10_000, help="random rows for a second agreement check"
    )
    parser.add_argument("--no-external", action="store_true", help="skip the throwaway venv")
    args = parser.parse_args(argv)

    path = ensure_csv(args.rows)
    frame = pl.read_csv(path, infer_schema=False, columns=[*NAME_COLUMNS, NOTES])
    ours = bench_ours(frame, args.repeat)
    slice_frame = frame.head(args.slice)
    texts = slice_frame[NOTES].to_list()
    slice_filled = slice_frame[NOTES].drop_nulls().len()
    presidio, presidio_spans = bench_presidio(texts, args.repeat)
    external = None if args.no_external else bench_external(slice_frame, args.repeat)
    agreements = {
        f"the slice ({args.slice:,} rows)": agreement(texts, our_spans(texts), presidio_spans)
    }
    if args.sample:
        sample = frame[NOTES].sample(min(args.sample, frame.height), seed=7).to_list()
        _, sample_spans = bench_presidio(sample, 1)
        title = f"a random sample ({len(sample):,} rows, seed 7)"
        agreements[title] = agreement(sample, our_spans(sample), sample_spans)
    md = report(args, ours, presidio, slice_filled, external, agreements)
    print("\n".join(md))
    RESULTS.write_text("\n".join(md) + "\n")
    log(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
