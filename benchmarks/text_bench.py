"""Free-text detection and redaction benchmark: the vectorised scanner against
Presidio cell by cell, presidio-structured and DataFog, plus span agreement.

    uv run --frozen --group bench python -m benchmarks.text_bench \
        [--rows N] [--slice N] [--repeat K] [--agreement-cells N] [--sample N] [--no-external]

Ours (``redact_detected``: the scanner built from the analyzer's registry, then label
redaction) runs over every cell of the ``Person Notes`` column of the cached Keap CSV;
Presidio's analyzer runs cell by cell over a slice; presidio-structured and DataFog's
``datafog`` wrapper (the locked ``bench`` dependency group) run in this process over
the same slice, and datafog-core's Rust scanner, called directly, over every cell of
the column as ours does.
Agreement compares our spans with ``AnalyzerEngine.analyze`` cell by cell (same
recognizers, same threshold) on the hard generated set (``agreement_notes``) and on a
random sample of the Keap notes; disagreements are described by shape only (digits as
9, letters as a/A), never by value. Writes benchmarks/RESULTS_TEXT.md; progress goes
to stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import polars as pl
from presidio_analyzer import AnalyzerEngine

from benchmarks.agreement_notes import agreement_notes
from benchmarks.run import ROOT, ensure_csv, log, machine
from detectors.analyzer import build_analyzer
from detectors.settings import DetectionSettings
from detectors.text import TextScanner, build_scanner, scan
from detectors.text.scanner import form_descriptions

if TYPE_CHECKING:
    from anonymise.plan import PlannedInput

RESULTS = ROOT / "benchmarks" / "RESULTS_TEXT.md"
NOTES = "Person Notes"
NAME_COLUMNS = ("First Name", "Last Name")

Span = tuple[str, int, int]  # entity, start, end


def median_time(name: str, k: int, run: Callable[[], object]) -> float:
    timings = []
    for i in range(k):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
        log(f"{name} {i + 1}/{k}: {timings[-1]:.3f}s")
    return statistics.median(timings)


def _planned(
    frame: pl.DataFrame, columns: list[tuple[str, str, str, dict[str, str]]]
) -> PlannedInput:
    """A plan of ``columns`` (name, entity, action, params) for ``frame``."""
    from anonymise.plan import PlannedColumn, PlannedInput, columns_fingerprint

    return PlannedInput(
        source="bench",
        format="csv",
        fingerprint=columns_fingerprint([c[0] for c in columns]),
        content_sha256="",
        rows=frame.height,
        columns=tuple(
            PlannedColumn(name=name, entity=entity, confidence=1.0, action=action, params=params)
            for name, entity, action, params in columns
        ),
    )


def names_from_columns(frame: pl.DataFrame, columns: tuple[str, ...]) -> list[str]:
    """``names_in_frame`` with ``columns`` planned as PERSON."""
    from anonymise.transforming import names_in_frame

    return names_in_frame(frame, _planned(frame, [(c, "PERSON", "keep", {}) for c in columns]))


def notes_as_a_run_does(
    frame: pl.DataFrame, names: list[str], params: dict[str, str]
) -> Callable[[], object]:
    """What a run does to the notes under ``redact_text`` with ``params``: the plan's
    expression (the detector, then the input's own names, once per distinct note)."""
    from anonymise.transforming import plan_expressions

    planned = _planned(frame, [(NOTES, "FREE_TEXT", "redact_text", params)])
    (expression,) = plan_expressions(planned, names=names, key=b"bench-key-" * 4)
    return lambda: frame.select(expression)


# --- ours -------------------------------------------------------------------------


def bench_ours(frame: pl.DataFrame, scanner: TextScanner, k: int) -> dict[str, float]:
    from transforms.text_redaction import redact_detected, redact_spans

    notes = frame.get_column(NOTES)
    # warm-up: tldextract reads its suffix list, libphonenumber its metadata
    redact_detected(notes.head(5_000), scanner=scanner)
    scan_s = median_time("ours: scan only", k, lambda: scan(scanner, notes))
    redact_s = median_time(
        "ours: scan + redact", k, lambda: redact_detected(notes, scanner=scanner)
    )
    started = time.perf_counter()
    names = names_from_columns(frame, NAME_COLUMNS)
    collect = time.perf_counter() - started
    log(f"{len(names):,} distinct name words collected in {collect:.3f}s")

    both_s = median_time(
        "ours: detector: presidio + input names, as a run does",
        k,
        notes_as_a_run_does(frame, names, {"detector": "presidio"}),
    )
    table_s = median_time(
        "ours: pattern table (detector: patterns)",
        k,
        lambda: frame.select(redact_spans(pl.col(NOTES))),
    )
    # What a run does to notes by default: the pattern table, then the input's names.
    table_names_s = median_time(
        "ours: pattern table + input names (detector: patterns), as a run does",
        k,
        notes_as_a_run_does(frame, names, {}),
    )
    return {
        "table_s": table_s,
        "table_names_s": table_names_s,
        "cells": frame.height,
        "filled": notes.drop_nulls().len(),
        "distinct": notes.drop_nulls().n_unique(),
        "names": len(names),
        "scan_s": scan_s,
        "redact_s": redact_s,
        "names_collect_s": collect,
        "both_s": both_s,
    }


def our_spans(scanner: TextScanner, texts: Sequence[str | None]) -> list[set[Span]]:
    spans = scan(scanner, pl.Series(NOTES, list(texts), dtype=pl.String))
    found: list[set[Span]] = [set() for _ in texts]
    for row, entity, start, end, _ in spans.iter_rows():
        found[row].add((entity, start, end))
    return found


# --- Presidio ---------------------------------------------------------------------


def presidio_spans(analyzer: AnalyzerEngine, texts: Sequence[str | None]) -> list[set[Span]]:
    return [
        {(r.entity_type, r.start, r.end) for r in analyzer.analyze(t, language="en")}
        if t
        else set()
        for t in texts
    ]


def bench_presidio(analyzer: AnalyzerEngine, texts: list[str | None], k: int) -> float:
    return median_time("presidio analyzer", k, lambda: presidio_spans(analyzer, texts))


# --- presidio-structured and DataFog (bench dependency group) ----------------------


def bench_external(texts: list[str | None], k: int) -> dict[str, object]:
    out: dict[str, object] = {"versions": {}, "timings": {}, "errors": {}, "entities": {}}
    versions, timings, errors, entities = (
        out["versions"],
        out["timings"],
        out["errors"],
        out["entities"],
    )
    assert isinstance(versions, dict)
    assert isinstance(timings, dict)
    assert isinstance(errors, dict)
    assert isinstance(entities, dict)
    for package in ("presidio-structured", "datafog", "datafog-core"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            errors[package] = "not installed: run with `uv run --frozen --group bench`"
    try:
        import pandas as pd
        from presidio_anonymizer.entities import OperatorConfig
        from presidio_structured import PandasAnalysisBuilder, StructuredEngine
        from presidio_structured.data import PandasDataProcessor

        analyzer = build_analyzer(DetectionSettings())
        df = pd.DataFrame({NOTES: [t or "" for t in texts]})

        def structured() -> object:
            analysis = PandasAnalysisBuilder(analyzer=analyzer).generate_analysis(df)
            ops = {
                e: OperatorConfig("replace", {"new_value": f"<{e}>"})
                for e in set(analysis.entity_mapping.values())
            }
            out["structured_mapping"] = analysis.entity_mapping
            return StructuredEngine(PandasDataProcessor()).anonymize(df, analysis, ops)

        timings["presidio-structured (same analyzer)"] = median_time(
            "presidio-structured", k, structured
        )
    except Exception as exc:  # an external tool's failure is reported, not fatal
        errors["presidio-structured"] = type(exc).__name__  # a message may quote a cell
    try:
        from datafog.engine import scan_and_redact

        for backend in ("python", "rust"):
            name = f"datafog regex ({backend})"
            found: list[object] = []

            def run(backend: str = backend, found: list[object] = found) -> None:
                found.clear()
                for text in texts:
                    if text:
                        found.extend(
                            scan_and_redact(text, engine="regex", backend=backend).entities
                        )

            timings[name] = median_time(name, k, run)
            entities[name] = len(found)
    except Exception as exc:
        errors["datafog"] = type(exc).__name__  # a message may quote a cell
    return out


@dataclass(frozen=True)
class CoreRun:
    """datafog-core's timings by row label, its findings by ``scan``, and why it did not
    run, if it did not (an exception's type only: its message may quote a cell)."""

    timings: dict[str, float] = field(default_factory=dict)
    findings: int = 0
    error: str | None = None


def bench_datafog_core(texts: list[str | None], k: int) -> CoreRun:
    """datafog-core's own Rust entry points, called directly on every cell of the whole
    column, as ours run: ``scan`` finds the spans, ``scan_and_transform`` also redacts
    them. It reads cell by cell (no distinct-value reuse); that is how it is built."""
    try:
        import datafog_core
    except ImportError:
        return CoreRun(error="not installed: run with `uv run --frozen --group bench`")
    filled = [t for t in texts if t]
    redact = {"transform": {"default": {"strategy": "redact"}}}
    try:
        findings = sum(len(datafog_core.scan(t)) for t in filled)  # counted once, untimed
        timings = {
            "datafog-core `scan` (Rust, called directly), cell by cell": median_time(
                "datafog-core scan", k, lambda: [datafog_core.scan(t) for t in filled]
            ),
            "datafog-core `scan_and_transform` (redact), cell by cell": median_time(
                "datafog-core scan_and_transform",
                k,
                lambda: [datafog_core.scan_and_transform(t, redact) for t in filled],
            ),
        }
    except Exception as exc:  # an external tool's failure is reported, not fatal
        return CoreRun(error=type(exc).__name__)
    return CoreRun(timings, findings)


# --- agreement --------------------------------------------------------------------


def shape(text: str) -> str:
    """The span with digits as 9 and letters as a/A: its shape, not its value."""
    text = re.sub(r"\d", "9", text)
    text = re.sub(r"[^\W\d_]", lambda m: "A" if m.group().isupper() else "a", text)
    text = re.sub(r"([aA])\1{2,}", r"\1+", text)
    return text.replace("\n", "\\n")


def agreement(
    texts: Sequence[str | None], ours: list[set[Span]], theirs: list[set[Span]]
) -> dict[str, object]:
    per_entity: dict[str, Counter[str]] = {}
    kinds: Counter[str] = Counter()
    for text, mine, presidio in zip(texts, ours, theirs, strict=True):
        if not text:
            continue
        for side, spans, other in (("presidio", presidio, mine), ("ours", mine, presidio)):
            for entity, start, end in spans:
                counts = per_entity.setdefault(entity, Counter())
                counts[side] += 1
                if (entity, start, end) in other:
                    counts[f"{side}_matched"] += 1
                    continue
                overlapping = [o for o in other if o[1] < end and start < o[2]]
                what = "boundary or label" if overlapping else f"only {side}"
                kinds[f"{what}: {entity} `{shape(text[start:end])}`"] += 1
    return {"per_entity": per_entity, "kinds": kinds.most_common(15)}


def agreement_table(title: str, agree: dict[str, object]) -> list[str]:
    per_entity = agree["per_entity"]
    assert isinstance(per_entity, dict)
    md = [
        "",
        f"## Agreement on {title}",
        "",
        "Same entity, start and end; each side's spans looked up in the other's.",
        "",
        "| entity | Presidio spans | of them ours too | our spans | of them Presidio's too |",
        "|---|---:|---:|---:|---:|",
    ]
    total: Counter[str] = Counter()
    for entity in sorted(per_entity):
        c = per_entity[entity]
        total.update(c)
        md.append(row(entity, c))
    md.append(row("**all**", total))
    kinds = agree["kinds"]
    assert isinstance(kinds, list)
    if kinds:
        md += [
            "",
            "Disagreements (shape: 9 a digit, a/A a letter, `a+` a run of letters):",
            "",
            "| kind | count |",
            "|---|---:|",
            *(f"| {kind} | {n} |" for kind, n in kinds),
        ]
    else:
        md += ["", "No disagreement."]
    return md


def row(label: str, c: Counter[str]) -> str:
    return (
        f"| {label} | {c['presidio']:,} | {share(c['presidio_matched'], c['presidio'])} | "
        f"{c['ours']:,} | {share(c['ours_matched'], c['ours'])} |"
    )


def share(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "n/a"


# --- report -----------------------------------------------------------------------


def report(
    args: argparse.Namespace,
    ours: dict[str, float],
    presidio_s: float,
    slice_filled: int,
    external: dict[str, object] | None,
    agreements: dict[str, dict[str, object]],
    forms: list[str],
    core: CoreRun | None = None,
) -> list[str]:
    our_filled_rate = ours["filled"] / ours["redact_s"]
    rows = [
        (
            "ours: scan only (spans of every recognizer)",
            ours["cells"],
            ours["scan_s"],
            ours["filled"],
        ),
        ("ours: scan + label redaction", ours["cells"], ours["redact_s"], ours["filled"]),
        (
            "ours: pattern table, label redaction (`detector: patterns`, the default; "
            "e-mail, IP, date of birth, card, IBAN, NINO, phone, postcode only)",
            ours["cells"],
            ours["table_s"],
            ours["filled"],
        ),
        (
            f"ours: pattern table, then the input's names ({ours['names']:,} words), label "
            "redaction: what a run does to notes by default (the plan's expression, once "
            "per distinct note)",
            ours["cells"],
            ours["table_names_s"],
            ours["filled"],
        ),
        (
            f"ours: `detector: presidio`, then the input's names ({ours['names']:,} words): "
            "what a run does with `detector: presidio` (the plan's expression)",
            ours["cells"],
            ours["both_s"],
            ours["filled"],
        ),
        (
            "presidio-analyzer `analyze()` cell by cell (same recognizers, blank spaCy)",
            args.slice,
            presidio_s,
            slice_filled,
        ),
    ]
    if core is not None:
        for name, seconds in core.timings.items():
            rows.append((name, ours["cells"], seconds, ours["filled"]))
    if external is not None:
        timings = external["timings"]
        assert isinstance(timings, dict)
        for name, seconds in timings.items():
            rows.append((name, args.slice, seconds, slice_filled))
    md = [
        "# Free-text detection and redaction benchmark",
        "",
        f"Command: `uv run --frozen --group bench python -m benchmarks.text_bench --rows "
        f"{args.rows} --slice {args.slice} --repeat {args.repeat} --agreement-cells "
        f"{args.agreement_cells} --sample {args.sample}`",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()),
        "",
        f"Column `{NOTES}` of `keap_{args.rows}.csv`: {ours['filled']:,} of {ours['cells']:,} "
        f"cells filled, {ours['distinct']:,} distinct. The slice is the first {args.slice:,} "
        f"rows ({slice_filled:,} filled). Times are medians of {args.repeat}; cells/s counts "
        "all cells, filled/s only the non-null ones (the fair per-cell comparison).",
        "",
        "| engine | cells | median s | cells/s | filled cells/s | x slower than ours (redaction) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, cells, seconds, filled in rows:
        rate = filled / seconds
        md.append(
            f"| {label} | {cells:,} | {seconds:.3f} | {cells / seconds:,.0f} | {rate:,.0f} | "
            f"{our_filled_rate / rate:,.1f} |"
        )
    md += [
        "",
        f"Collecting the input's name words took {ours['names_collect_s']:.3f}s (not in the "
        "table); building the analyzer and scanner is not either.",
        "",
        "## How each recognizer runs",
        "",
        *(f"- {f}" for f in forms),
    ]
    if core is not None:
        md += [
            "",
            f"datafog-core, called directly on all {ours['cells']:,} cells: "
            f"{core.findings:,} findings by `scan`"
            + (f"; error: {core.error}" if core.error else "")
            + ". The `datafog regex` rows below go through the `datafog` package's "
            "`scan_and_redact` wrapper, on the slice.",
        ]
    if external is not None:
        md += ["", f"External versions: {json.dumps(external['versions'])}."]
        md.append(f"DataFog entities found on the slice: {json.dumps(external['entities'])}.")
        if external.get("errors"):
            md.append(f"External errors: {json.dumps(external['errors'])}.")
        if "structured_mapping" in external:
            md.append(
                "presidio-structured classifies the column and replaces whole cells, not "
                f"spans; its mapping for the notes: {json.dumps(external['structured_mapping'])}."
            )
    for title, agree in agreements.items():
        md += agreement_table(title, agree)
    md += NOTES_MD
    return md


NOTES_MD = [
    "",
    "## Where the scanner can differ from Presidio, and why",
    "",
    "- Rust's `regex` and Python's `regex`/`re` agree on leftmost-first matching, but not "
    "on every Unicode class: Rust's `\\w` holds combining marks (Python's does not, so a "
    "name in decomposed NFD form splits differently), and Python's `\\s` holds the "
    "separators U+001C-U+001F (Rust's does not). Neither occurred in either sample.",
    "- Patterns Rust cannot run (look-arounds) are found as islands: maximal runs of the "
    "characters a hit can hold, given to the recognizer's own Python `analyze` once per "
    "distinct island with one character of context. This is exact when the island's "
    "class holds every character a hit and its look-arounds can use; the island "
    "regexes are written that way (IPv6, card numbers, IBAN, phone, coordinates).",
    "- UK NINO's look-ahead is rewritten as an exact alternation of the allowed first "
    "letter pairs; e-mail validation (tldextract) is asked once per distinct host, which "
    "is what tldextract reads of a `local@host` whose local part has no `/`, `?` or `#`.",
    "- Hits that cannot reach the threshold are not searched for (a header-backed 0.1 "
    "pattern, the 0.35 single name): with a blank spaCy pipeline no context word can "
    "raise them (blank tokens have no lemmas). With a real pipeline (lemmas, NER) the "
    "scanner runs `AnalyzerEngine.analyze` once per distinct cell instead.",
    "- Redaction (not the agreement) adds the project's own pattern table "
    "(`DEFAULT_PATTERNS`) to the scanner's spans: exports hold shapes Presidio's e-mail "
    "regex misses (`x@mace-s.a.r.l..fr`). Overlapping spans of different entities, which "
    "`analyze` keeps, merge into one replacement named after the strongest hit.",
    "- Speed: phone candidates of all distinct runs are scored together: libphonenumber's "
    "parse restated in Polars (`detectors/phone_rules.py`) and its validity checked with "
    "the metadata's patterns compiled once (`detectors/phone_validity.py`), about 8 us a "
    "number where parse and `is_valid_number` take ~100; libphonenumber itself only for "
    "what the rules leave. What remains is mostly Polars passes per recognizer (finding "
    "each match's offsets takes two regex passes), the name chains, the e-mail TLD check "
    "per distinct domain, the pattern table and rebuilding the redacted text.",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--slice", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--agreement-cells", type=int, default=10_000, help="cells of the hard agreement set"
    )
    parser.add_argument(
        "--sample", type=int, default=2_000, help="random Keap rows for a second agreement check"
    )
    parser.add_argument(
        "--no-external", action="store_true", help="skip presidio-structured, DataFog"
    )
    parser.add_argument("--out", default=str(RESULTS), help="where to write the Markdown")
    args = parser.parse_args(argv)

    path = ensure_csv(args.rows)
    frame = pl.read_csv(path, infer_schema=False, columns=[*NAME_COLUMNS, NOTES])
    analyzer = build_analyzer(DetectionSettings())
    scanner = build_scanner(analyzer)
    ours = bench_ours(frame, scanner, args.repeat)
    texts = frame.head(args.slice).get_column(NOTES).to_list()
    slice_filled = sum(t is not None for t in texts)
    presidio_s = bench_presidio(analyzer, texts, args.repeat)
    external = None if args.no_external else bench_external(texts, args.repeat)
    core = (
        None
        if args.no_external
        else bench_datafog_core(frame.get_column(NOTES).to_list(), args.repeat)
    )
    agreements = {}
    hard = agreement_notes(args.agreement_cells)
    log(f"agreement: {len(hard):,} generated cells, Presidio cell by cell")
    agreements[f"the hard generated set ({len(hard):,} cells, `agreement_notes`)"] = agreement(
        hard, our_spans(scanner, hard), presidio_spans(analyzer, hard)
    )
    if args.sample:
        sample = frame.get_column(NOTES).sample(min(args.sample, frame.height), seed=7).to_list()
        agreements[f"a random Keap sample ({len(sample):,} rows, seed 7)"] = agreement(
            sample, our_spans(scanner, sample), presidio_spans(analyzer, sample)
        )
    md = report(
        args,
        ours,
        presidio_s,
        slice_filled,
        external,
        agreements,
        form_descriptions(scanner),
        core,
    )
    text = "\n".join(md) + "\n"
    print(text)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(text)
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
